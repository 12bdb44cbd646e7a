import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";
import { signIn } from "./trust-beyond.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa2bc3deFgH4iJk5lM6";
const USER = "00u8rs9tuVwX0yzA1bc2";
const cors = { "access-control-allow-origin": APP, vary: "Origin" };

const ORDERS_AS = `${ORG}/oauth2/aus1orders2AbC3dEf4g5`;
const INVENTORY_AS = `${ORG}/oauth2/aus6invent7HiJ8kLm9n0`;
const token = (iss: string, aud: string, seed: string) =>
  fakeJwt({ ver: 1, jti: "AT." + fakeRandom(seed, 43), iss, aud, iat: T0, exp: T0 + 3600, cid: CLIENT, uid: USER, sub: "amara@example.com", scp: ["openid", aud === "api://orders" ? "orders:read" : "inventory:read"] });
const ordersToken = token(ORDERS_AS, "api://orders", "wa-orders");
const inventoryToken = token(INVENTORY_AS, "api://inventory", "wa-inventory");
const id = (seed: string, iss: string) => fakeJwt({ ver: 1, jti: "ID." + fakeRandom(seed, 20), iss, aud: CLIENT, sub: USER, iat: T0, exp: T0 + 3600, amr: ["pwd"], nonce: fakeRandom(`${seed}n`, 32) });

function call(url: string, bearer: string, at: number, status: number, comment: string, challenge?: string): EntrySpec {
  return {
    method: "GET",
    url,
    status,
    from: { browser: APP },
    at,
    okta: false,
    headers: { authorization: `Bearer ${bearer}` },
    responseHeaders: challenge ? { "www-authenticate": challenge, ...cors } : { "content-type": "application/json", ...cors },
    ...(status === 200 ? { response: { items: [] } } : {}),
    comment,
  };
}

export const samples: Record<string, CaptureSpec> = {
  "wrong-audience.fires.har": {
    producer: "chrome",
    start: START,
    comment: "The SPA gets a token for api://orders and sends it to its inventory API too, which refuses it.",
    entries: [
      signIn(0, ordersToken, id("wa-id1", ORDERS_AS), ORDERS_AS, "openid orders:read"),
      call("https://orders.example.com/api/orders", ordersToken, 300, 200, "expect: none (the orders API takes its own token)"),
      call("https://inventory.example.com/api/items", ordersToken, 400, 401, "expect: wrong-audience (a token for api://orders at the inventory API)", 'Bearer realm="api://inventory", error="invalid_token", error_description="Jwt audience does not match api://inventory"'),
    ],
  },
  "wrong-audience.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The SPA gets one token per API and sends each API its own; the inventory API refuses one call for a missing scope (not an audience problem).",
    entries: [
      signIn(0, ordersToken, id("wa-id1", ORDERS_AS), ORDERS_AS, "openid orders:read"),
      signIn(100, inventoryToken, id("wa-id2", INVENTORY_AS), INVENTORY_AS, "openid inventory:read"),
      call("https://orders.example.com/api/orders", ordersToken, 300, 200, "expect: none"),
      call("https://inventory.example.com/api/items", inventoryToken, 400, 200, "expect: none"),
      call("https://inventory.example.com/api/items/restock", inventoryToken, 500, 403, "expect: none (a scope problem, not the audience)", 'Bearer realm="api://inventory", error="insufficient_scope", scope="inventory:write"'),
    ],
  },
};
