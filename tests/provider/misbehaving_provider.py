#!/usr/bin/env python3
"""A small OpenID Connect provider that can misbehave on purpose, for SpaceAudit's end-to-end tests.

It implements just enough of an HF-like provider (discovery, JWKS, /authorize, /token, /userinfo) for
one relying party, and checks what a real provider checks: client_secret_basic, the redirect_uri, and
PKCE S256 against the code_challenge received at /authorize. /authorize auto-approves.

The behaviour is chosen by a MODE, given with --mode and switchable at runtime with
`POST /_mode` (body = mode name), so one process serves a whole test session:

  ok                     a correct sign-in
  bad_signature          ID token signed by a stranger's key under the real kid
  alg_none               ID token with alg "none" and no signature
  hs256_client_secret    ID token HMAC-signed with the client secret (alg confusion)
  header_jwk             signed by an attacker key that the header carries as `jwk`
  header_jku             signed by an attacker key published at the header's `jku` URL
  wrong_iss / wrong_aud  iss / aud of someone else
  multi_aud_no_azp       aud = [client_id, another client], no azp
  expired / iat_future   exp an hour ago / iat an hour ahead
  nonce_altered / nonce_missing
  unknown_kid            signed by a key whose kid is not in the JWKS
  rotate_keys            switching to it replaces the signing key and kid; sign-in must still work
                         (the relying party re-fetches the JWKS once). Each switch rotates again.
  userinfo_sub_mismatch  userinfo answers with another sub
  access_denied          /authorize redirects back with error=access_denied
  token_500 / token_not_json / token_stall (sleeps 30 s)
  discovery_wrong_issuer discovery announces another issuer (relying parties cache discovery, so
                         this only shows on a relying party that has not fetched it yet)

`GET /_stats` returns request counts as JSON (jwks, token, discovery, authorize, userinfo, and
attacker_jwks: fetches of the key set a `jku` header points to) and the mode. Prints "ready <port>" on stdout once listening (--port 0 picks a free port).

Needs Python 3.9+ and the `cryptography` package.
"""

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlencode, urlparse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

MODES = [
    "ok", "bad_signature", "alg_none", "hs256_client_secret", "header_jwk", "header_jku", "wrong_iss",
    "wrong_aud", "multi_aud_no_azp", "expired", "iat_future", "nonce_altered", "nonce_missing",
    "unknown_kid", "rotate_keys", "userinfo_sub_mismatch", "access_denied", "token_500",
    "token_not_json", "token_stall", "discovery_wrong_issuer",
]
CODE_LIFETIME = 600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


class Key:
    """An RSA 2048 signing key with its kid."""

    def __init__(self, kid: str):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict:
        numbers = self.private.public_key().public_numbers()
        n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
        e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
        return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": b64url(n), "e": b64url(e)}

    def sign(self, header: dict, claims: dict) -> str:
        signing_input = b64url_json(header) + "." + b64url_json(claims)
        signature = self.private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(signature)


