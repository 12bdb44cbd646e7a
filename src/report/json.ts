import type { Capture, ForeignCall, OktaCall } from "../engine/capture.js";
import type { Finding, Severity, Symptom } from "../engine/types.js";
import { maskSecret, maskUrl } from "../okta/mask.js";
import { FOREIGN_KIND, describeCredential } from "./describe.js";
import { lazyMap } from "./json-stream.js";

/** An Okta call as data, secrets masked. */
export function callToJson(call: OktaCall) {
  const ex = call.exchange;
  const c = call.classification;
  const auth = call.credential.authorization;
  return {
    entry: ex.index,
    method: ex.request.method,
    url: maskUrl(ex.request.rawUrl),
    host: call.host.host,
    kind: c.kind,
    family: c.family,
    operationId: c.operationId ?? null,
    pathTemplate: c.pathTemplate ?? null,
    accepts: c.accepts,
    scopes: c.scopes,
    browser: c.browser,
    authorizationServer: c.authorizationServer ?? null,
    credential: {
      text: describeCredential(call.credential),
      scheme: auth?.scheme ?? null,
      tokenKind: auth?.tokenKind ?? null,
      sessionCookies: call.credential.sessionCookies,
    },
    sender: ex.sender,
    status: ex.response.status,
    errorCode: call.errorCode ?? null,
    ...(ex.source ? { location: { line: ex.source.line, column: ex.source.column, jsonPath: ex.source.jsonPath } } : {}),
  };
}

/** Count notes with their aggregated repeats. */
export function countNotes(capture: Capture, level?: "error" | "info"): number {
  let n = 0;
  for (const note of capture.notes) if (!level || note.level === level) n += 1 + (note.repeated ?? 0);
  return n;
}

/** One capture as the `--format json` file object (`lazy`: its calls mapped as they are written). */
export function captureToJson(path: string, capture: Capture, lazy = false) {
  const p = capture.meta.producer;
  return {
    path,
    format: capture.meta.format,
    version: capture.meta.version,
    producer: { name: p.name, version: p.version, ...(p.browser ? { browser: p.browser } : {}) },
    entries: capture.stats.entries,
    oktaHosts: capture.oktaHosts,
    oktaCalls: lazy ? lazyMap(capture.calls, callToJson) : capture.calls.map(callToJson),
    // Calls elsewhere that carried an Okta token (the app's APIs, third parties), tokens masked.
    tokenCalls: (capture.foreign ?? []).map(foreignToJson),
    deviations: countNotes(capture, "error"),
    ...(capture.error ? { error: capture.error.message } : {}),
  };
}

function foreignToJson(fc: ForeignCall) {
  const url = fc.exchange.request.url;
  return {
    entry: fc.exchange.index,
    method: fc.exchange.request.method,
    url: url ? `${url.protocol}//${url.host}${url.pathname}` : maskUrl(fc.exchange.request.rawUrl),
    status: fc.exchange.response.status,
    kind: FOREIGN_KIND[fc.role],
    role: fc.role,
    because: fc.roleEvidence,
    tokens: fc.tokens.map((t) => ({ kind: t.kind, position: t.position, name: t.name, token: maskSecret(t.value), ...(t.issuedAt !== undefined ? { issuedAt: t.issuedAt } : {}) })),
  };
}

/** A finding as data (every field a reporter may need; secrets were masked by the rule). */
export function findingToJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    message: f.message,
    entry: f.entry,
    request: f.request ?? null,
    evidence: f.evidence,
    related: f.related,
    occurrences: f.occurrences,
    jsonPath: f.jsonPath ?? null,
    ...(f.line !== undefined ? { line: f.line, column: f.column } : {}),
    title: f.title,
    explanation: f.explanation,
    fix: f.fix,
    docs: f.docs,
    fingerprint: f.fingerprint,
    symptoms: f.symptoms.map(symptomToJson),
  };
}

/** A symptom as data: what another rule saw of the same problem (its fix is the cause's). */
export function symptomToJson(s: Symptom) {
  return {
    ruleId: s.ruleId,
    severity: s.severity,
    confidence: s.confidence,
    message: s.message,
    entry: s.entry,
    request: s.request ?? null,
    evidence: s.evidence,
    related: s.related,
    occurrences: s.occurrences,
    jsonPath: s.jsonPath ?? null,
    ...(s.line !== undefined ? { line: s.line, column: s.column } : {}),
    title: s.title,
    fingerprint: s.fingerprint,
  };
}

/** What a run counts: problems by severity; symptoms are shown under their causes, not counted. */
export function countsToJson(findings: readonly Finding[]) {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  return { problems: findings.length, ...bySeverity, symptoms: findings.reduce((n, f) => n + f.symptoms.length, 0) };
}
