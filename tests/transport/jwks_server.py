#!/usr/bin/env python3
"""A loopback stand-in for an identity provider's JWKS endpoint, for testing
key rotation without a network.

Serves the file named by the environment variable SOF_TEST_JWKS_FILE as
application/json on every GET path, re-reading it on each request, so a
test rotates keys by rewriting the file. Answers 404 when the file is
missing. Prints the port it listens on, then serves until killed.
"""
import http.server
import os
import sys

PATH = os.environ.get("SOF_TEST_JWKS_FILE", "")


class handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        try:
            with open(PATH, "rb") as f:
                data = f.read()
            code = 200
        except OSError:
            data, code = b'{"error":"no such file"}', 404
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # The port is the only thing ever written to stdout: the test reads it
    # and closes the pipe.
    print(server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
