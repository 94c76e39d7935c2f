#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/ (committed; rerun after a
protocol or format change). Deterministic: the same files every time, except
the RSA key of the JWKS seeds, which openssl generates.

  python3 tests/fuzz/make_seeds.py

Seeds are small valid inputs of each format plus a few near-misses, so the
fuzzers start from the parsers' interesting paths instead of from nothing.
The Markdown seeds are excerpts of ../shared/kb (system-design-primer,
CC BY 4.0, Donne Martin; aosabook, CC BY 3.0); see tests/fuzz/README.md.
"""
import base64
import hashlib
import hmac
import io
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
from ws_raw import packb  # noqa: E402

CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def tone(n, rate, freq=440.0, amp=0.3):
    return [amp * math.sin(2 * math.pi * freq * i / rate) for i in range(n)]


def pcm16(samples):
    return b"".join(struct.pack("<h", int(max(-1, min(1, s)) * 32767)) for s in samples)


# -- wire: one msgpack map per WebSocket frame (docs/protocol.md) ------------
def wire():
    pcm = pcm16(tone(320, 16000))
    put("wire", "start", packb({"v": 1, "t": "start", "question": "ticketing-flash-sale",
                                "followups": True, "voice": True, "read_prompt": True}))
    put("wire", "resume", packb({"v": 1, "t": "start", "resume": "s-0123456789abcdef"}))
    put("wire", "audio", packb({"v": 1, "t": "audio", "seq": 7, "ts": 280, "pcm": pcm}))
    put("wire", "audio_min", packb({"v": 1, "t": "audio", "seq": 0, "pcm": bytes(320)}))
    put("wire", "end", packb({"v": 1, "t": "end"}))
    put("wire", "ping", packb({"v": 1, "t": "ping", "id": 42}))
    put("wire", "server_transcript", packb({"v": 1, "t": "transcript", "final": True,
                                            "text": "a queue in front", "start_ms": 0,
                                            "end_ms": 900}))
    put("wire", "server_error", packb({"v": 1, "t": "error", "code": "bad_frame",
                                       "message": "x", "fatal": False}))
    put("wire", "nested", bytes([0x91] * 64 + [0xc0]))
    put("wire", "wrong_types", packb({"v": 1, "t": "audio", "seq": "zero", "pcm": "no"}))


# -- wav: what sof transcribe / interview / client read ----------------------
def wav_bytes(rate, channels, width, frames):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        s = tone(frames * channels, rate)
        if width == 2:
            w.writeframes(pcm16(s))
        else:
            w.writeframes(bytes(int((v + 1) * 127.5) for v in s))
    return buf.getvalue()


def wav():
    put("wav", "mono16k.wav", wav_bytes(16000, 1, 2, 800))
    put("wav", "stereo44k.wav", wav_bytes(44100, 2, 2, 441))
    put("wav", "u8_8k.wav", wav_bytes(8000, 1, 1, 400))
    # IEEE float, written by hand (the wave module writes PCM only).
    data = b"".join(struct.pack("<f", v) for v in tone(480, 48000))
    fmt = struct.pack("<HHIIHH", 3, 1, 48000, 48000 * 4, 4, 32)
    riff = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    put("wav", "float48k.wav", b"RIFF" + struct.pack("<I", len(riff)) + riff)
    truncated = wav_bytes(16000, 1, 2, 800)
    put("wav", "truncated.wav", truncated[: len(truncated) // 2])
    put("wav", "raw.pcm", b"R" + pcm16(tone(801, 16000))[1:])
    put("wav", "riff_only", b"RIFF\x24\x00\x00\x00WAVE")


# -- jwt: Authorization header values -----------------------------------------
def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def hs256(claims, header=None, secret=b"fuzz-secret"):
    h = b64u(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    p = b64u(json.dumps(claims).encode())
    sig = hmac.new(secret, f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{b64u(sig)}"


def jwt():
    good = {"iss": "sof-fuzz", "sub": "alice", "tenant": "acme", "iat": 1799999000,
            "exp": 1800003600}
    put("jwt", "valid", hs256(good))
    put("jwt", "bearer_valid", "Bearer " + hs256(good))
    put("jwt", "expired", hs256(dict(good, exp=1700000000)))
    put("jwt", "nbf_future", hs256(dict(good, nbf=1900000000)))
    put("jwt", "wrong_issuer", hs256(dict(good, iss="someone-else")))
    put("jwt", "bad_tenant", hs256(dict(good, tenant="../etc")))
    put("jwt", "aud_array", hs256(dict(good, aud=["a", "b"])))
    put("jwt", "forged", hs256(good, secret=b"not-the-secret"))
    none_h = b64u(json.dumps({"alg": "none"}).encode())
    put("jwt", "alg_none", f"{none_h}.{b64u(json.dumps(good).encode())}.")
    put("jwt", "rs256_header", hs256(good, header={"alg": "RS256", "kid": "k1"}))
    put("jwt", "api_key", "fuzz-api-key-0123456789")
    put("jwt", "bearer_lower", "bearer fuzz-api-key-0123456789")
    put("jwt", "padded", hs256(good) + "==")


# -- jwks: identity provider key sets -----------------------------------------
def jwks():
    with tempfile.TemporaryDirectory() as d:
        key = os.path.join(d, "k.pem")
        subprocess.run(["openssl", "genrsa", "-out", key, "2048"], check=True,
                       capture_output=True)
        text = subprocess.run(["openssl", "rsa", "-in", key, "-noout", "-modulus"],
                              check=True, capture_output=True, text=True).stdout
    n = bytes.fromhex(text.strip().split("=", 1)[1])
    e = (65537).to_bytes(3, "big")
    rsa = {"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": b64u(n), "e": b64u(e)}
    put("jwks", "one_key.json", json.dumps({"keys": [rsa]}))
    put("jwks", "mixed.json", json.dumps({"keys": [
        {"kty": "EC", "kid": "ec1", "crv": "P-256", "x": "AA", "y": "AA"},
        dict(rsa, kid="k2", use="enc"), dict(rsa, kid="k3"),
        dict(rsa, kid="weak", n=b64u(n[:64]))]}))
    put("jwks", "padded.json", json.dumps({"keys": [dict(rsa, n=b64u(n) + "=")]}))
    put("jwks", "not_keys.json", json.dumps({"keys": {"kid": "x"}}))
    put("jwks", "empty.json", "{}")


# -- questions and settings: TOML written by operators ------------------------
def toml_files():
    qdir = os.path.join(ROOT, "config", "questions")
    for name in ("generic.toml", "url-shortener.toml", "behavioural-disagreement.toml"):
        path = os.path.join(qdir, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                put("questions", name, f.read())
    put("questions", "minimal_bad.toml", 'id = "x"\ntitle = "X"\nprompt = "Design X."\n')
    with open(os.path.join(ROOT, "config", "sof.toml"), "rb") as f:
        put("settings", "sof.toml", f.read())
    put("settings", "server.toml", '[server]\nport = 9090\nmax_sessions = 4\n')
    put("settings", "bad_types.toml", '[server]\nport = "eighty"\n[auth]\napi_keys = [1, 2]\n')
    put("settings", "nested.toml", 'a = [[[[[[[[1]]]]]]]]\nb = { c = { d = { e = 1 } } }\n')


# -- markdown / text: knowledge-base documents --------------------------------
def markdown():
    kb = os.path.join(ROOT, "..", "shared", "kb")
    picked = 0
    for dirpath, _, files in sorted(os.walk(kb)):
        for name in sorted(files):
            if not name.endswith(".md") or name.upper().startswith(("README", "LICENSE", "SOURCE")):
                continue
            with open(os.path.join(dirpath, name), "rb") as f:
                text = f.read()[:6000]  # an excerpt keeps the seeds small
            put("markdown", f"kb_{picked}.md", b"\x00" + text)
            picked += 1
            if picked == 4:
                break
        if picked == 4:
            break
    put("markdown", "structure.md", b"\x00# Title\n\n## Section\n\nText *em* **strong** `code`.\n\n"
        b"- a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode block\n```\n\n### Deep\n\nMore text.\n")
    put("markdown", "plain.txt", b"\x01Plain text.\n\nSecond paragraph\f third page.\n")
    put("markdown", "bad_utf8.md", b"\x00# T\xc3\n\n\xff\xfe text \xe2\x82 more\n")


# -- pdf ------------------------------------------------------------------------
def make_pdf(text):
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    pdf = "%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(pdf))
        pdf += f"{i + 1} 0 obj\n{o}\nendobj\n"
    xref = len(pdf)
    pdf += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n"
    pdf += "".join(f"{off:010d} 00000 n \n" for off in offsets)
    pdf += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return pdf.encode()


def pdf():
    put("pdf", "one_page.pdf", make_pdf("Consistent hashing spreads keys over nodes."))
    put("pdf", "no_xref.pdf", make_pdf("Broken offsets")[:-60])
    put("pdf", "encrypted_hint.pdf", make_pdf("x").replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 9 0 R"))


if __name__ == "__main__":
    for f in (wire, wav, jwt, jwks, toml_files, markdown, pdf):
        f()
    for t in sorted(os.listdir(CORPUS)):
        print(f"{t}: {len(os.listdir(os.path.join(CORPUS, t)))} seeds")