class Provider:
    """All mutable state, behind one lock (the HTTP server is threaded)."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.mode = "ok"
        self.generation = 1
        self.key = Key("key-1")
        self.attacker = Key("attacker-1")
        self.codes = {}  # code -> what /authorize received
        self.access_tokens = {}  # access token -> sub
        self.stats = {"discovery": 0, "jwks": 0, "authorize": 0, "token": 0, "userinfo": 0, "attacker_jwks": 0}
        self.set_mode(args.mode)

    def set_mode(self, mode: str) -> bool:
        if mode not in MODES:
            return False
        with self.lock:
            self.mode = mode
            if mode == "rotate_keys":
                self.generation += 1
                self.key = Key(f"key-{self.generation}")
        return True

    def count(self, name: str):
        with self.lock:
            self.stats[name] += 1

    def discovery(self) -> dict:
        issuer = self.args.issuer
        return {
            "issuer": "https://evil.example" if self.mode == "discovery_wrong_issuer" else issuer,
            "authorization_endpoint": issuer + "/oauth/authorize",
            "token_endpoint": issuer + "/oauth/token",
            "userinfo_endpoint": issuer + "/oauth/userinfo",
            "jwks_uri": issuer + "/oauth/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email", "read-memberships", "read-repos"],
        }

    def id_token(self, nonce, mode: str) -> str:
        a = self.args
        now = int(time.time())
        claims = {
            "iss": a.issuer, "sub": a.sub, "aud": a.client_id, "exp": now + 600, "iat": now, "auth_time": now,
            "name": a.name, "preferred_username": a.username, "profile": f"https://huggingface.co/{a.username}",
        }
        if nonce is not None:
            claims["nonce"] = nonce
        header = {"alg": "RS256", "typ": "JWT", "kid": self.key.kid}
        if mode == "wrong_iss":
            claims["iss"] = "https://evil.example"
        elif mode == "wrong_aud":
            claims["aud"] = "some-other-client"
        elif mode == "multi_aud_no_azp":
            claims["aud"] = [a.client_id, "some-other-client"]
        elif mode == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        elif mode == "iat_future":
            claims.update(iat=now + 3600, exp=now + 7200)
        elif mode == "nonce_altered":
            claims["nonce"] = (nonce or "") + "-altered"
        elif mode == "nonce_missing":
            claims.pop("nonce", None)
        elif mode == "alg_none":
            return b64url_json({"alg": "none", "typ": "JWT"}) + "." + b64url_json(claims) + "."
        elif mode == "hs256_client_secret":
            signing_input = b64url_json({"alg": "HS256", "typ": "JWT", "kid": self.key.kid}) + "." + b64url_json(claims)
            mac = hmac.new(a.client_secret.encode(), signing_input.encode(), hashlib.sha256).digest()
            return signing_input + "." + b64url(mac)
        elif mode == "bad_signature":
            return Key(self.key.kid).sign(header, claims)
        elif mode == "header_jwk":
            return self.attacker.sign({"alg": "RS256", "kid": self.attacker.kid, "jwk": self.attacker.jwk()}, claims)
        elif mode == "header_jku":
            jku = a.issuer + "/_attacker/jwks"
            return self.attacker.sign({"alg": "RS256", "kid": self.attacker.kid, "jku": jku}, claims)
        elif mode == "unknown_kid":
            stranger = Key("unknown-" + secrets.token_hex(4))
            return stranger.sign({"alg": "RS256", "typ": "JWT", "kid": stranger.kid}, claims)
        return self.key.sign(header, claims)


class Handler(BaseHTTPRequestHandler):
    provider: Provider = None  # set in main
    server_version = "MisbehavingProvider/1"

    def log_message(self, fmt, *args):
        if self.provider.args.verbose:
            sys.stderr.write("provider: " + fmt % args + "\n")

    def send(self, status: int, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else (json.dumps(body) if content_type == "application/json" else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, location: str):
        self.send(302, b"", "text/plain", {"Location": location})

    def form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def do_GET(self):
        p = self.provider
        url = urlparse(self.path)
        if url.path == "/.well-known/openid-configuration":
            p.count("discovery")
            return self.send(200, p.discovery())
        if url.path == "/oauth/jwks":
            p.count("jwks")
            return self.send(200, {"keys": [p.key.jwk()]})
        if url.path == "/_attacker/jwks":
            p.count("attacker_jwks")  # a relying party that follows the token's `jku` lands here
            return self.send(200, {"keys": [p.attacker.jwk()]})
        if url.path == "/oauth/authorize":
            return self.authorize({k: v[0] for k, v in parse_qs(url.query).items()})
        if url.path == "/oauth/userinfo":
            return self.userinfo()
        if url.path == "/_stats":
            with p.lock:
                return self.send(200, dict(p.stats, mode=p.mode, kid=p.key.kid))
        if url.path == "/_mode":
            return self.send(200, p.mode, "text/plain")
        self.send(404, {"error": "not_found"})

    def do_POST(self):
        path = urlparse(self.path).path
        if path == "/oauth/token":
            return self.token()
        if path == "/_mode":
            mode = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode().strip()
            if self.provider.set_mode(mode):
                return self.send(200, mode + "\n", "text/plain")
            return self.send(400, f"unknown mode {mode!r}; modes: {' '.join(MODES)}\n", "text/plain")
        self.send(404, {"error": "not_found"})

    def authorize(self, q: dict):
        p, a = self.provider, self.provider.args
        p.count("authorize")
        if q.get("client_id") != a.client_id:
            return self.send(400, "Invalid client_id", "text/plain")
        redirect_uri = q.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            return self.send(400, "400 Error: invalid redirect_uri.", "text/plain")
        back = redirect_uri + ("&" if "?" in redirect_uri else "?")
        state = {"state": q["state"]} if "state" in q else {}
        if p.mode == "access_denied":
            return self.redirect(back + urlencode({"error": "access_denied", "error_description": "The user denied access", **state}))
        if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return self.redirect(back + urlencode({"error": "invalid_request", **state}))
        code = secrets.token_urlsafe(24)
        with p.lock:
            p.codes[code] = dict(q, issued=time.time())
        self.redirect(back + urlencode({"code": code, **state}))

    def client_authenticated(self) -> bool:
        a = self.provider.args
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(auth[6:], validate=True).decode().partition(":")
        except ValueError:
            return False
        return hmac.compare_digest(unquote_plus(user), a.client_id) and hmac.compare_digest(unquote_plus(password), a.client_secret)

    def token(self):
        p, a = self.provider, self.provider.args
        p.count("token")
        mode = p.mode
        if mode == "token_stall":
            time.sleep(30)
        if mode == "token_500":
            return self.send(500, {"error": "server_error", "error_description": "simulated failure"})
        if mode == "token_not_json":
            return self.send(200, "<html><body>Bad gateway</body></html>", "text/html")
        if not self.client_authenticated():
            return self.send(401, {"error": "invalid_client"}, headers={"WWW-Authenticate": "Basic"})
        f = self.form()
        with p.lock:
            grant = p.codes.pop(f.get("code", ""), None)  # single use
        if f.get("grant_type") != "authorization_code" or grant is None or time.time() - grant["issued"] > CODE_LIFETIME:
            return self.send(400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"})
        if f.get("redirect_uri") != grant.get("redirect_uri"):
            return self.send(400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"})
        verifier = f.get("code_verifier", "")
        if not 43 <= len(verifier) <= 128 or b64url(hashlib.sha256(verifier.encode()).digest()) != grant["code_challenge"]:
            return self.send(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        access_token = "hf_oauth_" + secrets.token_urlsafe(24)
        with p.lock:
            p.access_tokens[access_token] = mode
            id_token = p.id_token(grant.get("nonce"), mode)
        self.send(200, {
            "access_token": access_token, "token_type": "Bearer", "expires_in": 28800,
            "scope": grant.get("scope", "openid profile"), "id_token": id_token,
        })

    def userinfo(self):
        p, a = self.provider, self.provider.args
        p.count("userinfo")
        auth = self.headers.get("Authorization", "")
        with p.lock:
            mode = p.access_tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if mode is None:
            return self.send(401, {"error": "invalid_token"}, headers={"WWW-Authenticate": "Bearer"})
        self.send(200, {
            "sub": "someone-else-entirely" if mode == "userinfo_sub_mismatch" else a.sub,
            "name": a.name, "preferred_username": a.username,
            "profile": f"https://huggingface.co/{a.username}", "picture": "https://example.invalid/avatar.png",
            "isPro": False, "orgs": a.orgs,
        })


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--issuer", help="default http://127.0.0.1:PORT")
    parser.add_argument("--client-id", default="spaceaudit-test-client")
    parser.add_argument("--client-secret", default="spaceaudit-test-secret")
    parser.add_argument("--sub", default="64b7c2e9a1f0d3b5c8e7a912")
    parser.add_argument("--username", default="ada-example")
    parser.add_argument("--name", default="Ada Example")
    parser.add_argument("--orgs", type=json.loads, default=[], help='JSON, e.g. [{"sub":"o1","preferred_username":"acme","roleInOrg":"admin"}]')
    parser.add_argument("--mode", choices=MODES, default="ok")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    # A parent may spawn us with signals blocked (Foundation's Process does, from a dispatch thread);
    # unblock them so that SIGTERM/SIGINT from the test harness end the provider.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    args.issuer = (args.issuer or f"http://127.0.0.1:{port}").rstrip("/")
    Handler.provider = Provider(args)
    print(f"ready {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
