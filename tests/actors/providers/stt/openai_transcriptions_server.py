#!/usr/bin/env python3
"""A loopback server speaking the OpenAI-compatible
POST /v1/audio/transcriptions protocol (multipart form: file, model,
response_format), for testing the remote STT provider without a network.

It cannot recognise speech; it checks the upload the way a real server
would (a RIFF/WAVE PCM16 mono 16 kHz file) and answers with what it
received, so the test can verify every sample arrived. The `model` field
selects a behaviour: "echo" (default), "error500", "slow", "badjson".
Prints the port it listens on, then serves until killed.
"""
import http.server
import json
import struct
import sys
import time


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
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
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
        if model == "badjson":
            return self.reply(200, "this is not json", "text/plain")
        text = f"received {samples} samples checksum {checksum}"
        if auth:
            text += " with " + auth.split()[0].lower()
        self.reply(200, json.dumps({"text": text}))


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
