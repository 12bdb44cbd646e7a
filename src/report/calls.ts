import kleur from "kleur";
import type { Capture, OktaCall } from "../engine/capture.js";
import { describeApi, describeCredential, pathOf } from "./describe.js";
import { renderTable, type Column } from "./table.js";
import { countNotes } from "./json.js";

/** How a capture's producer reads in one line: `Chrome 131 (WebInspector), HAR 1.2`. */
export function describeProducer(capture: Capture): string {
  const p = capture.meta.producer;
  const name = [p.name, p.version].filter(Boolean).join(" ") || "unknown producer";
  const browser = p.browser ? `${p.browser.name} ${p.browser.version}`.trim() : "";
  const { format: kind, version } = capture.meta;
  const format = kind === "har" ? `HAR ${version || "?"}` : kind === "mitmproxy" ? `flow format ${version || "?"}` : `${kind} ${version}`.trim();
  return `${browser ? `${browser} via ${name}` : name}, ${format}`;
}

function statusColor(text: string, call: OktaCall): string {
  const s = call.exchange.response.status;
  if (s === 0) return kleur.red(text);
  if (s >= 400) return kleur.red(text);
  if (s >= 300) return kleur.yellow(text);
  return kleur.green(text);
}

const COLUMNS: Column<OktaCall>[] = [
  { header: "entry", cell: (c) => String(c.exchange.index), align: "right" },
  { header: "method", cell: (c) => c.exchange.request.method },
  { header: "path", cell: pathOf, max: 56 },
  { header: "kind", cell: (c) => c.classification.kind, color: (t) => kleur.cyan(t) },
  { header: "API", cell: (c) => describeApi(c.classification), max: 44 },
  { header: "credential", cell: (c) => describeCredential(c.credential), max: 48 },
  { header: "status", cell: (c) => (c.exchange.response.status === 0 ? "—" : String(c.exchange.response.status)), color: statusColor },
  { header: "error", cell: (c) => c.errorCode ?? "", color: (t) => kleur.red(t) },
];

/** The Okta calls of a capture as a readable table, with a header line about the capture. */
export function formatCallsTable(path: string, capture: Capture): string {
  const lines: string[] = [];
  const hosts = capture.oktaHosts.length > 0 ? ` · Okta: ${capture.oktaHosts.join(", ")}` : "";
  lines.push(kleur.bold().underline(path));
  lines.push(
    kleur.dim(
      `${describeProducer(capture)} · ${capture.stats.entries} entries · ${capture.calls.length} Okta call${capture.calls.length === 1 ? "" : "s"}${hosts}`,
    ),
  );
  if (capture.calls.length > 0) lines.push(renderTable(capture.calls, COLUMNS, "  ", kleur.dim));
  else lines.push(kleur.dim("  no Okta calls in this capture"));
  const errors = countNotes(capture, "error");
  if (errors > 0) lines.push(kleur.dim(`  ${errors} HAR 1.2 deviation${errors === 1 ? "" : "s"} noted (oktalint validate ${path})`));
  return lines.join("\n");
}
