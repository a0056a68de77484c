"""`convzoo explore`'s local web server: the page, and a JSON API the page calls as the learner draws.

The page is served at once, while the model loads in the background (TensorFlow's start takes seconds): until
the command hands the server its explorer (``App.ready``), a call that needs the model is answered 503 with
``{"loading": true, "error": ...}``, and ``GET /api/ready`` waits for the model, so that the page learns the
moment it is ready; a loading that failed (``App.failed``) is answered 503 with its reason.

The standard library's ThreadingHTTPServer is enough for one learner's browser on this machine: the page is one
document, the API four routes (the model's description, whether it is ready, a digit's activations, a unit's
working), and a thread per connection keeps an idle keep-alive connection, or a page waiting for the model, from
holding up the next request (the model's calls take turns behind a lock). Safe by default: bound to 127.0.0.1 only;
a request whose Host or Origin is not this server's is refused (403), so no other web page can read or drive it (DNS
rebinding included), as is a request with more than one Host or Origin header; a body must be JSON, at most
``MAX_BODY`` bytes (413), of exactly its one Content-Length; every field is checked. Every request that is not the
page or its API, the malformed ones the standard library turns away included, gets a JSON ``{"error": ...}`` with a
4xx status, never a traceback or an HTML page. No route reads a file path from a request.

Imports neither TensorFlow nor numpy: the model's side is ``zoo.keras.explore``, loaded by the command.
"""

from __future__ import annotations

import base64
import binascii
import errno
import json
import re
import sys
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Condition, Lock
from typing import TYPE_CHECKING

from .errors import ConvzooError

if TYPE_CHECKING:
    from .keras.model_file import ZooModel

