#!/usr/bin/env python3
"""A loopback server speaking the OpenAI-compatible
POST /v1/audio/transcriptions protocol (multipart form: file, model,
response_format), for testing the remote STT provider without a network.

It cannot recognise speech; it checks the upload the way a real server
would (a RIFF/WAVE PCM16 mono 16 kHz file) and answers with what it
received, so the test can verify every sample arrived. The `model` field
selects a behaviour: "echo" (default), "error500", "slow", "badjson",
"garbled" (JSON whose text has control bytes and an absurd length),
"badutf8" (invalid UTF-8 inside the JSON string), "words" (echo plus word
timings with probabilities), "words_noprob" (word timings without them),
"sleep:MS" (echo after MS milliseconds: a hung server when MS exceeds the
client's patience). GET /stats answers {"requests", "in_flight",
"max_in_flight"}. Prints the port it listens on, then serves until killed.
"""
import http.server
import json
import select
import socket
import struct
import sys
import threading
import time

stats = {"requests": 0, "in_flight": 0, "max_in_flight": 0}
stats_lock = threading.Lock()


def parse_multipart(body, content_type):
    boundary = content_type.split("boundary=", 1)[1].strip().strip('"').encode()
    parts = {}
    for chunk in body.split(b"--" + boundary):
        chunk = chunk.strip(b"\r\n")
        if not chunk or chunk == b"--":
            continue
        head, _, data = chunk.partition(b"\r\n\r\n")
        name = None
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-disposition"):
                for item in line.split(b";"):
                    item = item.strip()
                    if item.startswith(b"name="):
                        name = item[5:].strip(b'"').decode()
        if name:
            parts[name] = data
    return parts


class handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype="application/json"):
        # Done before the client can see the answer, so that its next
        # request never finds this one still counted.
        self.leave()
        data = body if isinstance(body, bytes) else body.encode()
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (its timeout): expected

    def sleep(self, seconds):
        """Sleeps, or returns False as soon as the client hangs up, so that
        `in_flight` counts the requests a client is still waiting for."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            ready, _, _ = select.select([self.connection], [], [], 0.005)
            if ready and not self.connection.recv(1, socket.MSG_PEEK):
                return False
        return True

    def do_GET(self):
        if self.path != "/stats":
            return self.reply(404, json.dumps({"error": "not found"}))
        with stats_lock:
            body = json.dumps(stats)
        self.reply(200, body)

    def leave(self):
        if getattr(self, "counted", False):
            self.counted = False
            with stats_lock:
                stats["in_flight"] -= 1

    def do_POST(self):
        with stats_lock:
            stats["requests"] += 1
            stats["in_flight"] += 1
            stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
        self.counted = True
        try:
            self.transcribe()
        finally:
            self.leave()

    def transcribe(self):
        if self.path != "/v1/audio/transcriptions":
            return self.reply(404, json.dumps({"error": "not found"}))
        length = int(self.headers.get("Content-Length", "0"))
        parts = parse_multipart(self.rfile.read(length),
                                self.headers.get("Content-Type", ""))
        wav = parts.get("file", b"")
        model = parts.get("model", b"echo").decode()
        if len(wav) < 44 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
            return self.reply(400, json.dumps({"error": "file is not a WAV"}))
        fmt, channels, rate = struct.unpack("<HHI", wav[20:28])
        bits = struct.unpack("<H", wav[34:36])[0]
        if (fmt, channels, rate, bits) != (1, 1, 16000, 16):
            return self.reply(400, json.dumps({"error": "expected PCM16 mono 16 kHz"}))
        samples = struct.unpack("<I", wav[40:44])[0] // 2
        checksum = sum(struct.unpack("<%dh" % samples, wav[44:44 + 2 * samples])) & 0xffff
        auth = self.headers.get("Authorization", "")
        if model == "error500":
            return self.reply(500, json.dumps({"error": "model overloaded"}))
        if model == "slow":
            time.sleep(3)
        if model.startswith("sleep:") and not self.sleep(int(model[6:]) / 1000.0):
            return  # the client gave up: this request is no longer in flight
        if model == "badjson":
            return self.reply(200, "this is not json", "text/plain")
        if model == "garbled":
            return self.reply(200, json.dumps({"text": "\u0001\u0002" + "x" * 100000}))
        if model == "badutf8":
            return self.reply(200, b'{"text": "\xff\xfe\xfd"}')
        text = f"received {samples} samples checksum {checksum}"
        if auth:
            text += " with " + auth.split()[0].lower()
        reply = {"text": text}
        if model in ("words", "words_noprob"):
            # The server cannot hear: made-up timings 0.25 s apart, so the
            # test can check that they arrive, converted, in order.
            reply["words"] = [
                {"word": w, "start": 0.25 * i, "end": 0.25 * i + 0.2}
                for i, w in enumerate(text.split())]
            if model == "words":
                for w in reply["words"]:
                    w["probability"] = 0.75
        self.reply(200, json.dumps(reply))


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
