"""The harness of cli_hostile_test.py: a `sof serve` to abuse, a session
stored before the abuse that must come out of it byte for byte, a normal
session by another tenant running through it, and the checks after it
(health, the bystander's result, the stored session, SQLite integrity
after a clean stop, the same document after a restart).

Tokens are minted here (HS256 with the test secret, stdlib only), so a
case can configure an issuer and audience and still sign in.
"""
import base64
import glob
import hashlib
import hmac
import json
import os
import socket
import sqlite3
import subprocess
import threading
import time
import wave

from cli_common import check, scaled
import cli_serve_test as serve

HOST = serve.HOST
QUESTION = serve.QUESTION
SECRET = "hostile-test-secret-of-at-least-32-bytes"
SHORT_SECONDS = 6  # the recording every stored and concurrent session uses


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims, secret=SECRET, header=None, sign=True):
    """A compact JWS: header (default HS256) and claims as compact JSON
    (bytes are taken as they are), an HMAC-SHA256 signature with `secret`
    (empty when sign is False)."""
    header = {"alg": "HS256", "typ": "JWT"} if header is None else header
    enc = lambda o: b64u(json.dumps(o, separators=(",", ":")).encode())
    head = enc(header) if isinstance(header, dict) else b64u(header)
    body = enc(claims) if isinstance(claims, dict) else b64u(claims)
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}." + (b64u(sig) if sign else "")


def say(label, answer):
    """One line of the report."""
    print(f"  {label:<46} -> {answer}", flush=True)


def expect(cond, label, answer):
    """A probe's verdict: fails the test with the answer, else reports it."""
    check(cond, f"{label}: {answer}")
    say(label, answer)


class Response:
    def __init__(self, status, headers, body, seconds, closed, error=None):
        self.status, self.headers, self.body = status, headers, body
        self.seconds, self.closed, self.error = seconds, closed, error

    def json(self):
        try:
            return json.loads(self.body.decode())
        except ValueError:
            return None

    def __str__(self):
        if self.status is None:
            return f"no response, {self.error or 'closed'} after {self.seconds:.1f} s"
        return f"{self.status} {self.body[:120].decode(errors='replace')}"


def raw_http(port, data, timeout=25):
    """Sends raw bytes as one HTTP request and reads one response (by its
    Content-Length) or until the server closes or resets. A send that fails
    (the server closed while we were still sending) still reads what came."""
    t0 = time.monotonic()
    s = socket.create_connection((HOST, port), timeout=timeout)
    error = None
    try:
        s.sendall(data)
    except OSError as e:
        error = f"send: {type(e).__name__}"
    buf, closed = b"", False
    head, length = None, None
    try:
        while True:
            if head is None and b"\r\n\r\n" in buf:
                head, buf = buf.split(b"\r\n\r\n", 1)
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
            if head is not None and length is not None and len(buf) >= length:
                break
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            buf += chunk
    except socket.timeout:
        error = "timeout"
    except OSError as e:
        closed, error = True, error or type(e).__name__
    finally:
        s.close()
    seconds = time.monotonic() - t0
    if head is None:
        return Response(None, {}, b"", seconds, closed, error)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return Response(int(lines[0].split()[1]), headers, buf[:length] if length else buf,
                    seconds, closed, error)