HOST = "127.0.0.1"
MAX_BODY = 2 * 1024 * 1024  # a 1024x1024 drawing in base64 is 1.4 MB
MAX_SIDE = 1024  # the largest drawing accepted, in pixels each way
BODY_TIMEOUT = 5  # seconds: a browser sends its body with its headers; one that stalls this long is not coming
READY_WAIT = 10  # seconds GET /api/ready waits for the model before it answers "loading" (the page asks again)
TOLD_WAIT = 2  # seconds a failed loading waits for the waiting pages to be answered (each answer is 100 bytes)
LOADING = "the model is loading (TensorFlow is starting); the page asks again when it is ready"
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class BadRequest(ValueError):
    """A request the API cannot take: its status and one line for the page."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class Unavailable(BadRequest):
    """The model is not there to answer: still loading (``loading``; the page waits), or its loading failed."""

    def __init__(self, message: str, loading: bool):
        super().__init__(message, 503)
        self.loading = loading


def locate(path: str) -> Path:
    """The model file of a run folder or a model file, found before TensorFlow starts: one line otherwise (what
    the file holds is ``zoo.keras.model_file``'s to check)."""
    given = Path(path)
    if given.is_dir():
        model = given / "model.keras"
        if not model.is_file():
            raise ConvzooError(
                f"{path}: no model.keras in this folder; give a run folder that convzoo train wrote "
                "(or its model.keras)"
            )
        given = model
    elif not given.exists():
        raise ConvzooError(f"{path}: no such file or folder; give a run folder of convzoo train or its model.keras")
    return given


def describe(zoo: ZooModel, test_digits: int, data_note: str) -> dict:
    """What the page is told of the model, all of it known before the model loads: its name and file, its input,
    the engine's rows of its layers (each with what its kind of layer does, in the lecture's words), and how many
    test digits there are to load (or why there are none)."""
    from .layers import kinds

    explains = {layer.name: kinds()[layer.kind].explains for layer in zoo.layers}  # by kind: C3's table too
    return {
        "name": zoo.name,
        "path": str(zoo.path),
        "input": {"name": zoo.layers[0].name, "shape": list(zoo.engine.input_shape)},
        "layers": [
            {**row.to_dict(), "input_shape": list(row.input_shape), "explains": explains.get(row.name, "")}
            for row in zoo.engine.layers
        ],
        "total_params": zoo.engine.total_params,
        "test_digits": test_digits,
        "data_note": data_note,
    }


def bind(port: int | None) -> _Server:
    """A server on 127.0.0.1 (a free port unless ``port``), not yet serving: connections wait until it is."""
    try:
        return _Server((HOST, port or 0), _Handler)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise ConvzooError(
                f"--port {port}: already in use on {HOST}; choose another port, or leave --port out for a free one"
            ) from None
        if err.errno == errno.EACCES:
            raise ConvzooError(
                f"--port {port}: not allowed (ports below 1024 need root); choose a port from 1024 to 65535"
            ) from None
        raise ConvzooError(f"--port {port}: cannot listen on {HOST} ({err.strerror or err})") from None


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # Ctrl-C does not wait for a browser's idle keep-alive connection
    app: App | None = None  # the App serving this server's requests

    def handle_error(self, request, client_address):  # a connection the browser dropped: not worth a traceback
        failure = sys.exc_info()[0]
        assert failure is not None  # socketserver calls this from inside its except clause
        print(f"convzoo explore: a connection failed ({failure.__name__})", file=sys.stderr)


def serve(server: _Server, app: App) -> None:
    server.app = app
    server.serve_forever(poll_interval=0.2)


def address(server: _Server) -> str:
    return f"http://{HOST}:{server.server_address[1]}/"


class App:
    """What the server serves: the page and the model's description at once, and the API's two calls on the
    explorer (``zoo.keras.explore``) once the model has loaded (``ready``); until then, or after its loading
    failed (``failed``), those calls are refused with ``Unavailable`` once their request has been checked."""

    def __init__(self, description: dict, page: str):
        self.description, self.page = description, page.encode("utf-8")
        self.layers = {layer["name"]: layer for layer in description["layers"]}
        self.lock = Lock()  # one model call at a time
        self.explorer = None
        self.failure: str | None = None
        self._loaded = Condition()  # signalled when the explorer or the failure comes, and as waiting pages leave
        self._waiting = 0  # requests waiting in GET /api/ready

    def ready(self, explorer) -> None:
        with self._loaded:
            self.explorer = explorer
            self._loaded.notify_all()

    def failed(self, reason: str) -> None:
        """The model could not be loaded: every call is refused with ``reason`` from now on. Returns once the
        pages waiting for the model have been told (at most TOLD_WAIT seconds), so that the server can stop."""
        with self._loaded:
            self.failure = reason
            self._loaded.notify_all()
            self._loaded.wait_for(lambda: self._waiting == 0, TOLD_WAIT)

    @contextmanager
    def waiting(self):
        """A request waiting for the model (``wait_ready``), counted until its answer is sent (``failed``)."""
        with self._loaded:
            self._waiting += 1
        try:
            yield
        finally:
            with self._loaded:
                self._waiting -= 1
                self._loaded.notify_all()

    def wait_ready(self, seconds: float) -> None:
        """Return once the model is ready; Unavailable if it is still loading after ``seconds``, or failed."""
        with self._loaded:
            self._loaded.wait_for(lambda: self.explorer is not None or self.failure is not None, seconds)
        self._explorer()

    def analyze(self, body: dict) -> dict:
        subject = self._subject(body, set())
        explorer = self._explorer()
        digit, label = explorer.digit(**subject)
        if digit is None:
            return {"blank": True}
        with self.lock:
            return explorer.analyze(digit, label)

    def misclassified(self) -> dict:
        """The test digits the model names wrong (GET /api/misclassified), once the model is ready."""
        explorer = self._explorer()
        if not self.description["test_digits"]:
            raise BadRequest(f"no test digits to look through: {self.description['data_note']}")
        with self.lock:
            return explorer.misclassified()

    def unit(self, body: dict) -> dict:
        subject = self._subject(body, {"layer", "map", "row", "col"})
        name = body.get("layer")
        if not isinstance(name, str) or name not in self.layers:
            raise BadRequest(f"layer: expected one of {', '.join(self.layers)}")
        shape = self.layers[name]["output_shape"]
        limits = {
            "map": shape[-1],
            "row": shape[0] if len(shape) == 3 else 1,
            "col": shape[1] if len(shape) == 3 else 1,
        }
        where = {key: _integer(body, key, 0, limit - 1) for key, limit in limits.items()}
        explorer = self._explorer()
        digit, _ = explorer.digit(**subject)
        if digit is None:
            raise BadRequest("the drawing is blank: there is no unit to work out")
        with self.lock:
            return explorer.unit(digit, name, where["map"], where["row"], where["col"])

    def _explorer(self):
        """The explorer, once the model has loaded; Unavailable before, or after its loading failed."""
        if self.explorer is not None:
            return self.explorer
        if self.failure is not None:
            raise Unavailable(self.failure, loading=False)
        raise Unavailable(LOADING, loading=True)

    def _subject(self, body: dict, also: set) -> dict:
        """The digit a request names, as the explorer's ``digit`` takes it: {"drawing": {"width", "height",
        "ink"}} gives {"drawing": (ink, height, width)}, {"test_digit": N} gives {"test_index": N}. Checked in
        full before the model is needed: a bad request is told so while the model loads too."""
        unknown = sorted(set(body) - {"drawing", "test_digit"} - also)
        if unknown:
            raise BadRequest(f"unknown field {unknown[0]!r}; expected drawing or test_digit")
        if ("drawing" in body) == ("test_digit" in body):
            raise BadRequest("give either drawing (width, height, ink) or test_digit (an index), not both")
        if "test_digit" in body:
            count = self.description["test_digits"]
            if not count:
                raise BadRequest(self.description["data_note"])
            return {"test_index": _integer(body, "test_digit", 0, count - 1)}
        drawing = body["drawing"]
        if not isinstance(drawing, dict) or set(drawing) != {"width", "height", "ink"}:
            raise BadRequest("drawing: expected an object with width, height and ink (base64, one byte a pixel)")
        width, height = (_integer(drawing, key, 1, MAX_SIDE) for key in ("width", "height"))
        try:
            ink = base64.b64decode(drawing["ink"], validate=True) if isinstance(drawing["ink"], str) else None
        except (binascii.Error, ValueError):
            ink = None
        if ink is None or len(ink) != width * height:
            raise BadRequest(
                f"drawing.ink: expected base64 of {width}x{height} = {width * height:,} bytes "
                "(one a pixel, 0 blank to 255 ink)"
            )
        return {"drawing": (ink, height, width)}


def _integer(body: dict, key: str, low: int, high: int) -> int:
    value = body.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BadRequest(f"{key}: expected a whole number from {low} to {high}, got {json.dumps(value)[:40]}")
    return value


class _Handler(BaseHTTPRequestHandler):
    server_version = "convzoo-explore"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 60  # a connection that sends nothing for a minute is closed
    server: _Server  # bind's: the handler is only ever made by it

    def log_message(self, format, *args):  # a request a stroke: the terminal stays quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        headers = {
            "Content-Type": content_type,
            "Content-Length": str(len(body)),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            **(extra or {}),
        }
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":  # a HEAD answer has the headers alone
            self.wfile.write(body)

    def _json(self, status: int, document: dict) -> None:
        self._send(status, json.dumps(document, separators=(",", ":")).encode("utf-8"), "application/json")

    def _error(self, status: int, message: str, extra: dict | None = None, fields: dict | None = None) -> None:
        self.close_connection = True  # a body left unread must not be taken for the next request
        self._send(
            status,
            json.dumps({"error": message, **(fields or {})}).encode("utf-8"),
            "application/json",
            {"Connection": "close", **(extra or {})},
        )

    def _refuse(self, err: BadRequest) -> None:
        if isinstance(err, Unavailable) and err.loading:  # "loading": the page waits instead of showing an error
            self._error(err.status, str(err), {"Retry-After": "1"}, {"loading": True})
        else:
            self._error(err.status, str(err))

    def _allowed(self) -> bool:
        """Only this server's own address as Host, and only its own page as Origin (when a browser sends one);
        one of each at most, so that no second header slips past the first's check."""
        port = self.server.server_address[1]
        hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        for header in ("Host", "Origin"):
            if len(self.headers.get_all(header, ())) > 1:
                self._error(400, f"refused: more than one {header} header")
                return False
        origin = self.headers.get("Origin")
        if self.headers.get("Host") not in hosts:
            self._error(403, f"refused: Host must be {HOST}:{port} or localhost:{port}")
            return False
        if origin is not None and origin not in {f"http://{host}" for host in hosts}:
            self._error(403, f"refused: requests from another origin ({origin[:80]}) are not served")
            return False
        return True

    def send_error(self, code, message=None, explain=None):
        """What the standard library turns away before a route is chosen (a malformed request line or header, a
        line too long, HTTP/2, an unknown method), answered as every other error here: one JSON line, 4xx."""
        if code == HTTPStatus.NOT_IMPLEMENTED:  # a method no do_ handles
            self._refuse_method()
            return
        if self.request_version == "HTTP/0.9":  # not parsed yet: answer with a status line and headers all the same
            self.request_version = "HTTP/1.0"
        status = code if 400 <= code < 500 else 400  # HTTP/2 and the like: a request this server cannot read
        said = (message or self.responses.get(code, ("bad request",))[0])[:120]  # it may quote the request line
        self._error(status, f"{said}; this server answers GET / (the page) and the page's calls, over HTTP/1.1")

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":  # 'GET /' with no version: headers cannot be answered
            self.send_error(400, "HTTP/0.9 is not served")
            return False
        return True

    def do_GET(self):
        if not self._allowed():
            return
        app = self.server.app
        assert app is not None  # serve() set it before the first request
        if self.path in ("/", "/index.html"):
            self._send(
                200,
                app.page,
                "text/html; charset=utf-8",
                {"Content-Security-Policy": PAGE_POLICY, "X-Frame-Options": "DENY"},
            )
        elif self.path == "/api/model":
            self._json(200, app.description)
        elif self.path == "/api/misclassified":
            try:
                self._json(200, app.misclassified())
            except BadRequest as err:
                self._refuse(err)
        elif self.path == "/api/ready":
            with app.waiting():
                try:
                    app.wait_ready(READY_WAIT)
                    self._json(200, {"ready": True})
                except Unavailable as err:
                    self._refuse(err)
        else:
            self._error(404, f"no such page: {self.path[:80]}")

    def do_POST(self):
        if not self._allowed():
            return
        app = self.server.app
        assert app is not None  # serve() set it before the first request
        routes = {"/api/analyze": app.analyze, "/api/unit": app.unit}
        if self.path not in routes:
            self._error(404, f"no such API call: {self.path[:80]}")
            return
        try:
            body = self._body()
            self._json(200, routes[self.path](body))
        except BadRequest as err:
            self._refuse(err)
        except Exception as err:  # a bug of ours: the page gets one line, the terminal its name
            print(f"convzoo explore: {self.path} failed ({err.__class__.__name__}: {err})", file=sys.stderr)
            self._error(500, f"the server could not compute this ({err.__class__.__name__})")

    def _body(self) -> dict:
        if not self.headers.get("Content-Type", "").split(";")[0].strip() == "application/json":
            raise BadRequest("expected a JSON body (Content-Type: application/json)", 415)
        if "Transfer-Encoding" in self.headers:
            raise BadRequest("expected a body of one Content-Length, not a Transfer-Encoding", 411)
        lengths = self.headers.get_all("Content-Length", ())
        if not lengths:
            raise BadRequest("expected a Content-Length", 411)
        if len(lengths) > 1 or not re.fullmatch(r"[0-9]{1,15}", lengths[0].strip(), re.ASCII):
            raise BadRequest(f"Content-Length: expected one whole number of bytes, got {', '.join(lengths)[:40]!r}")
        length = int(lengths[0])
        if length > MAX_BODY:
            raise BadRequest(f"the body is {length:,} bytes; at most {MAX_BODY:,} are accepted", 413)
        self.connection.settimeout(BODY_TIMEOUT)
        try:
            data = self.rfile.read(length)
        except TimeoutError:
            raise BadRequest(
                f"the body did not arrive within {BODY_TIMEOUT} s (Content-Length {length:,})", 408
            ) from None
        finally:
            self.connection.settimeout(self.timeout)
        if len(data) < length:
            raise BadRequest(f"the body is {len(data):,} bytes, shorter than its Content-Length ({length:,})")
        try:
            body = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("the body is not valid JSON") from None
        except RecursionError:
            raise BadRequest("the body's JSON is nested too deeply to read") from None
        if not isinstance(body, dict):
            raise BadRequest("expected a JSON object")
        return body

    def _refuse_method(self):
        if self._allowed():
            self._error(
                405, f"{self.command[:20]} is not served here (GET the page, POST the API)", {"Allow": "GET, POST"}
            )

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _refuse_method
