/** One header line as it went over the wire (name keeps its original case). */
export interface Header {
  name: string;
  value: string;
}

/**
 * Case-insensitive, multi-valued header list. Order is kept (it matters for
 * evidence such as "the 3rd request header"), lookups ignore case.
 * HTTP/2 and HTTP/3 pseudo-headers (`:method`, `:authority`, ...) are folded
 * out of the list by the readers and kept in `pseudo`.
 */
export class HeaderList implements Iterable<Header> {
  readonly list: readonly Header[];
  readonly pseudo: Readonly<Record<string, string>>;
  /** Position of each header of `list` in the source's header array (pseudo-headers included), when it differs. */
  readonly positions: readonly number[] | undefined;

  constructor(list: readonly Header[] = [], pseudo: Record<string, string> = {}, positions?: readonly number[]) {
    this.list = list;
    this.pseudo = pseudo;
    this.positions = positions;
  }

  /** Build from raw pairs, folding pseudo-headers (`:authority` ...) out of the list. */
  static from(pairs: Iterable<Header>): HeaderList {
    const list: Header[] = [];
    const pseudo: Record<string, string> = {};
    const positions: number[] = [];
    let i = 0;
    for (const h of pairs) {
      if (h.name.startsWith(":")) pseudo[h.name.slice(1).toLowerCase()] = h.value;
      else {
        list.push({ name: h.name, value: h.value });
        positions.push(i);
      }
      i++;
    }
    return new HeaderList(list, pseudo, positions.length === i ? undefined : positions);
  }

  get size(): number {
    return this.list.length;
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.list[Symbol.iterator]();
  }

  /** First value of the header, or undefined. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const h of this.list) if (h.name.toLowerCase() === lower) return h.value;
    return undefined;
  }

  /** Every value of the header, in order. */
  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    const out: string[] = [];
    for (const h of this.list) if (h.name.toLowerCase() === lower) out.push(h.value);
    return out;
  }

  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }

  /** Position of the first header with this name in the list (-1 if absent). */
  indexOf(name: string): number {
    const lower = name.toLowerCase();
    return this.list.findIndex((h) => h.name.toLowerCase() === lower);
  }

  /** Index of the first header with this name in the source's header array (pseudo-headers counted), -1 if absent. */
  sourceIndexOf(name: string): number {
    const i = this.indexOf(name);
    return i < 0 ? -1 : (this.positions?.[i] ?? i);
  }

  toJSON(): Header[] {
    return [...this.list];
  }
}
