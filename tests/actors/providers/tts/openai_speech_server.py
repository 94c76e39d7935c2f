#!/usr/bin/env python3
"""A loopback server speaking the OpenAI-compatible POST /v1/audio/speech
protocol (JSON body: model, input, voice, response_format), for testing the
remote TTS provider without a network.

It cannot speak; it answers with raw PCM16 24 kHz mono: a 440 Hz sine at
amplitude 8000, 60 ms per character of input (capped at 20 s), streamed in
4801-byte pieces 20 ms apart, so the client sees the body arrive over time
and samples split across reads. The `model` field selects a behaviour:
"tts-1" (default), "need-key" (401 unless "Authorization: Bearer
test-key"), "fail-500", "slow" (3 s before answering), "empty" (200, no
body). A wrong Authorization header is always 401.
Prints the port it listens on, then serves until killed.
"""
import http.server
import json
import math
import struct
import time

RATE = 24000
MS_PER_CHAR = 60
MAX_MS = 20000
PIECE = 4801  # odd on purpose: samples straddle reads
VOICES = {"alloy", "ash", "coral", "echo", "fable", "onyx", "nova",
          "sage", "shimmer"}


# 11 cycles of 440 Hz are exactly 600 samples at 24 kHz: one period of
# bytes, repeated, is the whole tone (cheap even for 20 s).
PERIOD = struct.pack("<600h", *(
    int(round(8000 * math.sin(2 * math.pi * 440 * i / RATE)))
    for i in range(600)))


def tone(chars):
    n = RATE * min(chars * MS_PER_CHAR, MAX_MS) // 1000
    return (PERIOD * (n // 600 + 1))[:2 * n]


class handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype="application/json"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, code, message):
        self.reply(code, json.dumps({"error": {"message": message}}))

    def do_POST(self):
        if self.path != "/v1/audio/speech":
            return self.error(404, "not found")
        if not self.headers.get("Content-Type", "").startswith(
                "application/json"):
            return self.error(415, "expected application/json")
        length = int(self.headers.get("Content-Length", "0"))
        try:
            req = json.loads(self.rfile.read(length))
        except ValueError:
            return self.error(400, "body is not JSON")
        model, text = req.get("model"), req.get("input")
        voice, fmt = req.get("voice"), req.get("response_format")
        if not isinstance(model, str) or not model:
            return self.error(400, "model missing")
        if not isinstance(text, str) or not text:
            return self.error(400, "input missing")
        if voice not in VOICES:
            return self.error(400, "unknown voice %r" % voice)
        if fmt != "pcm":
            return self.error(400, "response_format must be pcm")
        auth = self.headers.get("Authorization")
        if auth is not None and auth != "Bearer test-key":
            return self.error(401, "bad api key")
        if model == "need-key" and auth is None:
            return self.error(401, "api key required")
        if model == "fail-500":
            return self.error(500, "model overloaded")
        if model == "slow":
            time.sleep(3)
        audio = b"" if model == "empty" else tone(len(text))
        try:
            self.send_response(200)
            self.send_header("Content-Type", "audio/pcm")
            self.send_header("Content-Length", str(len(audio)))
            self.end_headers()
            self.wfile.flush()
            for at in range(0, len(audio), PIECE):
                if at:
                    time.sleep(0.02)
                self.wfile.write(audio[at:at + PIECE])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled or timed out; that is its right


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()
