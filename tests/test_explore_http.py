"""`convzoo explore`'s server against what a fuzzer or a hostile page sends, over raw sockets (http.client cannot
send a broken request): every request that is not the page or its API gets one JSON line with a 4xx status,
never the standard library's HTML page, a 5xx or a traceback. The server is the real command, serving an
untrained LeNet-5 saved as train saves it (no MNIST needed: no request here reaches the model's numbers)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time

import pytest


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore_http") / "lenet5"
    folder.mkdir()
    from convzoo.zoo.registry import build

    build("lenet5").save(str(folder / "model.keras"))
    process = subprocess.Popen(
        [sys.executable, "-m", "convzoo", "explore", str(folder), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert found, (line, process.stderr.read() if process.poll() is not None else "")
    yield int(found.group(1))
    process.send_signal(2)  # Ctrl-C
    assert process.wait(timeout=30) == 0
    errors = process.stderr.read()
    assert "Traceback" not in errors and errors.strip().splitlines()[-1] == "convzoo explore: stopped", errors


def exchange(port: int, raw: bytes, half_close: bool = False, timeout: float = 30) -> tuple[int, dict, bytes]:
    """(status, headers, body) of the answer to ``raw``, read to the end (an error closes the connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(raw)
        if half_close:
            connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("iso-8859-1").split("\r\n")
    assert status_line.startswith("HTTP/1.1 "), answer[:200]
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in lines)}
    return int(status_line.split()[1]), headers, body


def request(
    port: int, first_line: str = "POST /api/analyze HTTP/1.1", headers: str = "", body: bytes = b"", host: bool = True
) -> bytes:
    own = f"Host: 127.0.0.1:{port}\r\n" if host else ""
    return f"{first_line}\r\n{own}{headers}\r\n".encode("iso-8859-1") + body


def one_json_error(status: int, headers: dict, body: bytes) -> str:
    assert 400 <= status < 500, (status, body)
    assert headers["content-type"] == "application/json" and int(headers["content-length"]) == len(body)
    assert body.count(b"\n") == 0 and list(json.loads(body)) == ["error"], body
    return json.loads(body)["error"]


JSON = "Content-Type: application/json\r\n"


@pytest.mark.parametrize(
    "header, second", [("Host", "evil.com"), ("Origin", "http://evil.com"), ("Host", "127.0.0.1:{port}")]
)
def test_a_second_host_or_origin_header_is_refused(port, header, second):
    own = f"http://127.0.0.1:{port}" if header == "Origin" else f"127.0.0.1:{port}"
    extra = f"{header}: {second.format(port=port)}\r\n"
    raw = request(port, "GET /api/model HTTP/1.1", (f"Origin: {own}\r\n" if header == "Origin" else "") + extra)
    status, headers, body = exchange(port, raw)
    assert status == 400 and one_json_error(status, headers, body) == f"refused: more than one {header} header"
    # one of each, the server's own, is served
    status, _, body = exchange(
        port, request(port, "GET /api/model HTTP/1.1", f"Origin: http://127.0.0.1:{port}\r\nConnection: close\r\n")
    )
    assert status == 200 and json.loads(body)["name"] == "lenet5"


NESTED = b"[" * 100_000 + b"]" * 100_000
UNIT = b'{"drawing": {"width": 1, "height": 1, "ink": "/w=="}, "layer": [1], "map": 0, "row": 0, "col": 0}'


@pytest.mark.parametrize(
    "case, raw, expected, says",
    [
        (
            "a superscript two for a length",
            lambda p: request(p, headers=JSON + "Content-Length: \xb2\r\n", body=b"{}"),
            400,
            "Content-Length: expected one whole number of bytes",
        ),
        (
            "two lengths",
            lambda p: request(p, headers=JSON + "Content-Length: 2\r\nContent-Length: 3\r\n", body=b"{}"),
            400,
            "Content-Length: expected one whole number of bytes",
        ),
        (
            "a chunked body",
            lambda p: request(p, headers=JSON + "Transfer-Encoding: chunked\r\n", body=b"2\r\n{}\r\n0\r\n\r\n"),
            411,
            "not a Transfer-Encoding",
        ),
        (
            "JSON nested 100,000 deep",
            lambda p: request(p, headers=JSON + f"Content-Length: {len(NESTED)}\r\n", body=NESTED),
            400,
            "nested too deeply",
        ),
        (
            "a layer that is a list",
            lambda p: request(p, "POST /api/unit HTTP/1.1", JSON + f"Content-Length: {len(UNIT)}\r\n", UNIT),
            400,
            "layer: expected one of c1",
        ),
        ("a malformed request line", lambda p: b"FOO\r\n\r\n", 400, "Bad request syntax ('FOO')"),
        ("a version that is not HTTP", lambda p: b"GET / HTTP/x\r\n\r\n", 400, "Bad request version"),
        ("HTTP/2", lambda p: request(p, "GET / HTTP/2.0"), 400, "Invalid HTTP version (2.0)"),
        ("HTTP/0.9", lambda p: b"GET /\r\n\r\n", 400, "HTTP/0.9 is not served"),
        ("an unknown method", lambda p: request(p, "BREW / HTTP/1.1"), 405, "BREW is not served here"),
        ("a request line of 70,000 bytes", lambda p: request(p, f"GET /{'a' * 70_000} HTTP/1.1"), 414, "Too Long"),
        (
            "120 headers",
            lambda p: request(p, "GET / HTTP/1.1", "".join(f"X-{i}: 1\r\n" for i in range(120))),
            431,
            "Too many headers",
        ),
        ("a path that is not served", lambda p: request(p, "GET /favicon.ico HTTP/1.1"), 404, "no such page"),
    ],
)
def test_every_request_that_is_not_the_page_or_its_api_gets_one_json_line(port, case, raw, expected, says):
    status, headers, body = exchange(port, raw(port))
    assert status == expected and says in one_json_error(status, headers, body), case


def test_head_is_refused_with_headers_alone(port):
    status, headers, body = exchange(port, request(port, "HEAD / HTTP/1.1"))
    assert status == 405 and headers["allow"] == "GET, POST" and headers["content-type"] == "application/json"
    assert body == b""


def test_a_short_body_is_refused_not_waited_on_for_ever(port):
    short = request(port, headers=JSON + "Content-Length: 100\r\n", body=b'{"test_digit": 0}')
    status, headers, body = exchange(port, short, half_close=True)  # the sender stopped: 17 of 100 bytes came
    assert status == 400 and "17 bytes, shorter than its Content-Length (100)" in one_json_error(status, headers, body)
    started = time.monotonic()
    status, headers, body = exchange(port, short)  # the sender stalls, its connection open
    assert status == 408 and "did not arrive within 5 s" in one_json_error(status, headers, body)
    assert time.monotonic() - started < 15
