/** Redaction of captures for sharing, and the check that nothing secret is left. */
export { redactFile, checkFile, outputIsStream, type RedactOptions, type RedactSummary, type CheckResult, type UnparsedEntry } from "./stream.js";
export { Sweeper, variantsOf } from "./sweep.js";
export { Redactor, type RedactMode, type SecretFinding } from "./redactor.js";
export { MarkerMap, MARKER_WORD, KEPT_CLAIMS, PERSONAL_CLAIMS, containsMarker } from "./markers.js";
export { isSecretField, isPersonalField, TOKEN_FIELDS, PERSONAL_FIELDS } from "./words.js";
