"""A tiny WebSocket client and msgpack codec for the protocol tests,
standard library only (python3-msgpack is not installed here): enough of
RFC 6455 to speak to `sof serve` byte by byte, including the malformed
messages a well-behaved client never sends.

    status, headers, conn = connect("127.0.0.1", port, token=tok)
    conn.send_binary(packb({"v": 1, "t": "start", "question": "..."}))
    opcode, payload = conn.recv_message()
    msg = unpackb(payload)

connect() returns the connection even when the upgrade is refused
(status != 101): conn.body then holds the response body.
"""
import base64
import hashlib
import os
import socket
import struct
import time

from cli_common import scaled

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10


class ConnectionClosed(Exception):
    pass


class Conn:
    def __init__(self, sock, leftover=b"", body=b""):
        self.sock = sock
        self.buf = bytearray(leftover)
        self.body = body
        self.closed = False

    # -- reading ---------------------------------------------------------------

    def _fill(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionClosed("connection closed by the server")
            self.buf += chunk

    def _take(self, n):
        self._fill(n)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def recv_frame(self):
        """(fin, opcode, payload) of one frame (server frames are unmasked)."""
        b0, b1 = self._take(2)
        fin, opcode = bool(b0 & 0x80), b0 & 0x0F
        masked, n = bool(b1 & 0x80), b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._take(8))[0]
        mask = self._take(4) if masked else None
        payload = self._take(n)
        if mask:
            payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        return fin, opcode, payload

    def recv_message(self, timeout=10):
        """(opcode, payload) of the next data or close message; answers pings.
        A close returns (OP_CLOSE, payload) and marks the connection closed."""
        self.sock.settimeout(timeout)
        parts, first = [], None
        while True:
            fin, opcode, payload = self.recv_frame()
            if opcode == OP_PING:
                self._send_frame(OP_PONG, payload)
                continue
            if opcode == OP_PONG:
                continue
            if opcode == OP_CLOSE:
                self.closed = True
                return OP_CLOSE, payload
            if opcode != OP_CONT:
                first = opcode
            parts.append(payload)
            if fin:
                return first, b"".join(parts)

    # -- writing ---------------------------------------------------------------

    def _send_frame(self, opcode, payload, fin=True):
        header = bytearray([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        masked = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        self.sock.sendall(bytes(header) + masked)

    def send_binary(self, data):
        self._send_frame(OP_BINARY, bytes(data))

    def send_text(self, text):
        self._send_frame(OP_TEXT, text.encode())

    def close(self, code=1000):
        """A clean close (best effort), then the socket."""
        try:
            self._send_frame(OP_CLOSE, struct.pack(">H", code))
        except OSError:
            pass
        self.drop()

    def drop(self):
        """Closes the TCP socket without a WebSocket close."""
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True


def connect(host, port, token=None, subprotocols=None, path="/v1/sessions/ws",
            timeout=10):
    """Opens a TCP connection and asks for the upgrade. Returns
    (status, headers, conn): headers a dict with lower-case names."""
    sock = socket.create_connection((host, port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}",
             "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    if subprotocols:
        lines.append("Sec-WebSocket-Protocol: " + ", ".join(subprotocols))
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionClosed(f"no upgrade response (got {data!r})")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    head_lines = head.decode("latin-1").split("\r\n")
    status = int(head_lines[0].split()[1])
    headers = {}
    for h in head_lines[1:]:
        name, _, value = h.partition(":")
        headers[name.strip().lower()] = value.strip()
    if status == 101:
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != accept:
            raise ConnectionClosed("bad Sec-WebSocket-Accept")
        return status, headers, Conn(sock, rest)
    # A refusal: read the body (Content-Length, else until the server closes).
    length = int(headers.get("content-length", "-1"))
    sock.settimeout(timeout)
    try:
        while length < 0 or len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    except OSError:
        pass
    conn = Conn(sock, body=rest[:length] if length >= 0 else rest)
    conn.drop()
    return status, headers, conn


def recv_until(conn, t, timeout=30, seen=None):
    """Reads server messages until one of type `t` (or a close); returns it
    (None on a close). Others are appended to `seen` when given. The
    wait is scaled for sanitizer builds."""
    timeout = scaled(timeout)
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no '{t}' within {timeout} s")
        opcode, payload = conn.recv_message(timeout=left)
        if opcode == OP_CLOSE:
            return None
        msg = unpackb(payload)
        if msg.get("t") == t:
            return msg
        if seen is not None:
            seen.append(msg)


# -- msgpack (the subset the protocol uses: nil, bool, int, float, str, bin,
#    array, map) -------------------------------------------------------------

def packb(obj):
    out = bytearray()
    _pack(obj, out)
    return bytes(out)


def _pack(o, out):
    if o is None:
        out.append(0xC0)
    elif o is True:
        out.append(0xC3)
    elif o is False:
        out.append(0xC2)
    elif isinstance(o, int):
        if 0 <= o < 0x80:
            out.append(o)
        elif -32 <= o < 0:
            out.append(o & 0xFF)
        elif o >= 0:
            for tag, fmt, lim in ((0xCC, ">B", 1 << 8), (0xCD, ">H", 1 << 16),
                                  (0xCE, ">I", 1 << 32), (0xCF, ">Q", 1 << 64)):
                if o < lim:
                    out.append(tag)
                    out += struct.pack(fmt, o)
                    return
            raise OverflowError(o)
        else:
            for tag, fmt, lim in ((0xD0, ">b", 1 << 7), (0xD1, ">h", 1 << 15),
                                  (0xD2, ">i", 1 << 31), (0xD3, ">q", 1 << 63)):
                if o >= -lim:
                    out.append(tag)
                    out += struct.pack(fmt, o)
                    return
            raise OverflowError(o)
    elif isinstance(o, float):
        out.append(0xCB)
        out += struct.pack(">d", o)
    elif isinstance(o, str):
        b = o.encode()
        n = len(b)
        if n < 32:
            out.append(0xA0 | n)
        elif n < 1 << 8:
            out += bytes([0xD9, n])
        elif n < 1 << 16:
            out.append(0xDA)
            out += struct.pack(">H", n)
        else:
            out.append(0xDB)
            out += struct.pack(">I", n)
        out += b
    elif isinstance(o, (bytes, bytearray)):
        n = len(o)
        if n < 1 << 8:
            out += bytes([0xC4, n])
        elif n < 1 << 16:
            out.append(0xC5)
            out += struct.pack(">H", n)
        else:
            out.append(0xC6)
            out += struct.pack(">I", n)
        out += o
    elif isinstance(o, (list, tuple)):
        n = len(o)
        if n < 16:
            out.append(0x90 | n)
        elif n < 1 << 16:
            out.append(0xDC)
            out += struct.pack(">H", n)
        else:
            out.append(0xDD)
            out += struct.pack(">I", n)
        for x in o:
            _pack(x, out)
    elif isinstance(o, dict):
        n = len(o)
        if n < 16:
            out.append(0x80 | n)
        elif n < 1 << 16:
            out.append(0xDE)
            out += struct.pack(">H", n)
        else:
            out.append(0xDF)
            out += struct.pack(">I", n)
        for k, v in o.items():
            _pack(k, out)
            _pack(v, out)
    else:
        raise TypeError(f"cannot pack {type(o).__name__}")


def unpackb(data):
    """Decodes exactly one msgpack object; ValueError on truncated,
    malformed or trailing bytes."""
    value, pos = _unpack(memoryview(bytes(data)), 0)
    if pos != len(data):
        raise ValueError(f"{len(data) - pos} trailing bytes")
    return value


def _need(buf, pos, n):
    if pos + n > len(buf):
        raise ValueError("truncated msgpack")


def _unpack(buf, pos):
    _need(buf, pos, 1)
    b = buf[pos]
    pos += 1

    def take(n):
        nonlocal pos
        _need(buf, pos, n)
        out = bytes(buf[pos:pos + n])
        pos += n
        return out

    def num(fmt):
        return struct.unpack(fmt, take(struct.calcsize(fmt)))[0]

    def seq(n):
        nonlocal pos
        items = []
        for _ in range(n):
            v, pos = _unpack(buf, pos)
            items.append(v)
        return items

    def mapping(n):
        nonlocal pos
        d = {}
        for _ in range(n):
            k, pos = _unpack(buf, pos)
            v, pos = _unpack(buf, pos)
            d[k] = v
        return d

    if b < 0x80:
        return b, pos
    if b >= 0xE0:
        return b - 0x100, pos
    if 0x80 <= b <= 0x8F:
        return mapping(b & 0x0F), pos
    if 0x90 <= b <= 0x9F:
        return seq(b & 0x0F), pos
    if 0xA0 <= b <= 0xBF:
        return take(b & 0x1F).decode(), pos
    simple = {0xC0: None, 0xC2: False, 0xC3: True}
    if b in simple:
        return simple[b], pos
    ints = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q",
            0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q",
            0xCA: ">f", 0xCB: ">d"}
    if b in ints:
        return num(ints[b]), pos
    lens = {0xD9: ">B", 0xDA: ">H", 0xDB: ">I"}
    if b in lens:
        return take(num(lens[b])).decode(), pos
    lens = {0xC4: ">B", 0xC5: ">H", 0xC6: ">I"}
    if b in lens:
        return take(num(lens[b])), pos
    if b in (0xDC, 0xDD):
        return seq(num(">H" if b == 0xDC else ">I")), pos
    if b in (0xDE, 0xDF):
        return mapping(num(">H" if b == 0xDE else ">I")), pos
    fixext = {0xD4: 1, 0xD5: 2, 0xD6: 4, 0xD7: 8, 0xD8: 16}
    if b in fixext:
        code = num(">b")
        return ("ext", code, take(fixext[b])), pos
    if b in (0xC7, 0xC8, 0xC9):
        n = num({0xC7: ">B", 0xC8: ">H", 0xC9: ">I"}[b])
        code = num(">b")
        return ("ext", code, take(n)), pos
    raise ValueError(f"bad msgpack byte 0x{b:02x}")
