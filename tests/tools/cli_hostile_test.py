#!/usr/bin/env python3
"""Hostile clients against `sof serve` (docs/operations.md, "Hostile
input"). Every probe expects a clear error or a bounded close, and every
case ends the same way (hostile_harness.Guard.finish): another tenant's
normal session completed through the abuse, /healthz is 200, a session
stored before the abuse is identical after it and after a restart, and
SQLite's integrity_check passes. One line per probe: the log is a report.

Cases: frames (WebSocket messages and framing, floods, replays), tenancy
(another tenant's sessions, garbage ids), tokens, http (static-file
traversal, bodies, headers, request lines), slowloris (hostile_http.py).

usage: cli_hostile_test.py SOF SOURCE_DIR DATA_DIR CASE
"""
import json
import socket
import struct
import sys
import tempfile
import time

import cli_serve_test as serve
import hostile_http
import ws_raw
from cli_common import INSTRUMENTED, check
from hostile_harness import Guard, HOST, QUESTION, expect, request, rss_mb, say
from ws_raw import packb

# ASan pads every allocation with redzones and keeps freed blocks in a
# quarantine (256 MB), so RSS grows by more than the live memory does: the
# plain build holds the tight bounds, sanitizer builds get three times them.
MEMORY_SLACK = 3 if INSTRUMENTED else 1


def ws_open(port, tok):
    status, _, conn = ws_raw.connect(HOST, port, token=tok)
    check(status == 101, f"upgrade: {status} {conn.body!r}")
    return conn


def reply(conn, timeout=10):
    """The next server message (a dict), or ("close", code), ("gone", why),
    ("timeout",), ("undecodable", why): a reply that is not valid msgpack
    with UTF-8 strings is a finding too."""
    try:
        opcode, payload = conn.recv_message(timeout=timeout)
    except ws_raw.ConnectionClosed:
        return ("gone", "eof")
    except socket.timeout:
        return ("timeout",)
    except OSError as e:
        return ("gone", type(e).__name__)
    if opcode == ws_raw.OP_CLOSE:
        return ("close", struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None)
    try:
        return ws_raw.unpackb(payload)
    except ValueError as e:
        return ("undecodable", str(e), payload[:60])


def brief(m):
    if isinstance(m, dict) and m.get("t") == "error":
        return f"error {m.get('code')} (fatal {m.get('fatal')}): {str(m.get('message'))[:60]}"
    if isinstance(m, dict):
        return f"{m.get('t')} {dict((k, v) for k, v in m.items() if k in ('id', 'seq'))}"
    return " ".join(str(x) for x in m)


def is_error(m, code, fatal=None):
    return (isinstance(m, dict) and m.get("t") == "error" and m.get("code") == code
            and (fatal is None or m.get("fatal") is fatal))


def ask(conn, data, pace=1 / 60):
    conn.send_binary(data)
    time.sleep(pace)  # under the 100 messages/s limit, so no answer is `rate`
    return reply(conn)


def closes(conn, within):
    """Reads until the server closes; (how, seconds, messages seen)."""
    t0, seen = time.monotonic(), []
    while time.monotonic() - t0 < within:
        m = reply(conn, timeout=max(0.1, within - (time.monotonic() - t0)))
        if isinstance(m, dict):
            seen.append(m)
        elif m[0] != "timeout":
            conn.drop()
            return f"{m[0]} {m[1]}", time.monotonic() - t0, seen
    conn.drop()
    return "still open", time.monotonic() - t0, seen


def raw_frame(opcode, payload, fin=True, rsv=0, masked=True, length=None):
    n = len(payload) if length is None else length
    head = bytearray([(0x80 if fin else 0) | rsv | opcode])
    m = 0x80 if masked else 0
    if n < 126:
        head.append(m | n)
    elif n < 65536:
        head += bytes([m | 126]) + struct.pack(">H", n)
    else:
        head += bytes([m | 127]) + struct.pack(">Q", n)
    if not masked:
        return bytes(head) + payload
    mask = b"\x11\x22\x33\x44"
    return bytes(head) + mask + bytes(c ^ mask[i % 4] for i, c in enumerate(payload))


def rawstr(b):
    return (bytes([0xA0 | len(b)]) if len(b) < 32 else bytes([0xD9, len(b)])) + b


def rawmap(*pairs):
    """A msgpack map from (key, already packed value) pairs."""
    return bytes([0x80 | len(pairs)]) + b"".join(packb(k) + v for k, v in pairs)


