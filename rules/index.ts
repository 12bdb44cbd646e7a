/**
 * The explicit rule registry: every rule oktalint runs, in a stable order.
 * Rule ids are a contract (users' configs, baselines and SARIF use them).
 */
import type { Rule } from "../src/engine/types.js";
import apiTokenRejected from "./api-token-rejected.js";

export const RULES: readonly Rule[] = [apiTokenRejected];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
