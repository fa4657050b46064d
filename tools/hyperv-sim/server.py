"""HTTP(S) front end: POST /wsman with Basic auth, injected faults and latency, and the /_sim control API."""

import base64
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import envelope
import faults
import inventory
import wsman

SOAP_TYPE = "application/soap+xml;charset=UTF-8"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.requests = 0
            self.by_action = {}
            self.by_class = {}
            self.by_status = {}

    def request(self):
        with self.lock:
            self.requests += 1

    def status(self, code):
        with self.lock:
            self.by_status[str(code)] = self.by_status.get(str(code), 0) + 1

    def count(self, action, cls):
        with self.lock:
            self.by_action[action] = self.by_action.get(action, 0) + 1
            if cls:
                self.by_class[cls] = self.by_class.get(cls, 0) + 1

    def snapshot(self):
        with self.lock:
            return {"requests": self.requests, "by_action": dict(self.by_action), "by_class": dict(self.by_class),
                    "by_status": dict(self.by_status)}


class SimState:
    """Everything the handlers share; replaced wholesale by POST /_sim/load."""

    def __init__(self, inv, user, password, latency_ms):
        self.lock = threading.Lock()
        self.stats = Stats()
        self.user, self.password = user, password
        self.latency_ms = latency_ms
        self.pending_faults = []     # [kind, remaining, options]
        self.load(inv)

    def load(self, inv):
        sim = inventory.Simulation(inv)
        self.service = wsman.Service(sim, self.stats)

    def next_fault(self):
        with self.lock:
            if not self.pending_faults:
                return None
            fault = self.pending_faults[0]
            fault[1] -= 1
            if fault[1] <= 0:
                self.pending_faults.pop(0)
            return fault[0], fault[2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-HTTPAPI/2.0"
    sys_version = ""
    # Headers and body go out in two writes: without this, Nagle holds the body
    # until the client's delayed ACK (40 ms) on every keep-alive request after the first.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    @property
    def state(self):
        return self.server.sim_state

    def version_string(self):
        return "Microsoft-HTTPAPI/2.0"

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    # ---- plumbing ----
    def _send(self, code, body=b"", content_type=SOAP_TYPE, extra_headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(code)
        for name, value in extra_headers:
            self.send_header(name, value)
        if body or code != 401:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _unauthorized(self):
        self.state.stats.status(401)
        self._send(401, b"", extra_headers=[("WWW-Authenticate", "Negotiate"),
                                            ("WWW-Authenticate", 'Basic realm="WSMAN"')])

    def _authorized(self):
        header = self.headers.get("Authorization") or ""
        if not header.lower().startswith("basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return user.lower() == self.state.user.lower() and password == self.state.password

    def _abort(self):
        """Reset the TCP connection (RST) without an answer."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    # ---- verbs ----
    def do_GET(self):
        if self.path == "/_sim/stats":
            return self._json(self.state.stats.snapshot())
        if self.path == "/_sim/state":
            return self._json(inventory.dump(self.state.service.sim))
        if self.path.split("?")[0] == "/wsman":
            return self._send(405, b"", "text/plain", [("Allow", "POST")])
        self._send(404, b"", "text/html")

    def _json(self, obj, code=200):
        self._send(code, json.dumps(obj, indent=1), "application/json")

    def do_POST(self):
        path = self.path.split("?")[0]
        if path.startswith("/_sim/"):
            return self._control(path)
        if path.lower() != "/wsman":
            return self._send(404, b"", "text/html")
        raw = self._read_body()
        st = self.state
        st.stats.request()
        if st.latency_ms:
            time.sleep(st.latency_ms / 1000.0)
        injected = st.next_fault()
        if injected and self._inject(*injected, raw):
            return
        unauth_identify = (self.headers.get("WSMANIDENTIFY") or "").lower() == "unauthenticated"
        if not unauth_identify and not self._authorized():
            return self._unauthorized()
        self._wsman(raw, unauth_identify)

    def _wsman(self, raw, unauth_identify):
        st = self.state
        service = st.service
        machine = service.sim.store.host_name
        ctype = (self.headers.get("Content-Type") or "").lower()
        if ctype and "soap+xml" not in ctype:
            st.stats.status(415)
            return self._send(415, b"", "text/html")
        try:
            root = envelope.parse(raw)
            req = envelope.Request(root)
        except envelope.BadRequest:
            st.stats.status(400)
            return self._send(400, faults.missing_body_element("Envelope").render(None, machine, service.lang))
        try:
            if unauth_identify:
                child = req.body_child()
                if child is None or not child.tag.endswith("}Identify"):
                    return self._unauthorized()
                service.stats.count("Identify", None)
                body = envelope.identify_envelope(service.sim.os_version, False)
            else:
                timeout = wsman.parse_duration(req.operation_timeout)
                if timeout is not None and st.latency_ms and st.latency_ms / 1000.0 >= timeout:
                    raise faults.timed_out()
                body = service.handle(req)
        except faults.WsmanFault as fault:
            st.stats.status(500)
            return self._send(500, fault.render(req.message_id, machine, service.lang))
        st.stats.status(200)
        self._send(200, body)

    def _inject(self, kind, options, raw):
        """Returns True when the injected fault replaced the answer."""
        st = self.state
        if kind == "401":
            self._unauthorized()
        elif kind == "500":
            st.stats.status(500)
            relates = None
            try:
                relates = envelope.Request(envelope.parse(raw)).message_id
            except envelope.BadRequest:
                pass
            self._send(500, faults.internal_error().render(relates, st.service.sim.store.host_name))
        elif kind == "malformed":
            st.stats.status(200)
            self._send(200, f'<s:Envelope xmlns:s="{envelope.NS_S}"><s:Header><a:Action>http://schemas.xml'
                            '<<not xml & broken')
        elif kind == "reset":
            self._abort()
        elif kind == "stall":
            time.sleep(float(options.get("seconds", 30)))
            self._abort()
        elif kind == "oversized":
            st.stats.status(200)
            filler = "x" * int(options.get("bytes", 4 * 1024 * 1024))
            self._send(200, f'<s:Envelope xmlns:s="{envelope.NS_S}"><s:Header/><s:Body><!-- {filler} -->'
                            "</s:Body></s:Envelope>")
        else:
            return False
        return True

    def _control(self, path):
        st = self.state
        try:
            raw = self._read_body()
            data = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return self._json({"error": "body is not JSON"}, 400)
        if path == "/_sim/reset-stats":
            st.stats.reset()
        elif path == "/_sim/fault":
            kind = str(data.get("kind", ""))
            if kind not in ("401", "500", "malformed", "reset", "stall", "oversized"):
                return self._json({"error": f"unknown fault kind {kind!r}"}, 400)
            with st.lock:
                st.pending_faults.append([kind, int(data.get("count", 1)), data])
        elif path == "/_sim/latency":
            st.latency_ms = int(data.get("ms", 0))
        elif path == "/_sim/load":
            try:
                st.load(data)
            except (KeyError, ValueError, TypeError) as err:
                return self._json({"error": f"bad inventory: {err}"}, 400)
        else:
            return self._send(404, b"", "text/html")
        self._json({"ok": True})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, sim_state, ssl_context=None):
        super().__init__(address, Handler)
        self.sim_state = sim_state
        self.ssl_context = ssl_context

    def get_request(self):
        sock, addr = super().get_request()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def finish_request(self, request, client_address):
        # TLS handshakes run in the worker thread so one slow client cannot block the listener.
        if self.ssl_context is not None:
            try:
                request.do_handshake()
            except (OSError, ValueError):
                return
        super().finish_request(request, client_address)