def ping_with(value_bytes):
    return rawmap(("v", packb(1)), ("t", packb("ping")), ("x", value_bytes))


# -- frames ------------------------------------------------------------------

def probe_oversized(port, tok):
    print("oversized messages (limit 16 KB):")
    conn = ws_open(port, tok)
    pad = 16384 - len(packb({"v": 1, "t": "ping", "id": 7, "pad": bytes(1000)})) + 1000
    at_limit = packb({"v": 1, "t": "ping", "id": 7, "pad": bytes(pad)})
    check(len(at_limit) == 16384, len(at_limit))
    m = ask(conn, at_limit)
    expect(isinstance(m, dict) and m.get("t") == "pong" and m.get("id") == 7,
           "16384 bytes (at the limit)", brief(m))
    m = ask(conn, at_limit + b"\x00")
    how, secs, _ = closes(conn, 10)
    expect(is_error(m, "too_large", True) and how != "still open", "16385 bytes",
           f"{brief(m)}; then {how} in {secs:.1f} s")
    conn = ws_open(port, tok)
    m = ask(conn, bytes(900 * 1024))
    how, secs, _ = closes(conn, 10)
    expect(is_error(m, "too_large", True) and how != "still open", "900 KB",
           f"{brief(m)}; then {how} in {secs:.1f} s")
    conn = ws_open(port, tok)
    try:
        conn.send_binary(bytes(3 * 1024 * 1024))
    except OSError as e:
        say("  (3 MB send cut short)", type(e).__name__)
    how, secs, seen = closes(conn, 10)
    expect(how.startswith(("close", "gone")) and secs < 10, "3 MB (over the 1 MB read cap)",
           f"{how} in {secs:.1f} s {[brief(m) for m in seen]}")
    conn = ws_open(port, tok)
    conn.sock.sendall(raw_frame(ws_raw.OP_BINARY, b"", length=1 << 62))
    how, secs, seen = closes(conn, 10)
    expect(how.startswith(("close", "gone")) and secs < 3,
           "a frame header claiming 2^62 bytes, no payload", f"{how} in {secs:.1f} s")


def probe_wrong_types(conn, pcm):
    print("wrong types (no session on this connection):")
    P = pcm[:640]
    cases = [
        ("start: question is an int", {"t": "start", "question": 5}),
        ("start: resume is an int", {"t": "start", "resume": 5}),
        ("start: both question and resume", {"t": "start", "question": QUESTION, "resume": "x"}),
        ("start: question of 300 bytes", {"t": "start", "question": "q" * 300}),
        ("start: followups is a string", {"t": "start", "question": QUESTION, "followups": "no"}),
        ("start: voice is an int", {"t": "start", "question": QUESTION, "voice": 0}),
        ("start: read_prompt is nil", {"t": "start", "question": QUESTION, "read_prompt": None}),
        ("audio: seq is a string", {"t": "audio", "seq": "0", "pcm": P}),
        ("audio: seq is negative", {"t": "audio", "seq": -1, "pcm": P}),
        ("audio: seq is a float", {"t": "audio", "seq": 1.5, "pcm": P}),
        ("audio: seq is nil", {"t": "audio", "seq": None, "pcm": P}),
        ("audio: no seq", {"t": "audio", "pcm": P}),
        ("audio: pcm is a string", {"t": "audio", "seq": 0, "pcm": "pcm"}),
        ("audio: pcm is an array", {"t": "audio", "seq": 0, "pcm": [0] * 320}),
        ("audio: pcm is an int", {"t": "audio", "seq": 0, "pcm": 7}),
        ("audio: no pcm", {"t": "audio", "seq": 0}),
        ("audio: pcm of an odd byte count", {"t": "audio", "seq": 0, "pcm": bytes(641)}),
        ("audio: pcm of 159 samples", {"t": "audio", "seq": 0, "pcm": bytes(318)}),
        ("audio: pcm of 961 samples", {"t": "audio", "seq": 0, "pcm": bytes(1922)}),
        ("audio: pcm empty", {"t": "audio", "seq": 0, "pcm": b""}),
        ("ping: id is a string", {"t": "ping", "id": "x"}),
        ("ping: id is negative", {"t": "ping", "id": -1}),
        ("ping: id is a map", {"t": "ping", "id": {"a": 1}}),
        ("end: v is 2", {"v": 2, "t": "end"}),
        ("v is a string", {"v": "1", "t": "ping"}),
        ("no v", {"v": None, "t": "ping"}),
        ("t is an int", {"t": 5}),
        ("no t", {}),
        ("t unknown", {"t": "teleport"}),
    ]
    for label, fields in cases:
        msg = {"v": 1, **fields}
        msg = {k: v for k, v in msg.items() if not (k == "v" and v is None)}
        m = ask(conn, packb(msg))
        expect(is_error(m, "bad_frame", False), label, brief(m))
    for label, data in (("a msgpack array", packb([1, 2])), ("a msgpack int", packb(5)),
                        ("msgpack nil", packb(None)), ("a msgpack str", packb("start")),
                        ("an empty message", b"")):
        m = ask(conn, data)
        expect(is_error(m, "bad_frame", False), f"top level: {label}", brief(m))
    for label, msg in (("audio before start", {"t": "audio", "seq": 0, "pcm": P}),
                       ("end before start", {"t": "end"})):
        m = ask(conn, packb({"v": 1, **msg}))
        expect(is_error(m, "not_started", False), label, brief(m))


