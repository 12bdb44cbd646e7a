/** A column of a plain-text table: header, cell text, optional colour applied after padding. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  color?: (text: string, row: T) => string;
  /** Longest cell before it is cut with an ellipsis. */
  max?: number;
  align?: "left" | "right";
}

function cut(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  return text.slice(0, Math.max(1, max - 1)) + "…";
}

/** Render rows as an aligned table; colours are applied after padding so widths stay right. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], indent = "  ", dim: (s: string) => string = (s) => s): string {
  const cells = rows.map((r) => columns.map((c) => cut(c.cell(r), c.max)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const pad = (text: string, i: number) => (columns[i]!.align === "right" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const lines: string[] = [];
  lines.push(indent + dim(columns.map((c, i) => pad(c.header, i)).join("  ").trimEnd()));
  rows.forEach((row, r) => {
    const parts = columns.map((c, i) => {
      const text = pad(cells[r]![i]!, i);
      return c.color ? c.color(text, row) : text;
    });
    lines.push((indent + parts.join("  ")).trimEnd());
  });
  return lines.join("\n");
}
