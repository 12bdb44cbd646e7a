/** Option parsers shared by the commands. */
import { InvalidArgumentError } from "commander";
import { RULES, ruleById } from "../../rules/index.js";
import type { Severity } from "../engine/types.js";
import { didYouMean } from "../engine/config.js";

const SEVERITIES = ["off", "info", "warning", "error"];

/** `--rule id=severity`, repeatable; unknown ids and severities are usage errors. */
export function parseRuleSetting(value: string, previous: Record<string, Severity | "off">): Record<string, Severity | "off"> {
  const m = /^([a-z0-9-]+)=(\w+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected <rule-id>=off|info|warning|error, got '${value}'`);
  const [, id, sev] = m as unknown as [string, string, string];
  if (!ruleById(id)) {
    const near = didYouMean(id, RULES.map((r) => r.id));
    throw new InvalidArgumentError(`unknown rule '${id}' (${near ? `did you mean ${near}?` : "oktalint rules lists them"})`);
  }
  if (!SEVERITIES.includes(sev)) throw new InvalidArgumentError(`unknown severity '${sev}' for ${id} (use off, info, warning or error)`);
  return { ...previous, [id]: sev as Severity | "off" };
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

