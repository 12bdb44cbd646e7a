/**
 * oktalint.schema.json, the JSON Schema editors use for oktalint.config.json:
 * generated from the zod schema, never edited by hand, never stale.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchema, configJsonSchemaText, DOMAIN_PATTERN, HOST_GLOB_PATTERN, URL_GLOB_PATTERN } from "../src/engine/config.js";
import { packageRoot, SCHEMA_FILE_NAME } from "../scripts/gen-config-schema.js";
import { RULES } from "../rules/index.js";

type Json = Record<string, any>;

describe("oktalint.schema.json", () => {
  it("is what the generator writes now (run npm run gen:schema after adding a rule)", () => {
    const committed = readFileSync(join(packageRoot(), SCHEMA_FILE_NAME), "utf8");
    expect(committed).toBe(configJsonSchemaText(RULES));
  });

  it("is draft-07 with every registered rule id as a completable key", () => {
    const schema = configJsonSchema(RULES) as Json;
    expect(schema["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema["additionalProperties"]).toBe(false);
    expect(Object.keys(schema["properties"])).toEqual(["$schema", "rules", "oktaDomains", "ignore", "failOn", "maxWarnings"]);
    const rules = schema["properties"]["rules"];
    expect(rules["additionalProperties"]).toBe(false);
    expect(Object.keys(rules["properties"])).toEqual(RULES.map((r) => r.id));
    for (const r of RULES) {
      expect(rules["properties"][r.id]).toEqual({ type: "string", enum: ["off", "info", "warning", "error"], description: `${r.title} (default: ${r.severity})` });
    }
    const ignore = schema["properties"]["ignore"]["items"];
    expect(ignore["additionalProperties"]).toBe(false);
    expect(ignore["anyOf"]).toEqual([{ required: ["url"] }, { required: ["host"] }]);
    expect(ignore["properties"]["rules"]["items"]).toEqual({ type: "string", enum: RULES.map((r) => r.id) });
    expect(ignore["properties"]["url"]["pattern"]).toBe(URL_GLOB_PATTERN);
    expect(ignore["properties"]["host"]["pattern"]).toBe(HOST_GLOB_PATTERN);
    expect(schema["properties"]["oktaDomains"]["items"]).toEqual({ type: "string", pattern: DOMAIN_PATTERN });
    expect(schema["properties"]["failOn"]["enum"]).toEqual(["error", "warning", "info", "never"]);
    expect(schema["properties"]["maxWarnings"]).toMatchObject({ type: "integer", minimum: 0 });
  });

  it("has patterns that agree with the validator", () => {
    const domain = new RegExp(DOMAIN_PATTERN);
    expect(["login.example.com", "*.id.example.com", "localhost", "127.0.0.1"].every((d) => domain.test(d))).toBe(true);
    expect(["https://login.example.com", "login.example.com:443", "*login.example.com", "a.*.b"].some((d) => domain.test(d))).toBe(false);
    const url = new RegExp(URL_GLOB_PATTERN);
    expect(url.test("https://acme.okta.com/api/v1/logs*")).toBe(true);
    expect(url.test("acme.okta.com/api")).toBe(false);
    const host = new RegExp(HOST_GLOB_PATTERN);
    expect(host.test("*.oktapreview.com")).toBe(true);
    expect(host.test("https://x")).toBe(false);
  });
});
