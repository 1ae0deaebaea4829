"""ruin.py: the integration-test harness for ruin-server (Python 3 stdlib only).

Start reading at RuinTestCase: each test gets a temporary directory, starts
one or more Servers in it (a free port, its own database, stderr captured to
a file), connects Telnet clients to them, and stops everything it started in
tearDown, by pid, with kill -9 after a timeout. When a test fails, the logs
of its servers are printed.

Telnet is a real telnet client over a socket: a byte-level IAC parser that
records every negotiation it receives, answers according to a Profile (which
options to accept, its TTYPE names, window size, GMCP packages), inflates the
stream after an MCCP2 start, and keeps the text (data bytes only) apart from
the negotiation. Reads always have a timeout and fail with what was seen.
"""

import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Telnet bytes (RFC 854 and the MUD protocol options).
IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
GA, EOR_CMD, NOP = 249, 239, 241
ECHO, SGA, TTYPE, EOR, NAWS, CHARSET, MSSP, COMPRESS2, GMCP = 1, 3, 24, 25, 31, 42, 70, 86, 201
CMD_NAMES = {DONT: "DONT", DO: "DO", WONT: "WONT", WILL: "WILL"}
OPT_NAMES = {ECHO: "ECHO", SGA: "SGA", TTYPE: "TTYPE", EOR: "EOR", NAWS: "NAWS",
             CHARSET: "CHARSET", MSSP: "MSSP", COMPRESS2: "COMPRESS2", GMCP: "GMCP"}
TTYPE_IS, TTYPE_SEND = 0, 1
CHARSET_REQUEST, CHARSET_ACCEPTED, CHARSET_REJECTED = 1, 2, 3
MSSP_VAR, MSSP_VAL = 1, 2

DEFAULT_TIMEOUT = 5.0
INSTALL_HINT = "run tools/install-deps.sh --test to install it"


def server_binary():
    """The ruin-server under test: $RUIN_SERVER, else build/ruin-server."""
    path = os.environ.get("RUIN_SERVER") or os.path.join(REPO, "build", "ruin-server")
    return os.path.abspath(path)


def require_tool(path_or_name):
    """The tool's path; raises AssertionError (a failure, not a skip) if missing."""
    found = path_or_name if os.path.isabs(path_or_name) else shutil.which(path_or_name)
    if not found or not os.access(found, os.X_OK):
        raise AssertionError("%s is not installed: %s" % (path_or_name, INSTALL_HINT))
    return found


def stop_pid(pid, timeout=3.0):
    """Makes sure a process we started is gone: SIGTERM, then SIGKILL."""
    if not pid:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except OSError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.05)


# ---- the server ----------------------------------------------------------------