def probe_truncated(conn, pcm):
    print("truncated msgpack:")
    full = packb({"v": 1, "t": "audio", "seq": 0, "ts": 0, "pcm": pcm[:640]})
    cuts = sorted(set(list(range(0, 48)) + list(range(48, len(full), 29)) + [len(full) - 1]))
    answers = {}
    for cut in cuts:
        m = ask(conn, full[:cut])
        answers.setdefault(brief(m) if not is_error(m, "bad_frame", False) else "bad_frame", []
                           ).append(cut)
    expect(list(answers) == ["bad_frame"],
           f"a {len(full)}-byte audio message cut at {len(cuts)} points",
           ", ".join(f"{k} x{len(v)}" for k, v in answers.items())
           + ("" if list(answers) == ["bad_frame"] else f" {answers}"))


def probe_nesting_and_lengths(port, tok, conn):
    print("nesting bombs and huge declared lengths:")
    ok = ask(conn, ping_with(b"\x91" * 15 + b"\xc0"))
    expect(isinstance(ok, dict) and ok.get("t") == "pong", "16 levels (the limit)", brief(ok))
    for label, value in (("17 levels of arrays", b"\x91" * 16 + b"\xc0"),
                         ("16,000 nested arrays (16 KB)", b"\x91" * 16000 + b"\xc0"),
                         ("5,000 nested maps", b"\x81\xa1k" * 5000 + b"\xc0")):
        m = ask(conn, ping_with(value))
        expect(is_error(m, "bad_frame", False) and "nested" in m.get("message", ""), label,
               brief(m))
    for label, value in (("str32 claiming 4 GB", b"\xdb\xff\xff\xff\xff" + b"abc"),
                         ("bin32 claiming 4 GB", b"\xc6\xff\xff\xff\xff" + b"abc"),
                         ("array32 claiming 4G items", b"\xdd\xff\xff\xff\xff" + b"\xc0" * 8),
                         ("map32 claiming 4G pairs", b"\xdf\xff\xff\xff\xff" + b"\xc0" * 8),
                         ("ext32 claiming 4 GB", b"\xc9\xff\xff\xff\xff\x01abc")):
        m = ask(conn, ping_with(value))
        expect(is_error(m, "bad_frame", False), label, brief(m))
    m = ask(conn, b"\xdf\xff\xff\xff\xff" + packb("v") + packb(1))
    expect(is_error(m, "bad_frame", False), "top-level map32 claiming 4G pairs", brief(m))
    m = ask(conn, rawmap(("v", packb(1)), ("t", packb("audio")), ("seq", packb(0)),
                         ("pcm", b"\xc6\xff\xff\xff\xff" + bytes(640))))
    expect(is_error(m, "bad_frame", False), "audio pcm as bin32 claiming 4 GB", brief(m))
    print("strings that are not UTF-8:")
    for label, data in (
            ("t of bytes ff fe", rawmap(("v", packb(1)), ("t", rawstr(b"\xff\xfe")))),
            ("start question ending in a cut sequence",
             rawmap(("v", packb(1)), ("t", packb("start")), ("question", rawstr(b"ticket\xc3")))),
            ("start resume of bytes c0 80",
             rawmap(("v", packb(1)), ("t", packb("start")), ("resume", rawstr(b"\xc0\x80")))),
            ("an ignored key holding bytes ff", ping_with(rawstr(b"\xff")))):
        m = ask(conn, data)
        expect(is_error(m, "bad_frame", False), label, brief(m))
    m = ask(conn, packb({"v": 1, "t": "a" + "\u00e9" * 40}))
    expect(is_error(m, "bad_frame", False), "unknown type of 81 bytes (quoted, clipped)",
           brief(m))
    conn2 = ws_open(port, tok)
    m = ask(conn2, ping_with(b"\x91" * 100000 + b"\xc0"))
    how, secs, _ = closes(conn2, 10)
    expect(is_error(m, "too_large", True) and how != "still open", "100,000 nested arrays",
           f"{brief(m)}; then {how}")


