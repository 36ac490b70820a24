// node --test clients/js/ — run by Tests/e2e/test_ingest_clients.py against a real server
// (SPACEAUDIT_URL, SPACEAUDIT_TOKEN, SPACE_ID set by that test; failing loudly without them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { SpaceAuditClient } from "./spaceaudit-client.js";

const required = ["SPACEAUDIT_URL", "SPACEAUDIT_TOKEN", "SPACE_ID"];
for (const name of required) {
  if (!process.env[name]) throw new Error(`${name} is not set: run this through Tests/e2e/test_ingest_clients.py`);
}

test("events are acknowledged and a repeated key is stored once", async () => {
  const audit = new SpaceAuditClient();
  const first = { user_sub: "js-1", username: "js-alice", scopes_granted: ["openid"], idempotency_key: "js-key-1", occurred_at: new Date() };
  assert.equal(await audit.loginSucceeded(first), true);
  assert.equal(await audit.loginFailed("idp_error:access_denied", { user_sub: "js-2", idempotency_key: "js-key-2" }), true);
  // A retry (same key, same event) is acknowledged again and stored once.
  assert.equal(await audit.loginSucceeded(first), true);
  assert.equal(audit.sent, 3);
  // The same key for a different event is a conflict (409): refused, not thrown.
  assert.equal(await audit.loginSucceeded({ ...first, username: "someone-else" }), false);
  assert.equal(audit.dropped, 1);
});

test("a wrong token is refused without throwing or retrying", async () => {
  const audit = new SpaceAuditClient({ token: "sa_ingest_" + "A".repeat(43) });
  assert.equal(await audit.logout({ idempotency_key: "js-never" }), false);
  assert.equal(audit.dropped, 1);
});

test("an unreachable server is retried, then given up, without throwing", async () => {
  const audit = new SpaceAuditClient({ url: "http://127.0.0.1:9", maxAttempts: 2, timeoutMs: 500 });
  assert.equal(await audit.logout({ idempotency_key: "js-unreachable" }), false);
  assert.equal(audit.dropped, 1);
});

test("a missing configuration disables the client instead of throwing", async () => {
  const audit = new SpaceAuditClient({ url: "", token: "", spaceId: "", fetchImpl: undefined });
  audit.enabled = false;
  assert.equal(await audit.loginStarted(), false);
});