class Server:
    """One ruin-server process in its own directory.

    settings are `--set name=value` pairs on top of the test defaults (cheap
    password hashing, port 0 with a port file, paths inside tmpdir). By
    default the loopback address is NOT a trusted proxy (trusted_proxies is
    a TEST-NET address), so the test clients are treated like players
    arriving from the internet: counted per address, and refused if they
    send a PROXY line.
    Pass trusted_proxies explicitly to test PROXY handling.
    """

    def __init__(self, tmpdir, extra_args=(), exe=None, **settings):
        self.exe = exe  # the binary to run; default RUIN_SERVER
        self.dir = tmpdir
        os.makedirs(self.dir, exist_ok=True)
        self.db = os.path.join(self.dir, "ruin.db")
        self.port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "server.log")
        self.extra_args = list(extra_args)
        self.settings = {
            "pwhash_ops": "1",
            "pwhash_mem_kb": "64",
            "admin_socket": os.path.join(self.dir, "admin.sock"),
            "trusted_proxies": "192.0.2.1/32",
        }
        self.settings.update({k: str(v) for k, v in settings.items()})
        self.proc = None
        self.port = None
        self.exit_codes = []  # one per stop()/exit, in order
        self._logf = None

    def command(self):
        cmd = [self.exe or server_binary(), "--port", "0", "--database", self.db,
               "--areas", os.path.join(REPO, "areas"), "--lua", os.path.join(REPO, "lua"),
               "--set", "port_file=" + self.port_file]
        for k, v in self.settings.items():
            cmd += ["--set", "%s=%s" % (k, v)]
        return cmd + self.extra_args

    def start(self, timeout=15.0):
        if not os.access(self.exe or server_binary(), os.X_OK):
            raise AssertionError("no server binary at %s (make all, or set RUIN_SERVER)"
                                 % (self.exe or server_binary()))
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
                raise AssertionError("server exited with %s while starting:\n%s"
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
        raise AssertionError("server did not write its port file in %.0fs:\n%s"
                             % (timeout, self.log_text()))

    def _closed(self, rc):
        self.exit_codes.append(rc)
        self.proc = None
        if self._logf:
            self._logf.close()
            self._logf = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig):
        if self.proc:
            self.proc.send_signal(sig)

    def wait(self, timeout=10.0):
        """Waits for the process to exit; returns its status (kill -9 after timeout)."""
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
        """SIGTERM, then waits; returns the exit status (0 is a clean stop)."""
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

    def restart(self):
        rc = self.stop()
        if rc != 0:
            raise AssertionError("server exited with %r on SIGTERM:\n%s" % (rc, self.log_text()))
        return self.start()

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_log(self, pattern, timeout=DEFAULT_TIMEOUT):
        """Waits until the log matches pattern (a regex); returns the match."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.log_text())
            if m:
                return m
            if time.monotonic() > deadline:
                raise AssertionError("log never matched %r in %.1fs:\n%s"
                                     % (pattern, timeout, self.log_text()))
            time.sleep(0.05)


# ---- the client ------------------------------------------------------------------


class Profile:
    """What a Telnet client accepts and says about itself.

    ttype: names answered to TTYPE SEND, in order, the last repeated (None:
    refuse TTYPE). naws: (cols, rows) or None. charset: accept UTF-8 in
    CHARSET. eor, mccp2, mssp, sga: accept the option. gmcp: accept GMCP and
    send Core.Hello and Core.Supports.Set with gmcp_supports. echo: answer
    WILL ECHO with DO ECHO (as every real client does).
    """

    def __init__(self, ttype=("ruin-test", "xterm-256color", "MTTS 271"), naws=(100, 40),
                 charset=True, eor=True, gmcp=True,
                 gmcp_supports=("Char 1", "Room 1", "Comm 1"), hello=None,
                 mccp2=False, mssp=False, sga=False, echo=True):
        self.ttype = list(ttype) if ttype else None
        self.naws = naws
        self.charset = charset
        self.eor = eor
        self.gmcp = gmcp
        self.gmcp_supports = list(gmcp_supports) if gmcp_supports is not None else None
        self.hello = hello if hello is not None else {"client": "ruin-test", "version": "1"}
        self.mccp2 = mccp2
        self.mssp = mssp
        self.sga = sga
        self.echo = echo

    @classmethod
    def plain(cls, **kw):
        """A UTF-8 client without colors (MTTS 4), so text compares simply."""
        return cls(ttype=("ruin-test", "ruin-term", "MTTS 4"), **kw)

    @classmethod
    def dumb(cls):
        """A client that refuses every option and says nothing about itself."""
        return cls(ttype=None, naws=None, charset=False, eor=False, gmcp=False,
                   gmcp_supports=None, mccp2=False, mssp=False, sga=False, echo=False)

    def accepts_will(self, opt):
        return {EOR: self.eor, GMCP: self.gmcp, MSSP: self.mssp, COMPRESS2: self.mccp2,
                ECHO: self.echo, SGA: self.sga, CHARSET: self.charset}.get(opt, False)

    def accepts_do(self, opt):
        return {TTYPE: self.ttype is not None, NAWS: self.naws is not None,
                CHARSET: self.charset}.get(opt, False)


class Closed(Exception):
    pass


def sb_bytes(opt, payload):
    """IAC SB opt payload IAC SE, with IAC in the payload doubled."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return bytes([IAC, SB, opt]) + payload.replace(b"\xff", b"\xff\xff") + bytes([IAC, SE])