def probe_framing(port, tok):
    print("WebSocket framing:")
    ping = packb({"v": 1, "t": "ping", "id": 9})
    conn = ws_open(port, tok)
    conn.send_text("hello")
    m = reply(conn)
    expect(is_error(m, "bad_frame", False), "a text frame", brief(m))
    conn.sock.sendall(raw_frame(ws_raw.OP_BINARY, ping[:3], fin=False)
                      + raw_frame(ws_raw.OP_CONT, ping[3:6], fin=False)
                      + raw_frame(ws_raw.OP_CONT, ping[6:]))
    m = reply(conn)
    expect(isinstance(m, dict) and m.get("t") == "pong", "a ping in 3 fragments", brief(m))
    frags = [raw_frame(ws_raw.OP_BINARY if i == 0 else ws_raw.OP_CONT, ping[i:i + 1],
                       fin=i == len(ping) - 1) for i in range(len(ping))]
    conn.sock.sendall(b"".join(frags))
    m = reply(conn)
    expect(isinstance(m, dict) and m.get("t") == "pong", "a ping in 1-byte fragments", brief(m))
    conn.close()
    bad = (("a text frame of invalid UTF-8", raw_frame(ws_raw.OP_TEXT, b"\xff\xfe\xfd")),
           ("a continuation with nothing to continue", raw_frame(ws_raw.OP_CONT, ping)),
           ("an unmasked client frame", raw_frame(ws_raw.OP_BINARY, ping, masked=False)),
           ("RSV1 set (no extension agreed)", raw_frame(ws_raw.OP_BINARY, ping, rsv=0x40)),
           ("reserved opcode 3", raw_frame(3, ping)),
           ("a 126-byte ping control frame", raw_frame(ws_raw.OP_PING, bytes(126))),
           ("a fragmented control frame", raw_frame(ws_raw.OP_PING, b"x", fin=False)),
           ("a close frame with code 999", raw_frame(ws_raw.OP_CLOSE, struct.pack(">H", 999))))
    for label, data in bad:
        conn = ws_open(port, tok)
        conn.sock.sendall(data)
        how, secs, seen = closes(conn, 10)
        expect(how.startswith(("close", "gone")) and secs < 5, label,
               f"{how} in {secs:.2f} s {[brief(m) for m in seen]}")


def drain_replies(conn, quiet=1.5, limit=30):
    """Counts what the server answers until it has been quiet a while."""
    counts, t0 = {}, time.monotonic()
    while time.monotonic() - t0 < limit:
        m = reply(conn, timeout=quiet)
        if isinstance(m, dict):
            key = m.get("code") if m.get("t") == "error" else m.get("t")
            counts[key] = counts.get(key, 0) + 1
            continue
        if m[0] != "timeout":
            counts[f"{m[0]} {m[1]}"] = 1
        break
    return counts, time.monotonic() - t0


