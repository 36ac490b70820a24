"""Writes the hostile-input corpus for test_ingest_hostile.py: one request body per file
(`NNN-name.body`, raw bytes, so invalid UTF-8 and NUL survive) and `index.json` with the
answer each must get. `__NOW__` in a body is replaced by the current time when sent, so the
corpus does not age. Run it again after editing: python3 make_corpus.py"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
cases = []


def add(name, body, status, code=None, field=None, content_type="application/json"):
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    cases.append({"name": name, "data": data, "status": status, "code": code, "field": field, "content_type": content_type})


def event(**over):
    e = {"event": "login_succeeded", "occurred_at": "__NOW__", "idempotency_key": "k-" + str(len(cases))}
    e.update(over)
    return {k: v for k, v in e.items() if v is not DROP}


DROP = object()


def batch(*events, **top):
    body = {"events": list(events)}
    body.update(top)
    return json.dumps(body, ensure_ascii=False)


# --- not JSON at all / broken JSON (400 invalid_json) -------------------------------------
for name, text in [
    ("empty-body", ""), ("whitespace", "   \n"), ("bare-word", "events"), ("truncated-object", '{"events": ['),
    ("trailing-comma", '{"events": [],}'), ("single-quotes", "{'events': []}"), ("unquoted-key", "{events: []}"),
    ("comment", '{"events": [] /* hi */}'), ("nan", '{"events": [NaN]}'), ("infinity", '{"events": [Infinity]}'),
    ("leading-zero", '{"events": [01]}'), ("two-values", '{"events": []} {"events": []}'),
    ("trailing-garbage", '{"events": []}x'), ("bad-escape", '{"events": ["\\x41"]}'),
    ("lone-high-surrogate", '{"events": ["\\ud800"]}'), ("lone-low-surrogate", '{"events": ["\\udc00"]}'),
    ("raw-newline-in-string", '{"events": ["a\nb"]}'), ("raw-tab-in-string", '{"events": ["a\tb"]}'),
    ("unterminated-string", '{"events": ["abc]}'), ("huge-exponent", '{"events": [1e999]}'),
    ("minus-only", '{"events": [-]}'), ("dot-number", '{"events": [.5]}'), ("true-typo", '{"events": [tru]}'),
    ("deep-nesting", '{"events": ' + "[" * 200 + "]" * 200 + "}"), ("bom", "\ufeff" + batch(event())),
    ("nul-raw", '{"events": []}\u0000'),
]:
    add(name, text, 400, "invalid_json")

for name, data in [
    ("invalid-utf8-continuation", b'{"events": [{"event": "\x80"}]}'),
    ("invalid-utf8-overlong", b'{"events": [{"username": "\xc0\xaf"}]}'),
    ("invalid-utf8-surrogate", b'{"events": [{"username": "\xed\xa0\x80"}]}'),
    ("invalid-utf8-truncated", b'{"events": [{"username": "\xe2\x82"}]}'),
    ("invalid-utf8-latin1", b'{"events": [{"username": "caf\xe9"}]}'),
    ("invalid-utf8-ff", b'\xff\xfe{"events": []}'),
]:
    add(name, data, 400, "invalid_json")

# --- duplicate keys (400: two parsers could disagree on which value counts) -----------------
add("duplicate-top-key", '{"events": [], "events": [' + json.dumps(event()) + "]}", 400, "invalid_json")
add("duplicate-event-key", '{"events": [{"event": "login_succeeded", "event": "logout", "occurred_at": "__NOW__", "idempotency_key": "d1"}]}', 400, "invalid_json")
add("duplicate-key-escaped", '{"events": [{"event": "logout", "\\u0065vent": "login_failed", "occurred_at": "__NOW__", "idempotency_key": "d2"}]}', 400, "invalid_json")
add("duplicate-nested-key", '{"events": [{"event": "logout", "occurred_at": "__NOW__", "idempotency_key": "d3", "orgs": ["a"], "orgs": ["b"]}]}', 400, "invalid_json")
add("duplicate-user-sub", '{"events": [{"event": "logout", "occurred_at": "__NOW__", "idempotency_key": "d4", "user_sub": "a", "user_sub": "b"}]}', 400, "invalid_json")

# --- wrong envelope (422) -------------------------------------------------------------------
for name, text, field in [
    ("top-array", "[]", "$"), ("top-string", '"events"', "$"), ("top-null", "null", "$"), ("top-number", "42", "$"),
    ("missing-events", "{}", "events"), ("events-null", '{"events": null}', "events"), ("events-object", '{"events": {}}', "events"),
    ("events-string", '{"events": "x"}', "events"), ("events-empty", '{"events": []}', "events"),
    ("unknown-top-field", batch(event(), extra=1), "extra"),
    ("too-many-events", json.dumps({"events": [{"event": "logout", "occurred_at": "__NOW__", "idempotency_key": f"m{i}"} for i in range(1001)]}), "events"),
]:
    add(name, text, 422, "invalid_events", field)

# --- wrong types and missing fields (422) ---------------------------------------------------
for name, ev, field in [
    ("event-not-object", "string-event", "$"), ("event-array", ["x"], "$"), ("event-null", None, "$"),
    ("missing-event", event(event=DROP), "event"), ("missing-occurred-at", event(occurred_at=DROP), "occurred_at"),
    ("missing-idempotency-key", event(idempotency_key=DROP), "idempotency_key"),
    ("event-number", event(event=1), "event"), ("event-bool", event(event=True), "event"),
    ("event-unknown", event(event="login_hacked"), "event"), ("event-export-reserved", event(event="export"), "event"),
    ("event-retention-reserved", event(event="retention"), "event"), ("event-case", event(event="LOGIN_SUCCEEDED"), "event"),
    ("occurred-at-number", event(occurred_at=1700000000), "occurred_at"),
    ("occurred-at-no-zone", event(occurred_at="2026-05-01T12:00:00"), "occurred_at"),
    ("occurred-at-date-only", event(occurred_at="2026-05-01"), "occurred_at"),
    ("occurred-at-garbage", event(occurred_at="yesterday"), "occurred_at"),
    ("occurred-at-far-future", event(occurred_at="2999-01-01T00:00:00Z"), "occurred_at"),
    ("occurred-at-ancient", event(occurred_at="1999-01-01T00:00:00Z"), "occurred_at"),
    ("occurred-at-epoch", event(occurred_at="1970-01-01T00:00:00Z"), "occurred_at"),
    ("occurred-at-month-13", event(occurred_at="2026-13-01T00:00:00Z"), "occurred_at"),
    ("idempotency-key-number", event(idempotency_key=5), "idempotency_key"),
    ("idempotency-key-empty", event(idempotency_key=""), "idempotency_key"),
    ("idempotency-key-long", event(idempotency_key="k" * 129), "idempotency_key"),
    ("outcome-unknown", event(outcome="maybe"), "outcome"), ("outcome-number", event(outcome=1), "outcome"),
    ("outcome-contradicts", event(outcome="failure"), "outcome"),
    ("unknown-field", event(password="hunter2"), "password"), ("unknown-field-token", event(access_token="hf_x"), "access_token"),
    ("orgs-string", event(orgs="acme"), "orgs"), ("orgs-number-item", event(orgs=[1]), "orgs[0]"),
    ("orgs-null-item", event(orgs=[None]), "orgs[0]"), ("orgs-nested", event(orgs=[["a"]]), "orgs[0]"),
    ("orgs-space-item", event(orgs=["a b"]), "orgs[0]"), ("orgs-too-many", event(orgs=[f"o{i}" for i in range(101)]), "orgs"),
    ("scopes-object", event(scopes_granted={"openid": True}), "scopes_granted"),
    ("scopes-empty-item", event(scopes_requested=[""]), "scopes_requested[0]"),
    ("user-sub-number", event(user_sub=123), "user_sub"), ("username-object", event(username={}), "username"),
    ("username-bool", event(username=False), "username"), ("username-empty", event(username=""), "username"),
    ("client-ip-not-ip", event(client_ip="example.com"), "client_ip"), ("client-ip-sql", event(client_ip="1.2.3.4' OR '1'='1"), "client_ip"),
    ("redirect-uri-array", event(redirect_uri=["https://a"]), "redirect_uri"),
]:
    add(name, batch(ev), 422, "invalid_events", field)

# --- oversized strings (422) ----------------------------------------------------------------
for field, limit in [("reason", 256), ("user_sub", 256), ("username", 256), ("redirect_uri", 2048), ("client_id", 256),
                     ("user_agent", 1024)]:
    add(f"oversized-{field.replace('_', '-')}", batch(event(**{field: "x" * (limit + 1)})), 422, "invalid_events", field)
add("oversized-org-item", batch(event(orgs=["o" * 257])), 422, "invalid_events", "orgs[0]")
add("oversized-scope-item", batch(event(scopes_granted=["s" * 129])), 422, "invalid_events", "scopes_granted[0]")

# --- NUL and CR/LF and other control characters in fields (422) ------------------------------
for field in ["username", "user_sub", "reason", "redirect_uri", "client_id", "user_agent", "idempotency_key"]:
    add(f"nul-in-{field.replace('_', '-')}", batch(event(**{field: "a\u0000b"})), 422, "invalid_events", field)
for field in ["username", "user_agent", "redirect_uri", "reason"]:
    add(f"crlf-in-{field.replace('_', '-')}", batch(event(**{field: "a\r\nSet-Cookie: x=1"})), 422, "invalid_events", field)
add("lf-in-username", batch(event(username="alice\nbob")), 422, "invalid_events", "username")
add("cr-in-client-id", batch(event(client_id="id\r")), 422, "invalid_events", "client_id")
add("tab-in-username", batch(event(username="a\tb")), 422, "invalid_events", "username")
add("escape-in-username", batch(event(username="\u001b[31mred")), 422, "invalid_events", "username")
add("del-in-username", batch(event(username="a\u007fb")), 422, "invalid_events", "username")
add("c1-in-username", batch(event(username="a\u0085b")), 422, "invalid_events", "username")
add("nul-in-org", batch(event(orgs=["a\u0000"])), 422, "invalid_events", "orgs[0]")
add("nul-in-event", batch(event(event="logout\u0000")), 422, "invalid_events", "event")
add("nul-in-occurred-at", batch(event(occurred_at="__NOW__\u0000")), 422, "invalid_events", "occurred_at")

# --- one bad event spoils the batch (422, nothing stored) -----------------------------------
add("good-then-bad", batch(event(), event(event="nope")), 422, "invalid_events", "event")
add("bad-then-good", batch(event(username=7), event()), 422, "invalid_events", "username")

# --- SQL payloads in fields that are not valid values (422) ---------------------------------
for field in ["event", "occurred_at", "outcome", "client_ip"]:
    add(f"sql-in-{field.replace('_', '-')}", batch(event(**{field: "'; DROP TABLE login_events; --"})), 422, "invalid_events", field)
add("sql-in-orgs-with-space", batch(event(orgs=["x'); DELETE FROM spaces; --"])), 422, "invalid_events", "orgs[0]")
add("sql-unknown-field", batch(event(**{"event'--": "x"})), 422, "invalid_events")

# --- wrong media type (415) -----------------------------------------------------------------
for name, ctype in [("text-plain", "text/plain"), ("form", "application/x-www-form-urlencoded"), ("no-type", ""),
                    ("latin1-charset", "application/json; charset=iso-8859-1"), ("json-lookalike", "application/jsonx")]:
    add(f"content-type-{name}", batch(event()), 415, "unsupported_media_type", content_type=ctype)

# --- SQL payloads that ARE valid values: stored literally (202) ------------------------------
SQL_VALUES = ["'; DROP TABLE login_events; --", "Robert'); DELETE FROM spaces;--", "1' OR '1'='1", "$$; SELECT pg_sleep(10); $$",
              "\\'; TRUNCATE chain_heads; --", "' UNION SELECT token_hash FROM ingest_tokens --"]
accepted = []
for i, value in enumerate(SQL_VALUES):
    ev = {"event": "login_failed", "occurred_at": "__NOW__", "idempotency_key": f"sql-literal-{i}", "outcome": "failure",
          "reason": value, "user_sub": value, "username": value, "redirect_uri": value, "client_id": value,
          "user_agent": value, "scopes_granted": [value.replace(" ", "_")], "orgs": [value.replace(" ", "")]}
    accepted.append(ev)
    add(f"sql-literal-{i}", json.dumps({"events": [ev]}), 202)

index = []
for n, case in enumerate(cases, 1):
    file = f"{n:03d}-{case['name']}.body"
    (HERE / file).write_bytes(case["data"])
    index.append({k: v for k, v in {"file": file, "status": case["status"], "code": case["code"], "field": case["field"],
                                    "content_type": case["content_type"]}.items() if v is not None})
(HERE / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n")
print(f"{len(index)} cases written")
