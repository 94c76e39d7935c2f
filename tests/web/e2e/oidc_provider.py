#!/usr/bin/env python3
"""A loopback OpenID Connect provider for the browser sign-in test: a test
double for the outside world that speaks the real protocol (authorization
code flow with PKCE, RFC 6749 / RFC 7636 / OpenID Connect Core), so the UI
and the server are exercised exactly as against Auth0, Keycloak or Entra.

    oidc_provider.py [--client-id sof-web] [--audience https://api.sof.test]
                     [--tenant acme] [--user alice] [--tenant-claim tenant]

Listens on 127.0.0.1:0 and prints its port as the first line of stdout; the
issuer is http://127.0.0.1:PORT/ (with the trailing slash, as Auth0 writes
it). Logs one line per request to stderr. Stdlib only: the RSA key is made
with `openssl genrsa` at start and tokens are signed with `openssl dgst`.

  GET  /.well-known/openid-configuration   discovery (CORS *)
  GET  /authorize                          validates the request, shows a
                                           login page: "Continue as USER" or "Deny"
  POST /authorize/decision                 303 to redirect_uri?code=&state=
                                           (or ?error=access_denied&state=)
  POST /token                              code + code_verifier -> tokens (CORS *)
  GET  /jwks                               the public key (CORS *)

Refusals follow the RFCs: an authorization request with a valid client and
redirect_uri but anything else wrong goes back to the client as
?error=invalid_request&error_description=...; with an unknown client or a
redirect_uri that is not registered it is a 400 page (never a redirect). A
token request with a wrong, reused (single use) or expired (60 s) code, a
different client or redirect_uri, or a code_verifier whose
BASE64URL(SHA256()) is not the code_challenge answers 400 invalid_grant.

Registered redirect URIs: http://127.0.0.1:ANY/ and http://localhost:ANY/,
the loopback rule of RFC 8252 section 7.3 (the port of `sof serve --port 0`
is not known when the provider starts).
"""
import argparse
import base64
import hashlib
import html
import http.server
import json
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CODE_TTL_S = 60
TOKEN_TTL_S = 600
KID = "e2e-rsa-1"
VERIFIER_RE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class signer:
    """An RSA key in a temporary folder, used through the openssl CLI."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sof-oidc-")
        self.key = f"{self.dir}/key.pem"
        subprocess.run(["openssl", "genrsa", "-out", self.key, "2048"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = subprocess.run(["openssl", "rsa", "-in", self.key, "-noout", "-text"], check=True,
                              capture_output=True, text=True).stdout
        modulus = subprocess.run(["openssl", "rsa", "-in", self.key, "-noout", "-modulus"],
                                 check=True, capture_output=True, text=True).stdout
        n = int(modulus.strip().split("=", 1)[1], 16)
        e = int(re.search(r"publicExponent:\s*(\d+)", text).group(1))
        to_bytes = lambda i: i.to_bytes((i.bit_length() + 7) // 8, "big")
        self.jwk = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
                    "n": b64url(to_bytes(n)), "e": b64url(to_bytes(e))}
        self.lock = threading.Lock()

    def jwt(self, claims: dict) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": KID}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                         + b64url(json.dumps(claims, separators=(",", ":")).encode()))
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key],
                             input=signing_input.encode(), capture_output=True, check=True).stdout
        return signing_input + "." + b64url(sig)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class provider:
    def __init__(self, opts, keys):
        self.opts = opts
        self.keys = keys
        self.issuer = ""  # set once the port is known
        self.lock = threading.Lock()
        self.requests = {}  # login page id -> validated authorization request
        self.codes = {}     # code -> {client_id, redirect_uri, challenge, nonce, scope, at, used}

    @staticmethod
    def redirect_ok(uri: str) -> bool:
        u = urllib.parse.urlsplit(uri)
        return (u.scheme == "http" and u.hostname in ("127.0.0.1", "localhost")
                and u.port is not None and u.path == "/" and not u.query and not u.fragment)

    def discovery(self):
        i = self.issuer.rstrip("/")
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{i}/authorize",
            "token_endpoint": f"{i}/token",
            "jwks_uri": f"{i}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def tokens(self, grant):
        now = int(time.time())
        user, o = self.opts.user, self.opts
        access = self.keys.jwt({
            "iss": self.issuer, "aud": o.audience, "sub": user, o.tenant_claim: o.tenant,
            "azp": grant["client_id"], "scope": grant["scope"], "iat": now, "exp": now + TOKEN_TTL_S,
            "jti": secrets.token_hex(8)})
        ident = self.keys.jwt({
            "iss": self.issuer, "aud": grant["client_id"], "sub": user, "nonce": grant["nonce"],
            "name": user.capitalize(), "email": f"{user}@example.test", o.tenant_claim: o.tenant,
            "iat": now, "exp": now + TOKEN_TTL_S, "auth_time": now})
        return {"access_token": access, "id_token": ident, "token_type": "Bearer",
                "expires_in": TOKEN_TTL_S, "scope": grant["scope"]}


def make_handler(p: provider):
    class handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "sof-test-oidc/1"

        def log_message(self, fmt, *args):
            sys.stderr.write("oidc: " + (fmt % args) + "\n")

        # -- responses ------------------------------------------------------
        def send(self, code, body: bytes, ctype, cors=False, headers=()):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            if cors:
                self.send_header("Access-Control-Allow-Origin", "*")
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def send_json(self, code, obj, cors=True):
            self.send(code, json.dumps(obj).encode(), "application/json", cors)

        def send_page(self, code, title, body_html):
            page = ("<!doctype html><html lang=en><meta charset=utf-8>"
                    f"<title>{html.escape(title)}</title><body>"
                    f"<h1>{html.escape(title)}</h1>{body_html}</body></html>")
            self.send(code, page.encode(), "text/html; charset=utf-8",
                      headers=[("Content-Security-Policy", "default-src 'none'; form-action *")])

        def redirect(self, uri, params):
            sep = "&" if urllib.parse.urlsplit(uri).query else "?"
            self.send(303, b"", "text/plain",
                      headers=[("Location", uri + sep + urllib.parse.urlencode(params))])

        def form(self):
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n).decode("utf-8", "replace") if n else ""
            return {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

        # -- routes ---------------------------------------------------------
        def do_OPTIONS(self):
            self.send(204, b"", "text/plain", cors=True, headers=[
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Authorization"),
                ("Access-Control-Max-Age", "600")])

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/.well-known/openid-configuration":
                return self.send_json(200, p.discovery())
            if url.path == "/jwks":
                return self.send_json(200, {"keys": [p.keys.jwk]})
            if url.path == "/authorize":
                q = {k: v[0] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
                return self.authorize(q)
            self.send_json(404, {"error": "not_found"}, cors=False)

        def do_POST(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/token":
                return self.token(self.form())
            if path == "/authorize/decision":
                return self.decision(self.form())
            self.send_json(404, {"error": "not_found"}, cors=False)

        def authorize(self, q):
            client, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
            if client != p.opts.client_id:
                return self.send_page(400, "Unknown client", f"<p>client_id {html.escape(client)!r} is not registered.</p>")
            if not p.redirect_ok(redirect_uri):
                return self.send_page(400, "Bad redirect_uri",
                                      f"<p>{html.escape(redirect_uri)!r} is not registered for this client.</p>")
            problem = None
            if q.get("response_type") != "code":
                problem = "response_type must be code"
            elif q.get("code_challenge_method") != "S256":
                problem = "code_challenge_method must be S256"
            elif not re.fullmatch(r"[A-Za-z0-9_-]{43}", q.get("code_challenge", "")):
                problem = "code_challenge is missing or not a base64url SHA-256"
            elif not q.get("state"):
                problem = "state is required"
            elif not q.get("nonce"):
                problem = "nonce is required"
            elif "openid" not in q.get("scope", "").split():
                problem = "scope must include openid"
            elif q.get("audience") and q["audience"] != p.opts.audience:
                problem = f"unknown audience {q['audience']}"
            if problem:
                params = {"error": "invalid_request", "error_description": problem}
                if q.get("state"):
                    params["state"] = q["state"]
                return self.redirect(redirect_uri, params)
            rid = secrets.token_urlsafe(16)
            with p.lock:
                p.requests[rid] = {"client_id": client, "redirect_uri": redirect_uri,
                                   "challenge": q["code_challenge"], "nonce": q["nonce"],
                                   "state": q["state"], "scope": q.get("scope", ""), "at": time.time()}
            user = html.escape(p.opts.user)
            self.send_page(200, "Sign in to the test provider", (
                f"<p>{html.escape(client)} asks to sign you in.</p>"
                '<form method="post" action="/authorize/decision">'
                f'<input type="hidden" name="request" value="{rid}">'
                f'<button type="submit" name="decision" value="allow" id="allow">Continue as {user}</button> '
                '<button type="submit" name="decision" value="deny" id="deny">Deny</button>'
                "</form>"))

        def decision(self, f):
            with p.lock:
                req = p.requests.pop(f.get("request", ""), None)
            if not req or time.time() - req["at"] > 600:
                return self.send_page(400, "Login expired", "<p>Start the sign-in again.</p>")
            if f.get("decision") != "allow":
                return self.redirect(req["redirect_uri"], {
                    "error": "access_denied", "error_description": "the user denied the request",
                    "state": req["state"]})
            code = secrets.token_urlsafe(24)
            with p.lock:
                p.codes[code] = dict(req, at=time.time(), used=False)
            self.redirect(req["redirect_uri"], {"code": code, "state": req["state"]})

        def token(self, f):
            def invalid(error, why):
                sys.stderr.write(f"oidc: token refused: {why}\n")
                self.send_json(400, {"error": error, "error_description": why})
            if f.get("grant_type") != "authorization_code":
                return invalid("unsupported_grant_type", "grant_type must be authorization_code")
            if f.get("client_id") != p.opts.client_id:
                return invalid("invalid_client", "unknown client_id")
            with p.lock:
                grant = p.codes.get(f.get("code", ""))
                first_use = grant is not None and not grant["used"]
                if grant is not None:
                    grant["used"] = True  # single use: a failed attempt burns it too
            if grant is None:
                return invalid("invalid_grant", "unknown code")
            if not first_use:
                return invalid("invalid_grant", "code already used")
            if time.time() - grant["at"] > CODE_TTL_S:
                return invalid("invalid_grant", "code expired")
            if grant["client_id"] != f.get("client_id"):
                return invalid("invalid_grant", "code issued to another client")
            if grant["redirect_uri"] != f.get("redirect_uri"):
                return invalid("invalid_grant", "redirect_uri differs from the authorization request")
            verifier = f.get("code_verifier", "")
            if not VERIFIER_RE.fullmatch(verifier):
                return invalid("invalid_grant", "code_verifier missing or malformed")
            if b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
                return invalid("invalid_grant", "PKCE verification failed")
            self.send_json(200, p.tokens(grant))

    return handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--client-id", default="sof-web")
    ap.add_argument("--audience", default="https://api.sof.test")
    ap.add_argument("--tenant", default="acme")
    ap.add_argument("--user", default="alice")
    ap.add_argument("--tenant-claim", default="tenant")
    opts = ap.parse_args()
    keys = signer()
    p = provider(opts, keys)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(p))
    server.daemon_threads = True
    port = server.server_address[1]
    p.issuer = f"http://127.0.0.1:{port}/"
    print(port, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        keys.close()


if __name__ == "__main__":
    main()