def probe_floods(port, tok):
    print("floods (limit 100 messages/s per connection):")
    rss_start = rss_mb(port)
    conn = ws_open(port, tok)
    t0 = time.monotonic()
    conn.sock.sendall(b"".join(raw_frame(ws_raw.OP_BINARY, b"\xc1") for _ in range(5000)))
    counts, secs = drain_replies(conn)
    # Each second window lets 100 messages through; the rest are `rate`.
    windows = int(time.monotonic() - t0) + 2
    expect(counts.get("rate", 0) > 0 and counts.get("bad_frame", 0) <= 100 * windows,
           "5,000 one-byte frames at once", f"{counts}")
    time.sleep(1.1)
    m = ask(conn, packb({"v": 1, "t": "ping", "id": 1}))
    expect(isinstance(m, dict) and m.get("t") == "pong", "  then a ping a second later",
           brief(m))
    t0 = time.monotonic()
    conn.sock.sendall(b"".join(raw_frame(ws_raw.OP_BINARY, packb({"v": 1, "t": "ping", "id": i}))
                               for i in range(3000)))
    counts, _ = drain_replies(conn)
    windows = int(time.monotonic() - t0) + 2
    expect(counts.get("rate", 0) > 0 and 0 < counts.get("pong", 0) <= 100 * windows,
           "3,000 pings at once", f"{counts}")
    conn.sock.sendall(b"".join(raw_frame(ws_raw.OP_PING, b"p") for _ in range(3000)))
    time.sleep(1.1)
    m = ask(conn, packb({"v": 1, "t": "ping", "id": 2}))
    expect(isinstance(m, dict) and m.get("t") == "pong",
           "3,000 WebSocket ping control frames", f"answered; then {brief(m)}")
    conn.close()
    rss0 = rss_mb(port)
    conn = ws_open(port, tok)
    conn.sock.settimeout(20)
    blob = b"".join(raw_frame(ws_raw.OP_BINARY, b"\xc1") for _ in range(1000))
    try:
        for _ in range(60):  # 60,000 frames; we read nothing meanwhile
            conn.sock.sendall(blob)
    except OSError as e:
        say("  (send stopped)", type(e).__name__)
    time.sleep(1)
    rss1 = rss_mb(port)
    counts, _ = drain_replies(conn, quiet=1)
    conn.drop()
    expect(rss1 - rss0 < 50 * MEMORY_SLACK, "60,000 frames from a client that reads nothing",
           f"server RSS {rss0:.0f} -> {rss1:.0f} MB; then read {counts}")
    rss_end = rss_mb(port)
    expect(rss_end - rss_start < 60 * MEMORY_SLACK, "server memory over the floods",
           f"RSS {rss_start:.0f} -> {rss_end:.0f} MB")


def probe_replays(port, tok, pcm, kept_transcript):
    print("replayed and out-of-order sequence numbers (the reference audio):")
    conn, started = serve.open_session(port, tok)
    frames = [pcm[i:i + 640] for i in range(0, len(pcm), 640)]
    sent, replays, refused, seen = 0, 0, 0, []

    def send(seq):
        nonlocal sent
        conn.send_binary(packb({"v": 1, "t": "audio", "seq": seq, "ts": seq * 20,
                                "pcm": frames[seq % len(frames)]}))
        sent += 1
        time.sleep(1 / 80)

    conn.send_binary(packb({"v": 1, "t": "audio", "seq": (1 << 64) - 1, "ts": 0,
                            "pcm": frames[0]}))
    refused += 1
    for seq in range(len(frames)):
        send(seq)
        if seq % 25 == 24:
            for old in range(seq - 9, seq + 1):
                send(old)
                replays += 1
        if seq == len(frames) // 2:
            send(seq + 5)
            refused += 1
    conn.send_binary(packb({"v": 1, "t": "end"}))
    card = ws_raw.recv_until(conn, "scorecard", timeout=120, seen=seen)
    conn.close()
    check(card is not None, "closed before the scorecard")
    errors = [brief(m) for m in seen if m.get("t") == "error"]
    f = card.get("frames", {})
    cap = f.get("capture", {})
    expect(f.get("delivered") == len(frames) and f.get("duplicates_dropped") == replays
           and f.get("refused") == refused and cap.get("duplicates") == 0
           and cap.get("gaps") == 0 and cap.get("frames") == len(frames)
           and all("out_of_order" in e for e in errors) and len(errors) == refused,
           f"{len(frames)} frames, {replays} replayed, {refused} ahead",
           f"delivered {f.get('delivered')}, duplicates dropped {f.get('duplicates_dropped')}, "
           f"refused {f.get('refused')}, capture {cap}, errors {errors}")
    status, _, doc = serve.http(port, "GET", f"/v1/sessions/{started['session_id']}", tok)
    text = serve.joined(doc["segments"]) if status == 200 else None
    expect(text == kept_transcript, "  its stored transcript",
           "equal to the reference session's" if text == kept_transcript else f"{status} {text!r}")


def case_frames(sof, src, data, work):
    g = Guard(sof, src, data, work)
    g.baseline()
    g.start_bystander()
    tok = g.token("mallory", "mal")
    probe_oversized(g.port, tok)
    conn = ws_open(g.port, tok)
    probe_wrong_types(conn, g.pcm)
    probe_truncated(conn, g.pcm)
    probe_nesting_and_lengths(g.port, tok, conn)
    conn.close()
    probe_framing(g.port, tok)
    probe_floods(g.port, tok)
    probe_replays(g.port, g.token("mallory", "rita"), g.pcm, g.kept_transcript)
    g.finish()


# -- tenancy ------------------------------------------------------------------

