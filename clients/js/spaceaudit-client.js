// SpaceAudit ingest client for JavaScript: Node 18+ (global fetch), Deno, Bun, or any
// server-side runtime. Copy this one file.
//
// NOT for code that runs in the visitor's browser (a static Space's page): an ingest token in
// browser code is public, and anyone could push events as your Space. A static Space sends
// its events through a small trusted proxy (or a Docker Space) that holds the token.
//
//   import { SpaceAuditClient } from "./spaceaudit-client.js";
//   const audit = new SpaceAuditClient();   // SPACEAUDIT_URL, SPACEAUDIT_TOKEN, SPACE_ID from process.env
//   await audit.loginSucceeded({ user_sub: user.sub, username: user.name, scopes_granted: ["openid", "profile"] });
//
// Calls never throw into the app: they resolve to true (acknowledged) or false (given up).
// Each event carries an idempotency key, so a retried batch is stored once.

const FIELDS = ["outcome", "reason", "user_sub", "username", "orgs", "scopes_requested", "scopes_granted",
  "redirect_uri", "client_id", "client_ip", "user_agent"];
const LISTS = new Set(["orgs", "scopes_requested", "scopes_granted"]);
const FINAL = new Set([400, 401, 403, 404, 409, 413, 415, 422]);

function env(name) {
  return typeof process !== "undefined" && process.env ? process.env[name] || "" : "";
}

function randomKey() {
  if (globalThis.crypto && globalThis.crypto.randomUUID) return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

export class SpaceAuditClient {
  constructor({ url, token, spaceId, maxAttempts = 6, timeoutMs = 10000, fetchImpl } = {}) {
    this.url = (url || env("SPACEAUDIT_URL")).replace(/\/+$/, "");
    this.token = token || env("SPACEAUDIT_TOKEN");
    this.spaceId = spaceId || env("SPACE_ID");
    this.maxAttempts = Math.max(1, maxAttempts);
    this.timeoutMs = timeoutMs;
    this.fetch = fetchImpl || globalThis.fetch;
    this.sent = 0;
    this.dropped = 0;
    this.enabled = Boolean(this.url && this.token && this.spaceId && this.fetch);
    if (!this.enabled) console.warn("spaceaudit: SPACEAUDIT_URL, SPACEAUDIT_TOKEN or SPACE_ID missing; events are not sent");
  }

  loginStarted(fields = {}) { return this.record("login_started", fields); }
  loginSucceeded(fields = {}) { return this.record("login_succeeded", { outcome: "success", ...fields }); }
  loginFailed(reason, fields = {}) { return this.record("login_failed", { outcome: "failure", reason, ...fields }); }
  logout(fields = {}) { return this.record("logout", fields); }

  /** Builds one event (unknown fields are left out) and sends it; resolves to true when acknowledged. */
  async record(event, fields = {}) {
    try {
      if (!this.enabled) return false;
      const payload = {
        event,
        occurred_at: (fields.occurred_at ? new Date(fields.occurred_at) : new Date()).toISOString(),
        idempotency_key: fields.idempotency_key || randomKey(),
      };
      for (const name of FIELDS) {
        const value = fields[name];
        if (value === undefined || value === null) continue;
        payload[name] = LISTS.has(name) ? Array.from(value, String) : String(value);
      }
      return await this.send([payload]);
    } catch (error) {
      console.warn(`spaceaudit: could not record an event: ${error && error.name}`);
      return false;
    }
  }

  /** Sends a batch with retries and backoff (honouring Retry-After); never throws. */
  async send(events) {
    if (!this.enabled || !events.length) return false;
    const body = JSON.stringify({ events });
    const target = `${this.url}/api/v1/spaces/${this.spaceId}/events`;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      let status = 0;
      let retryAfter = null;
      try {
        const response = await this.fetch(target, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.token}` },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        status = response.status;
        retryAfter = Number(response.headers.get("Retry-After")) || null;
        await response.arrayBuffer().catch(() => null);
      } catch {
        status = 0; // network error or timeout: retry
      }
      if (status === 202) {
        this.sent += events.length;
        return true;
      }
      if (FINAL.has(status)) {
        this.dropped += events.length;
        console.warn(`spaceaudit: batch refused with HTTP ${status}`);
        return false;
      }
      const delay = (retryAfter ?? Math.min(30, 0.5 * 2 ** attempt)) * (0.8 + 0.4 * Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay * 1000));
    }
    this.dropped += events.length;
    return false;
  }
}