def request(port, method, target, token=None, body=b"", headers=()):
    """A raw request (the target is sent exactly as given)."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    if body:
        lines.append(f"Content-Length: {len(body)}")
    lines += list(headers)
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return raw_http(port, head + body)


def short_wav(data, work):
    """The first SHORT_SECONDS of the spoken sample, a whole number of 20 ms
    frames: every frame `sof client` sends is then one a raw client sends."""
    src = os.path.join(data, "samples", "chaos_answer.wav")
    check(os.path.exists(src), f"{src} missing (built by the sof_samples target)")
    with wave.open(src) as w:
        check(w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2,
              "chaos_answer.wav is not 16 kHz mono PCM16")
        pcm = w.readframes(16000 * SHORT_SECONDS)
    out = os.path.join(work, "short.wav")
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm)
    return out, pcm


def rss_mb(port):
    status, _, text = serve.http(port, "GET", "/metrics")
    check(status == 200 and isinstance(text, str), f"/metrics: {status}")
    for line in text.splitlines():
        if line.startswith("process_resident_memory_bytes"):
            return float(line.split()[-1]) / 1e6
    check(False, "no process_resident_memory_bytes in /metrics")


class Guard:
    """A server, its stored reference session and its bystander."""

    def __init__(self, sof, src, data, work, server_toml="", auth_toml="", claims=None):
        self.sof, self.src, self.data, self.work = sof, src, data, work
        self.extra_claims = claims or {}
        self.web = os.path.join(work, "web")
        os.makedirs(self.web, exist_ok=True)
        with open(os.path.join(self.web, "index.html"), "w") as f:
            f.write("<!doctype html><title>sof</title>")
        self.cfg = os.path.join(work, "hostile.toml")
        with open(self.cfg, "w") as f:
            f.write(f'[server]\nweb_dir = "{self.web}"\n{server_toml}\n'
                    f'[auth]\nhs256_secret = "{SECRET}"\n{auth_toml}\n'
                    "[limits]\nconcurrent_sessions = 8\n")
        self.wav, self.pcm = short_wav(data, work)
        self.srv = serve.Server(sof, work, self.cfg)
        self.port = self.srv.port
        self.kept = self.kept_id = self.bystander = None

    def token(self, tenant, user, **claims):
        now = int(time.time())
        c = {"tenant": tenant, "sub": user, "iat": now, "exp": now + 3600,
             **self.extra_claims, **claims}
        return jwt({k: v for k, v in c.items() if v is not None})

    def baseline(self):
        """A whole session stored before any abuse; its document is kept."""
        tok = self.token("keeper", "kate")
        doc = serve.client_json(self.sof, self.srv, tok, self.wav, "--no-voice")
        check(doc["transcript"].strip(), "the reference session has no transcript")
        self.kept_id = doc["session_id"]
        self.kept = serve.stored(self.srv, tok, self.kept_id)
        self.kept_transcript = serve.joined(self.kept["segments"])
        check(self.kept["session"]["status"] == "completed" and self.kept["scorecard"],
              f"reference session not completed: {self.kept['session']}")
        print(f"reference session {self.kept_id} stored: "
              f"{len(self.kept['segments'])} segments, verdict "
              f"{self.kept['session']['verdict']}: {self.kept_transcript[:80]!r}")

    def start_bystander(self, *extra):
        """Another tenant's normal session, running through the abuse."""
        self.bystander_token = self.token("bystander", "bob")
        self.bystander = subprocess.Popen(
            [self.sof, "client", "--url", self.srv.url, "--token", self.bystander_token,
             "--question", QUESTION, "--audio", self.wav, "--no-voice", "--json", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.bystander_t0 = time.monotonic()
        self.bystander_done = None  # when it exited (monotonic)
        self.bystander_out = None

        def wait():
            try:
                self.bystander_out = self.bystander.communicate(timeout=scaled(300))
            except subprocess.TimeoutExpired:
                self.bystander.kill()
                self.bystander_out = self.bystander.communicate()
            self.bystander_done = time.monotonic()

        self.bystander_waiter = threading.Thread(target=wait, daemon=True)
        self.bystander_waiter.start()

    def bystander_live_id(self, timeout=30):
        """The bystander's session id, from its own listing, while it is live."""
        deadline = time.monotonic() + scaled(timeout)
        while time.monotonic() < deadline:
            status, _, doc = serve.http(self.port, "GET", "/v1/sessions",
                                        self.bystander_token)
            live = [s["id"] for s in (doc or {}).get("sessions", []) if s["status"] == "live"]
            if status == 200 and live:
                return live[0]
            time.sleep(0.2)
        check(False, "the bystander's session never showed up live")

    def finish(self):
        """After the abuse: the bystander completed untouched, the server is
        healthy, the reference session is intact before and after a clean
        stop, SQLite is consistent, and a restart serves the same document."""
        print("after the abuse:")
        if self.bystander is not None:
            self.bystander_waiter.join(timeout=scaled(310))
            check(self.bystander_done is not None and self.bystander.returncode is not None,
                  "the bystander's session did not finish")
            out, err = self.bystander_out
            check(self.bystander.returncode == 0,
                  f"bystander: rc={self.bystander.returncode}\n{err[-1500:]}\n"
                  f"{self.srv.log_tail()}")
            doc = json.loads(out)
            frames = doc.get("server_frames", {})
            fatal = [e for e in doc["errors"] if e.get("fatal")]
            expect(doc["scorecard"].get("verdict") in ("scale", "fail") and not fatal
                   and frames.get("delivered") == doc["frames_sent"]
                   and frames.get("duplicates_dropped") == 0
                   and doc["transcript"] == self.kept_transcript,
                   "bystander session (another tenant)",
                   f"verdict {doc['scorecard'].get('verdict')} in "
                   f"{self.bystander_done - self.bystander_t0:.1f} s, frames {frames.get('delivered')}"
                   f"/{doc['frames_sent']} delivered, same transcript as the reference: "
                   f"{doc['transcript'] == self.kept_transcript}, errors {doc['errors']}")
        status, _, health = serve.http(self.port, "GET", "/healthz")
        expect(status == 200 and health.get("status") == "ok", "GET /healthz",
               f"{status} {health}")
        tok = self.token("keeper", "kate")
        if self.kept is not None:
            now = serve.stored(self.srv, tok, self.kept_id)
            expect(now == self.kept, "reference session over REST", "identical")
        self.srv.stop()
        for db in sorted(glob.glob(os.path.join(self.srv.data, "*.db"))):
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                integrity = con.execute("PRAGMA integrity_check").fetchall()
                fk = con.execute("PRAGMA foreign_key_check").fetchall()
            finally:
                con.close()
            expect(integrity == [("ok",)] and not fk, f"PRAGMA integrity_check {os.path.basename(db)}",
                   f"{integrity[:3]}, foreign key violations {len(fk)}")
        check(glob.glob(os.path.join(self.srv.data, "*.db")), "no database under the data dir")
        if self.kept is not None:
            os.replace(self.srv.log_path, self.srv.log_path + ".1")
            self.srv = serve.Server(self.sof, self.work, self.cfg)
            self.port = self.srv.port
            again = serve.stored(self.srv, tok, self.kept_id)
            expect(again == self.kept, "reference session after a restart", "identical")
            self.srv.stop()
