"""wsclient.py: a small RFC 6455 WebSocket client, and the ruin-bridge process,
for the bridge tests (stdlib only).

Start reading at WebSocket. It does the opening handshake (with a chosen
subprotocol, Origin and permessage-deflate offer), masks every frame it
sends, answers pings (unless told not to), inflates compressed messages
(RFC 7692, context takeover), reassembles fragments, and keeps every message
it received. Reads always have a timeout and fail with what was seen.

Raw access for hostile tests: send_frame() sends any opcode, any payload,
fragmented or not, compressed or not; stall() stops reading and shrinks the
receive buffer so the bridge's output backs up.
"""

import base64
import hashlib
import http.client
import json
import os
import re
import select
import signal
import socket
import ssl
import struct
import subprocess
import time
import zlib

DEFAULT_TIMEOUT = 5.0
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10


class HandshakeError(Exception):
    def __init__(self, status, headers, body):
        super().__init__("handshake refused: %s" % status)
        self.status = status
        self.headers = headers
        self.body = body


class Closed(Exception):
    pass


class WebSocket:
    """One WebSocket connection.

    messages    every text message, parsed as JSON when it parses (else the
                raw string), in arrival order
    sizes       the byte length of each of those messages (after inflating),
                as the bridge counts them at /status
    binary      every binary message (bytes)
    data_frames (opcode, compressed, payload bytes) of each message's first
                frame, as it came over the wire
    close_code  the code of the close frame we got (None until then)
    pings       how many pings arrived
    """

    def __init__(self, port, path="/ws", host="127.0.0.1", origin="same",
                 subprotocols=("ruin.v1",), deflate=True, timeout=DEFAULT_TIMEOUT,
                 headers=None, auto_pong=True, source=None, rcvbuf=None, tls=False):
        self.port = port
        if rcvbuf:
            # A small receive buffer set before connecting really is small
            # (for the backpressure tests: a browser that reads slowly).
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            if source:
                self.sock.bind((source, 0))
            self.sock.settimeout(timeout)
            self.sock.connect((host, port))
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout,
                                                 source_address=(source, 0) if source else None)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.alpn = None
        if tls:
            # A browser offers HTTP/2 first; the bridge must pick http/1.1.
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_alpn_protocols(["h2", "http/1.1"])
            self.sock = ctx.wrap_socket(self.sock, server_hostname=host)
            self.alpn = self.sock.selected_alpn_protocol()
        self.auto_pong = auto_pong
        self.messages = []
        self.sizes = []
        self.data_frames = []  # (opcode, compressed, payload bytes) of each message's first frame
        self.binary = []
        self.pings = 0
        self.close_code = None
        self.close_reason = b""
        self.closed = False
        self.pos = 0
        self.raw_in = 0
        self._buf = bytearray()
        self._frag = None
        self._frag_compressed = False
        self._inflate = None
        self.stalled = False
        key = base64.b64encode(os.urandom(16)).decode()
        host_hdr = "%s:%d" % (host, port)
        lines = ["GET %s HTTP/1.1" % path, "Host: " + host_hdr, "Upgrade: websocket",
                 "Connection: Upgrade", "Sec-WebSocket-Key: " + key,
                 "Sec-WebSocket-Version: 13"]
        if origin == "same":
            origin = ("https://" if tls else "http://") + host_hdr
        if origin:
            lines.append("Origin: " + origin)
        if subprotocols:
            lines.append("Sec-WebSocket-Protocol: " + ", ".join(subprotocols))
        if deflate:
            # deflate may be the offer itself, to test one a browser would not make.
            offer = deflate if isinstance(deflate, str) else \
                "permessage-deflate; client_max_window_bits"
            lines.append("Sec-WebSocket-Extensions: " + offer)
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status, self.headers = self._read_response(timeout)
        if self.status != 101:
            body = bytes(self._buf)
            self.sock.close()
            self.closed = True
            raise HandshakeError(self.status, self.headers, body)
        accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
        if self.headers.get("sec-websocket-accept") != accept:
            raise AssertionError("bad Sec-WebSocket-Accept: %r" % self.headers)
        self.subprotocol = self.headers.get("sec-websocket-protocol")
        ext = self.headers.get("sec-websocket-extensions", "")
        self.deflate = "permessage-deflate" in ext
        self.extensions = ext
        # The window the bridge may use: what the offer asked for (the bridge
        # keeps to it whatever its answer says), so a bigger one fails here.
        m = re.search(r"server_max_window_bits=\"?(\d+)", offer if deflate else "")
        self._window = int(m.group(1)) if m else 15
        # Without context takeover each message must inflate on its own.
        self._inflate_each = "server_no_context_takeover" in ext
        if self.deflate:
            self._inflate = zlib.decompressobj(-self._window)
        self.sock.setblocking(False)
        # Frames that came in the same read as the handshake response.
        self._frames()

    def _read_response(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no handshake response; got %r" % bytes(self._buf))
            self.sock.settimeout(left)
            data = self.sock.recv(4096)
            if not data:
                raise AssertionError("closed during the handshake; got %r" % bytes(self._buf))
            self._buf += data
        head, _, rest = bytes(self._buf).partition(b"\r\n\r\n")
        self._buf = bytearray(rest)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if status != 101:
            # Read whatever body follows (the refusal text).
            self.sock.settimeout(0.5)
            try:
                while True:
                    data = self.sock.recv(4096)
                    if not data:
                        break
                    self._buf += data
            except OSError:
                pass
        return status, headers

    # -- sending --

    def send_frame(self, opcode, payload=b"", fin=True, rsv1=False, mask=True):
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
        elif n < 65536:
            head = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
        else:
            head = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
        if mask:
            key = os.urandom(4)
            body = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
            data = head + key + body
        else:
            data = head + payload
        self._send_all(data)

    def _send_all(self, data):
        view = memoryview(data)
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while view:
            try:
                n = self.sock.send(view)
                view = view[n:]
            except (BlockingIOError, InterruptedError, ssl.SSLWantReadError,
                    ssl.SSLWantWriteError):
                if time.monotonic() > deadline:
                    raise AssertionError("could not send %d bytes in time" % len(view))
                select.select([], [self.sock], [], 0.05)
            except (BrokenPipeError, ConnectionResetError) as e:
                raise Closed(str(e))

    def send_text(self, text, compress=False):
        data = text.encode("utf-8") if isinstance(text, str) else text
        if compress:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
            assert body.endswith(b"\x00\x00\xff\xff")
            self.send_frame(OP_TEXT, body[:-4], rsv1=True)
        else:
            self.send_frame(OP_TEXT, data)

    def send_json(self, obj):
        self.send_text(json.dumps(obj))

    def command(self, line):
        self.send_json({"type": "command", "command": line})

    def close(self, code=1000, reason=b""):
        if self.closed:
            return
        try:
            self.send_frame(OP_CLOSE, struct.pack("!H", code) + reason)
        except (Closed, OSError):
            pass
        self.abort()

    def abort(self):
        """Drops the TCP connection without a close frame (a browser that vanished)."""
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True

    def stall(self):
        """Stops reading: a browser whose tab froze."""
        self.stalled = True

    # -- receiving --

    def _pump(self, timeout):
        """Reads once (waiting up to timeout); returns False once closed."""
        if self.closed:
            return False
        if self.stalled:
            time.sleep(timeout)
            return True
        pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
        if not pending:
            r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
            if not r:
                return True
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return True
        except (ConnectionResetError, OSError):
            data = b""
        if not data:
            self.closed = True
            return False
        self.raw_in += len(data)
        self._buf += data
        self._frames()
        return not self.closed

    def _frames(self):
        while True:
            buf = self._buf
            if len(buf) < 2:
                return
            b0, b1 = buf[0], buf[1]
            n = b1 & 0x7F
            off = 2
            if n == 126:
                if len(buf) < 4:
                    return
                n = struct.unpack("!H", buf[2:4])[0]
                off = 4
            elif n == 127:
                if len(buf) < 10:
                    return
                n = struct.unpack("!Q", buf[2:10])[0]
                off = 10
            if b1 & 0x80:
                raise AssertionError("the server masked a frame")
            if len(buf) < off + n:
                return
            payload = bytes(buf[off:off + n])
            del self._buf[:off + n]
            self._frame(b0 & 0x80, b0 & 0x40, b0 & 0x0F, payload)

    def _frame(self, fin, rsv1, op, payload):
        if op == OP_PING:
            self.pings += 1
            if self.auto_pong and not self.closed:
                try:
                    self.send_frame(OP_PONG, payload)
                except Closed:
                    pass
            return
        if op == OP_PONG:
            return
        if op == OP_CLOSE:
            self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            self.close_reason = payload[2:]
            try:
                self.send_frame(OP_CLOSE, payload[:2])
            except (Closed, OSError):
                pass
            self.abort()
            return
        if op in (OP_TEXT, OP_BINARY):
            self._frag = (op, bytearray(payload))
            self._frag_compressed = bool(rsv1)
            self.data_frames.append((op, bool(rsv1), len(payload)))
        elif op == OP_CONT and self._frag is not None:
            self._frag[1].extend(payload)
        else:
            raise AssertionError("unexpected opcode %d" % op)
        if not fin:
            return
        kind, data = self._frag
        self._frag = None
        data = bytes(data)
        if self._frag_compressed:
            if not self.deflate:
                raise AssertionError("a compressed frame without permessage-deflate")
            if self._inflate_each:
                self._inflate = zlib.decompressobj(-self._window)
            data = self._inflate.decompress(data + b"\x00\x00\xff\xff")
        if kind == OP_BINARY:
            self.binary.append(data)
            return
        text = data.decode("utf-8")  # fails the test on invalid UTF-8, as a browser would
        self.sizes.append(len(data))
        try:
            self.messages.append(json.loads(text))
        except ValueError:
            self.messages.append(text)

    def pump_for(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._pump(deadline - time.monotonic()):
            pass

    def wait_for(self, predicate, timeout=DEFAULT_TIMEOUT, what="condition"):
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out after %.1fs waiting for %s; messages since "
                                     "the cursor:\n%s" % (timeout, what, self.tail()))
            if not self._pump(min(left, 0.25)):
                result = predicate()
                if result:
                    return result
                raise AssertionError("connection closed (code %s) while waiting for %s; "
                                     "messages since the cursor:\n%s"
                                     % (self.close_code, what, self.tail()))

    def next(self, match=None, timeout=DEFAULT_TIMEOUT, what=None):
        """The first message after the cursor for which match(msg) is true (any
        message if match is None); moves the cursor past it."""
        def found():
            for i in range(self.pos, len(self.messages)):
                m = self.messages[i]
                if match is None or match(m):
                    return i + 1
            return None
        i = self.wait_for(found, timeout, what or "a message")
        self.pos = i
        return self.messages[i - 1]

    def next_type(self, type_, timeout=DEFAULT_TIMEOUT, **fields):
        def match(m):
            return isinstance(m, dict) and m.get("type") == type_ and all(
                m.get(k) == v for k, v in fields.items())
        return self.next(match, timeout, "a %s message %s" % (type_, fields or ""))

    def text(self, start=0, ansi=True):
        """All text and prompt data from message index start on, joined
        (without the ANSI escape sequences if ansi is False)."""
        t = "".join(m.get("data", "") for m in self.messages[start:]
                    if isinstance(m, dict) and m.get("type") in ("text", "prompt"))
        return t if ansi else ANSI.sub("", t)

    def read_text(self, needle, timeout=DEFAULT_TIMEOUT):
        """Waits until the text after the cursor, without ANSI escapes,
        contains needle (a str); moves the cursor past the message that
        completed it."""
        start = self.pos

        def found():
            acc = ""
            for i in range(start, len(self.messages)):
                m = self.messages[i]
                if isinstance(m, dict) and m.get("type") in ("text", "prompt"):
                    acc += ANSI.sub("", m.get("data", ""))
                    if needle in acc:
                        return i + 1
            return None
        i = self.wait_for(found, timeout, "text %r" % needle)
        self.pos = i
        return self.text(start)[:]

    def prompt(self, timeout=DEFAULT_TIMEOUT):
        return self.next_type("prompt", timeout)

    def skip(self, quiet=0.1, limit=2.0):
        """Moves the cursor to the end, once nothing has come for `quiet` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = len(self.messages)
            if not self._pump(quiet) or len(self.messages) == before:
                break
        self.pos = len(self.messages)

    def expect_closed(self, timeout=DEFAULT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while self._pump(max(0.0, min(0.25, deadline - time.monotonic()))):
            if time.monotonic() > deadline:
                raise AssertionError("the bridge did not close the WebSocket in %.1fs" % timeout)
        return self.close_code

    def tail(self, n=30):
        return "\n".join(repr(m)[:300] for m in self.messages[self.pos:][-n:]) or "(nothing)"

    def types(self, start=0):
        return [m.get("type") if isinstance(m, dict) else "?" for m in self.messages[start:]]

    def errors(self, start=0):
        return [m for m in self.messages[start:] if isinstance(m, dict) and m.get("type") == "error"]


# ---- the bridge process ------------------------------------------------------------


class Bridge:
    """One ruin-bridge process in its own directory, in front of a Server.

    settings are `--set name=value` pairs; the port is picked by the bridge
    (port 0 with a port file) and the web client comes from the repo.
    config, if given, is a settings file passed with --config; the command
    line (those flags and settings) overrides it.
    """

    def __init__(self, tmpdir, server_port, config=None, **settings):
        self.dir = tmpdir
        self.config = config
        os.makedirs(self.dir, exist_ok=True)
        self.port_file = os.path.join(self.dir, "bridge-port")
        self.log_path = os.path.join(self.dir, "bridge.log")
        self.server_port = server_port
        self.settings = {"port_file": self.port_file, "log_level": "debug"}
        self.settings.update({k: str(v) for k, v in settings.items()})
        self.proc = None
        self.port = None
        self.exit_codes = []
        self._logf = None

    @staticmethod
    def binary():
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        path = os.environ.get("RUIN_BRIDGE") or os.path.join(repo, "build", "ruin-bridge")
        return os.path.abspath(path), repo

    def command(self):
        binary, repo = self.binary()
        cmd = [binary] + (["--config", self.config] if self.config else [])
        cmd += ["--port", "0", "--server", "127.0.0.1:%d" % self.server_port,
                "--www", os.path.join(repo, "bridge", "www")]
        for k, v in self.settings.items():
            cmd += ["--set", "%s=%s" % (k, v)]
        return cmd

    def start(self, timeout=10.0):
        binary, _ = self.binary()
        if not os.access(binary, os.X_OK):
            raise AssertionError("no bridge binary at %s (make all, or set RUIN_BRIDGE)" % binary)
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        self._logf = open(self.log_path, "ab")
        self._logf.write(b"---- start: %s\n" % " ".join(self.command()).encode())
        self._logf.flush()
        self.proc = subprocess.Popen(self.command(), cwd=self.dir, stdin=subprocess.DEVNULL,
                                     stdout=self._logf, stderr=self._logf)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                rc = self.proc.returncode
                self._closed(rc)
                raise AssertionError("bridge exited with %s while starting:\n%s"
                                     % (rc, self.log_text()))
            try:
                with open(self.port_file) as f:
                    text = f.read()
                if text.endswith("\n"):
                    self.port = int(text)
                    return self
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        self.kill()
        raise AssertionError("bridge did not write its port file:\n%s" % self.log_text())

    def _closed(self, rc):
        self.exit_codes.append(rc)
        self.proc = None
        if self._logf:
            self._logf.close()
            self._logf = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def wait(self, timeout=10.0):
        if not self.proc:
            return self.exit_codes[-1] if self.exit_codes else None
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            rc = "killed after %.0fs" % timeout
        self._closed(rc)
        return rc

    def stop(self, timeout=10.0):
        if not self.proc:
            return self.exit_codes[-1] if self.exit_codes else None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self):
        if self.proc:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(5)
            self._closed("killed")

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_log(self, pattern, timeout=DEFAULT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.log_text())
            if m:
                return m
            if time.monotonic() > deadline:
                raise AssertionError("bridge log never matched %r:\n%s" % (pattern, self.log_text()))
            time.sleep(0.05)

    def rss_kb(self):
        """VmRSS of the process, in KiB."""
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def http(self, path, headers=None):
        """GET path; returns (status, headers dict, body bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEFAULT_TIMEOUT)
        try:
            c.request("GET", path, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def status_tls(self):
        """/status over HTTPS (a bridge with a certificate)."""
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        c = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=DEFAULT_TIMEOUT,
                                        context=ctx)
        try:
            c.request("GET", "/status")
            r = c.getresponse()
            return json.loads(r.read())
        finally:
            c.close()

    def status(self):
        code, _, body = self.http("/status")
        if code != 200:
            raise AssertionError("/status answered %s: %r" % (code, body))
        return json.loads(body)

    def ws(self, **kw):
        return WebSocket(self.port, **kw)