def resume_refused(port, tok, sid, label):
    conn = ws_open(port, tok)
    conn.send_binary(packb({"v": 1, "t": "start", "resume": sid}))
    # Pipelined after the refused start: none of this may reach any session.
    for seq in range(20):
        conn.send_binary(packb({"v": 1, "t": "audio", "seq": seq, "ts": 0, "pcm": bytes(640)}))
    conn.send_binary(packb({"v": 1, "t": "end"}))
    m = reply(conn)
    how, secs, seen = closes(conn, 10)
    expect(is_error(m, "not_found", True) and how != "still open" and not seen, label,
           f"{brief(m)}; then {how}, {len(seen)} more messages")


def case_tenancy(sof, src, data, work):
    g = Guard(sof, src, data, work)
    g.baseline()
    g.start_bystander("--realtime")
    live = g.bystander_live_id()
    mal, eve = g.token("mallory", "mal"), g.token("bystander", "eve")
    kate = g.token("keeper", "kate")
    port = g.port
    print(f"another tenant's sessions (bystander live {live}, stored {g.kept_id}):")
    resume_refused(port, mal, live, "resume of another tenant's live session")
    resume_refused(port, eve, live, "resume of a live session by another user")
    resume_refused(port, mal, g.kept_id, "resume of another tenant's stored session")
    resume_refused(port, kate, g.kept_id, "resume of one's own completed session")
    for label, tok, sid in (("another tenant", mal, live), ("same tenant, other user", eve, live),
                            ("another tenant, stored session", mal, g.kept_id)):
        for method in ("GET", "DELETE"):
            r = request(port, method, f"/v1/sessions/{sid}", tok)
            expect(r.status == 404 and r.json() == {"error": "not found"},
                   f"{method} by {label}", str(r))
    status, _, listing = serve.http(port, "GET", "/v1/sessions", mal)
    ids = [s["id"] for s in listing.get("sessions", [])]
    expect(status == 200 and live not in ids and g.kept_id not in ids,
           "another tenant's listing", f"{status}, {len(ids)} sessions, none of theirs")
    print("garbage and path-like session ids:")
    for target in ("../../etc/passwd", "..%2f..%2fsof.db", "%27%20OR%20%271%27%3D%271",
                   "%25", "_", "*", "%00", g.kept_id + "%00", g.kept_id + "/segments",
                   "a" * 8000):
        for method in ("GET", "DELETE"):
            r = request(port, method, f"/v1/sessions/{target}", kate)
            expect(r.status == 404, f"{method} /v1/sessions/{target[:40]}", str(r))
    for sid in ("../../etc/passwd", "' OR '1'='1", "%", "*", "x" * 200):
        resume_refused(port, kate, sid, f"resume {sid[:40]!r}")
    conn = ws_open(port, kate)
    m = ask(conn, packb({"v": 1, "t": "start", "resume": "x" * 201}))
    conn.close()
    expect(is_error(m, "bad_frame", False), "resume of 201 bytes", brief(m))
    print("REST bodies and queries naming things that are not there:")
    for label, body in (("question of 63 ASCII bytes then e-acute", "a" * 63 + "\u00e9"),
                        ("question '../../etc/passwd'", "../../etc/passwd"),
                        ("question of 10,000 bytes", "q" * 10000)):
        r = request(port, "POST", "/v1/sessions", mal,
                                 body=json.dumps({"question": body}).encode(),
                                 headers=("Content-Type: application/json",))
        j = r.json()
        expect(r.status == 400 and isinstance(j, dict) and j.get("error") == "bad request",
               f"POST {label}", str(r))
    for query, want in (("cursor=garbage", (400,)), ("cursor=%ff%fe", (400,)),
                        ("cursor=1.%27%3B", (400,)), ("limit=abc", (400,)),
                        ("limit=99999999999999999999", (400,)), ("limit=-5", (200,))):
        r = request(port, "GET", f"/v1/sessions?{query}", mal)
        expect(r.status in want and r.json() is not None, f"GET /v1/sessions?{query}", str(r))
    g.finish()


CASES = {
    "frames": case_frames,
    "tenancy": case_tenancy,
    "tokens": hostile_http.case_tokens,
    "http": hostile_http.case_http,
    "slowloris": hostile_http.case_slowloris,
}

if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[4] not in CASES:
        print(__doc__)
        sys.exit(2)
    sof, src, data, case = sys.argv[1:5]
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        CASES[case](sof, src, data, work)
    print(f"ok ({time.monotonic() - t0:.0f} s)")