class Telnet:
    """A telnet client over a socket. Everything received is recorded:

    text        the data bytes (bytearray), negotiation removed
    raw         every byte after decompression, negotiation included
    wire        every byte as it came off the socket
    events      (text_offset, kind, ...) in arrival order: ("neg", cmd, opt),
                ("sb", opt, bytes), ("cmd", byte), ("mccp2",)
    prompts     text offsets where a prompt ended (IAC EOR or IAC GA)
    gmcp        (package, data, text_offset) per GMCP message (data parsed JSON or None)
    mssp        {name: [values]} from the last MSSP subnegotiation

    negotiate=False records without answering anything; source="127.0.0.2"
    connects from another loopback address (another client address to the
    server's per-address limits and throttles).
    """

    def __init__(self, port, profile=None, host="127.0.0.1", timeout=DEFAULT_TIMEOUT,
                 negotiate=True, source=None):
        self.profile = profile or Profile()
        self.negotiate = negotiate
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.sock.setblocking(False)
        self.text = bytearray()
        self.raw = bytearray()
        self.wire = bytearray()
        self.events = []
        self.prompts = []
        self.gmcp = []
        self.mssp = None
        self.sent = bytearray()
        self.closed = False
        self.entry_text = ""
        self.pos = 0            # read cursor into text
        self._prompt_seen = 0   # prompts consumed by read_prompt
        self._state = "data"
        self._cmd = None
        self._sb = bytearray()
        self._z = None
        self._ttype_index = 0
        self._him = set()       # options the server does that we agreed to (DO sent)
        self._us = set()        # options we do (WILL sent)
        self._asked_do = set()
        self._asked_will = set()
        self.echo_off = False   # the server said WILL ECHO (we must not echo)

    # -- sending --

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.sent += data
        view = memoryview(bytes(data))
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while view:
            try:
                n = self.sock.send(view)
                view = view[n:]
            except (BlockingIOError, InterruptedError):
                if time.monotonic() > deadline:
                    raise AssertionError("could not send %d bytes in time" % len(view))
                self._pump(0.05)
            except (BrokenPipeError, ConnectionResetError) as e:
                raise Closed(str(e))

    def send_line(self, line, eol=b"\r\n"):
        data = line.encode("utf-8") if isinstance(line, str) else bytes(line)
        self.send_raw(data.replace(b"\xff", b"\xff\xff") + eol)

    def _neg(self, cmd, opt):
        self._reply(bytes([IAC, cmd, opt]))

    def _reply(self, data):
        """Sends an answer to the server's negotiation; a connection the
        server already closed is noticed by the reader, not here."""
        try:
            self.send_raw(data)
        except Closed:
            pass

    def send_sb(self, opt, payload):
        self.send_raw(sb_bytes(opt, payload))

    def send_gmcp(self, package, data=None):
        body = package if data is None else package + " " + json.dumps(data)
        self.send_sb(GMCP, body)

    def send_naws(self, cols, rows):
        self.send_sb(NAWS, bytes([cols >> 8, cols & 255, rows >> 8, rows & 255]))

    # -- receiving --

    def _pump(self, timeout):
        """Reads once (waiting up to timeout); returns False once closed."""
        if self.closed:
            return False
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return True
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return True
        except (ConnectionResetError, OSError):
            data = b""
        if not data:
            self.closed = True
            if self._z is not None:
                self._z.flush()
            return False
        self.wire += data
        self._input(data)
        return True

    def _input(self, data):
        if self._z is None:
            self._parse(data)
            return
        out = self._z.decompress(data)
        self._parse(out)
        if self._z is not None and self._z.eof:
            rest = self._z.unused_data
            self._z = None
            self.events.append((len(self.text), "mccp2-end"))
            self._parse(rest)

    def _parse(self, data):
        i = 0
        while i < len(data):
            b = data[i]
            i += 1
            self.raw.append(b)
            st = self._state
            if st == "data":
                if b == IAC:
                    self._state = "iac"
                else:
                    self.text.append(b)
            elif st == "iac":
                if b == IAC:
                    self.text.append(IAC)
                    self._state = "data"
                elif b in (WILL, WONT, DO, DONT):
                    self._cmd = b
                    self._state = "neg"
                elif b == SB:
                    self._sb = bytearray()
                    self._state = "sb-opt"
                else:
                    self.events.append((len(self.text), "cmd", b))
                    if b in (GA, EOR_CMD):
                        self.prompts.append(len(self.text))
                    self._state = "data"
            elif st == "neg":
                self._state = "data"
                self.events.append((len(self.text), "neg", self._cmd, b))
                if self.negotiate:
                    self._answer(self._cmd, b)
            elif st == "sb-opt":
                self._sb_opt = b
                self._state = "sb"
            elif st == "sb":
                if b == IAC:
                    self._state = "sb-iac"
                else:
                    self._sb.append(b)
            elif st == "sb-iac":
                if b == IAC:
                    self._sb.append(IAC)
                    self._state = "sb"
                elif b == SE:
                    self._state = "data"
                    opt, payload = self._sb_opt, bytes(self._sb)
                    self.events.append((len(self.text), "sb", opt, payload))
                    if opt == COMPRESS2 and self.profile.mccp2 and COMPRESS2 in self._him:
                        # Everything after this marker is a zlib stream.
                        self.events.append((len(self.text), "mccp2"))
                        self._z = zlib.decompressobj()
                        self._input(data[i:])
                        return
                    if self.negotiate:
                        self._subneg(opt, payload)
                else:
                    self._sb.append(b)
                    self._state = "sb"

    def _answer(self, cmd, opt):
        p = self.profile
        if cmd == WILL:
            if opt == ECHO:
                self.echo_off = True
            if p.accepts_will(opt):
                if opt not in self._him:
                    self._him.add(opt)
                    self._neg(DO, opt)
                    self._enabled_him(opt)
            elif opt not in self._asked_do:
                self._asked_do.add(opt)
                self._neg(DONT, opt)
        elif cmd == WONT:
            if opt == ECHO:
                self.echo_off = False
            if opt in self._him:
                self._him.discard(opt)
                self._neg(DONT, opt)
        elif cmd == DO:
            if p.accepts_do(opt):
                if opt not in self._us:
                    self._us.add(opt)
                    self._neg(WILL, opt)
                    if opt == NAWS:
                        cols, rows = p.naws
                        self._reply(sb_bytes(NAWS, bytes([cols >> 8, cols & 255,
                                                          rows >> 8, rows & 255])))
            elif opt not in self._asked_will:
                self._asked_will.add(opt)
                self._neg(WONT, opt)
        elif cmd == DONT:
            if opt in self._us:
                self._us.discard(opt)
                self._neg(WONT, opt)

    def _enabled_him(self, opt):
        p = self.profile
        if opt == GMCP:
            if p.hello:
                self._reply(sb_bytes(GMCP, "Core.Hello " + json.dumps(p.hello)))
            if p.gmcp_supports is not None:
                self._reply(sb_bytes(GMCP, "Core.Supports.Set " + json.dumps(p.gmcp_supports)))

    def _subneg(self, opt, payload):
        p = self.profile
        if opt == TTYPE and payload[:1] == bytes([TTYPE_SEND]) and p.ttype:
            name = p.ttype[min(self._ttype_index, len(p.ttype) - 1)]
            self._ttype_index += 1
            self._reply(sb_bytes(TTYPE, bytes([TTYPE_IS]) + name.encode()))
        elif opt == CHARSET and payload[:1] == bytes([CHARSET_REQUEST]):
            sep = payload[1:2]
            names = payload[2:].split(sep) if sep else []
            if p.charset and b"UTF-8" in [n.upper() for n in names]:
                self._reply(sb_bytes(CHARSET, bytes([CHARSET_ACCEPTED]) + b"UTF-8"))
            else:
                self._reply(sb_bytes(CHARSET, bytes([CHARSET_REJECTED])))
        elif opt == GMCP:
            text = payload.decode("utf-8", "replace")
            package, _, body = text.partition(" ")
            try:
                data = json.loads(body) if body.strip() else None
            except ValueError:
                data = ("unparsable", body)
            self.gmcp.append((package, data, len(self.text)))
        elif opt == MSSP:
            table, name, field = {}, None, None
            for part in re.split(rb"([\x01\x02])", payload):
                if part == b"\x01":
                    field = "var"
                elif part == b"\x02":
                    field = "val"
                elif field == "var":
                    name = part.decode("utf-8", "replace")
                    table.setdefault(name, [])
                elif field == "val" and name is not None:
                    table[name].append(part.decode("utf-8", "replace"))
            self.mssp = table

    # -- waiting --

    def pump_for(self, seconds):
        """Reads whatever arrives for the next `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._pump(deadline - time.monotonic()):
            pass

    def wait_for(self, predicate, timeout=DEFAULT_TIMEOUT, what="condition"):
        """Reads until predicate() is true; fails after timeout with what was seen."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out after %.1fs waiting for %s; text since "
                                     "the cursor:\n%s" % (timeout, what, self.tail()))
            if not self._pump(min(left, 0.25)):
                result = predicate()
                if result:
                    return result
                raise AssertionError("connection closed while waiting for %s; text since "
                                     "the cursor:\n%s" % (what, self.tail()))

    def read_until(self, pattern, timeout=DEFAULT_TIMEOUT):
        """Reads until pattern (regex str or bytes) matches the text after the
        cursor; moves the cursor past the match and returns it."""
        rx = re.compile(pattern.encode("utf-8") if isinstance(pattern, str) else pattern)

        def found():
            return rx.search(self.text, self.pos)
        m = self.wait_for(found, timeout, "%r" % pattern)
        self.pos = m.end()
        return m

    def read_text(self, text, timeout=DEFAULT_TIMEOUT):
        """read_until for a literal string."""
        return self.read_until(re.escape(text), timeout)

    def read_prompt(self, timeout=DEFAULT_TIMEOUT):
        """Reads to the next prompt (IAC EOR or IAC GA) at or after the cursor;
        returns the text from the cursor to it, decoded."""
        def found():
            for i in range(self._prompt_seen, len(self.prompts)):
                if self.prompts[i] >= self.pos:
                    return i + 1
            return None
        i = self.wait_for(found, timeout, "a prompt (IAC EOR / IAC GA)") - 1
        start, self.pos = self.pos, self.prompts[i]
        self._prompt_seen = i + 1
        return self.text[start:self.pos].decode("utf-8", "replace")

    def cmd(self, line, timeout=DEFAULT_TIMEOUT, expect=None):
        """Sends a line and returns the text up to the next prompt. Output
        still in flight (a message and its prompt) is skipped first; with
        expect (a regex), reads past it before waiting for the prompt."""
        self.skip()
        self.send_line(line)
        if expect is not None:
            start = self.pos
            self.read_until(expect, timeout)
            text = self.text[start:self.pos].decode("utf-8", "replace")
            return text + self.read_prompt(timeout)
        return self.read_prompt(timeout)

    def settle(self, quiet=0.1, limit=2.0):
        """Reads until nothing has come for `quiet` seconds: lets a
        negotiation (the TTYPE cycle takes three round trips) finish before
        the test types, as a human would. The cursor does not move."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = len(self.raw)
            if not self._pump(quiet) or len(self.raw) == before:
                break

    def skip(self, quiet=0.05, limit=1.0):
        """Moves the cursor to the end of what has arrived, once nothing more
        has come for `quiet` seconds (at most `limit` seconds of waiting)."""
        self.settle(quiet, limit)
        self.pos = len(self.text)
        self._prompt_seen = len(self.prompts)

    def expect_closed(self, timeout=DEFAULT_TIMEOUT):
        """Waits until the server closes the connection."""
        deadline = time.monotonic() + timeout
        while self._pump(max(0.0, min(0.25, deadline - time.monotonic()))):
            if time.monotonic() > deadline:
                raise AssertionError("the server did not close the connection in %.1fs; "
                                     "text since the cursor:\n%s" % (timeout, self.tail()))
        return self.since()

    def expect_open(self, seconds=0.5):
        """Reads for `seconds` and fails if the connection closes."""
        self.pump_for(seconds)
        if self.closed:
            raise AssertionError("the connection was closed; text:\n%s" % self.tail())

    def since(self, start=None):
        return self.text[self.pos if start is None else start:].decode("utf-8", "replace")

    def tail(self, n=3000):
        return self.text[self.pos:][-n:].decode("utf-8", "replace") or "(nothing)"

    def gmcp_wait(self, package, timeout=DEFAULT_TIMEOUT, since=0):
        """The first GMCP message named package at index >= since."""
        def found():
            for i in range(since, len(self.gmcp)):
                if self.gmcp[i][0].lower() == package.lower():
                    return self.gmcp[i]
            return None
        return self.wait_for(found, timeout, "GMCP %s (got %s)" % (
            package, [g[0] for g in self.gmcp[since:]]))

    def gmcp_packages(self, since=0):
        return [g[0] for g in self.gmcp[since:]]

    def negotiations(self):
        """[(cmd_name, opt)] of every WILL/WONT/DO/DONT received, in order."""
        return [(CMD_NAMES[e[2]], e[3]) for e in self.events if e[1] == "neg"]

    def subnegotiations(self, opt=None):
        return [e[3] for e in self.events if e[1] == "sb" and (opt is None or e[2] == opt)]

    def events_between(self, start, end):
        return [e for e in self.events if start <= e[0] <= end]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True

    # -- conversations --

    def create(self, name, password, path="fighter", pronouns="they", timeout=DEFAULT_TIMEOUT):
        """Creates a new character and waits for the first game prompt; what
        came from the welcome to that prompt is kept in entry_text."""
        self.read_text("By what name are you known? ", timeout)
        self.settle()
        self.send_line(name)
        self.read_text("Is that the name you want (yes/no)? ", timeout)
        self.send_line("yes")
        self.read_text("Password: ", timeout)
        self.send_line(password)
        self.read_text("Type it again: ", timeout)
        self.send_line(password)
        self.read_text("Choose they, he or she: ", timeout)
        self.send_line(pronouns)
        self.read_text("Your path: ", timeout)
        self.send_line(path)
        m = self.read_until(r"Welcome to Forgotten Ruin, %s\." % re.escape(name.capitalize()),
                            timeout)
        self.entry_text = m.group(0).decode() + self.read_prompt(timeout)
        return self

    def login(self, name, password, timeout=DEFAULT_TIMEOUT, welcome=None):
        """Logs an existing character in and waits for the first game prompt
        (entry_text as for create)."""
        self.read_text("By what name are you known? ", timeout)
        self.settle()
        self.send_line(name)
        self.read_text("Password: ", timeout)
        self.send_line(password)
        m = self.read_until(welcome or r"Welcome back, %s\." % re.escape(name.capitalize()),
                            timeout)
        self.entry_text = m.group(0).decode() + self.read_prompt(timeout)
        return self


# ---- the test case -----------------------------------------------------------------


class RuinTestCase(unittest.TestCase):
    """Base class: a temp dir per test, servers and clients stopped in tearDown,
    server logs printed when the test failed, a per-test alarm as a last guard."""

    TEST_ALARM_S = 90

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ruin-it-")
        self.servers = []
        self.clients = []
        self._old_alarm = signal.signal(signal.SIGALRM, self._alarm)
        signal.alarm(self.TEST_ALARM_S)

    def _alarm(self, signum, frame):
        raise AssertionError("test ran past %ds" % self.TEST_ALARM_S)

    def start_server(self, extra_args=(), name=None, exe=None, **settings):
        d = os.path.join(self.tmp, name or "server%d" % len(self.servers))
        srv = Server(d, extra_args, exe=exe, **settings)
        self.servers.append(srv)
        return srv.start()

    def connect(self, srv=None, profile=None, **kw):
        srv = srv or self.servers[0]
        c = Telnet(srv.port, profile, **kw)
        self.clients.append(c)
        return c

    def player(self, name, password="secret word", srv=None, profile=None, path="fighter",
               pronouns="they"):
        """A new character, in the game, at its first prompt."""
        return self.connect(srv, profile).create(name, password, path, pronouns)

    def tearDown(self):
        signal.alarm(0)
        for c in self.clients:
            c.close()
        problems = []
        for srv in self.servers:
            if srv.proc is not None and srv.proc.poll() is not None:
                problems.append("server in %s died during the test with status %s"
                                % (srv.dir, srv.proc.returncode))
                srv.wait()
                continue
            rc = srv.stop()
            if rc not in (0, None):
                problems.append("server in %s exited with %r on SIGTERM" % (srv.dir, rc))
        signal.signal(signal.SIGALRM, self._old_alarm)
        if problems:
            self.fail("; ".join(problems))

    def run(self, result=None):
        bad_before = len(result.failures) + len(result.errors) if result else 0
        try:
            return super().run(result)
        finally:
            if result and len(result.failures) + len(result.errors) > bad_before:
                for srv in getattr(self, "servers", []):
                    sys.stderr.write("\n---- server log (%s) ----\n%s---- end of log ----\n"
                                     % (srv.dir, srv.log_text()))
            if getattr(self, "tmp", None) and not os.environ.get("RUIN_KEEP_TMP"):
                shutil.rmtree(self.tmp, ignore_errors=True)
