"""`convzoo explore` over its HTTP API: how soon it answers, and the time from a stroke to a prediction.

Each start is timed from the command to two moments: the page's first answer (GET /, served before TensorFlow
starts; target <= 1.5 s on a quiet 2-core machine) and the model ready (the first prediction answered, once
GET /api/ready says the model has loaded). Beside them, the yardstick of the same run: `python -c "import
tensorflow"`, from its start to the end of the import (its exit, which is slow, left out). Then the time from a
stroke to an updated prediction with every layer's activation maps (the median of 100 drawn digits; target <=
150 ms for lenet5 on 2 cores).

Run: python benchmarks/explore_latency.py [--run RUN_DIR] [--requests 100] [--starts 5]
Without --run, it first trains lenet5 briefly (one epoch on 12,000 images of ../shared's MNIST, about 20 s):
the latency does not depend on how well the model reads digits. Each request is one POST of a 280x280 drawing
(an MNIST test digit scaled up to the page's canvas), as the page sends one after a stroke.
"""

from __future__ import annotations

import argparse
import base64
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MNIST = ROOT.parent / "shared" / "data" / "mnist" / "mnist.npz"
PAGE_TARGET_S, STROKE_TARGET_MS = 1.5, 150.0


def convzoo() -> list[str]:
    script = Path(sys.executable).with_name("convzoo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "convzoo"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url: str, body: dict, timeout: float = 60) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def drawings(count: int) -> list[dict]:
    """MNIST test digits as the page's canvas would hold them: 280x280, one byte of ink a pixel."""
    import numpy as np
    from PIL import Image

    with np.load(MNIST) as data:
        digits = data["x_test"][:count]
    return [
        {
            "drawing": {
                "width": 280,
                "height": 280,
                "ink": base64.b64encode(
                    np.asarray(Image.fromarray(d).resize((280, 280), Image.BILINEAR)).tobytes()
                ).decode(),
            }
        }
        for d in digits
    ]


def get(url: str, timeout: float = 60) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def first_answer(url: str, server: subprocess.Popen) -> None:
    """Ask for ``url`` until it answers: the port is bound once the model file has been checked."""
    while True:
        try:
            get(url)
            return
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None:
                sys.exit("explore stopped before it answered")
            time.sleep(0.01)


def model_ready(url: str) -> None:
    """Return once GET /api/ready says the model has loaded (it answers 503 "loading" after a wait, asked again)."""
    while True:
        try:
            get(url + "api/ready")
            return
        except urllib.error.HTTPError as err:
            answer = json.loads(err.read())
            if not answer.get("loading"):
                sys.exit(f"explore could not load the model: {answer['error']}")


def import_tensorflow() -> float:
    """The yardstick: seconds from starting `python -c "import tensorflow"` to the end of its import."""
    began = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", "import tensorflow; print(flush=True)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as process:
        assert process.stdout is not None
        process.stdout.readline()  # the line printed once the import is done
        return time.perf_counter() - began


def spread(values: list[float]) -> str:
    return f"median of {len(values)}, from {min(values):.2f} to {max(values):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", help="A lenet5 run folder (default: train one briefly).")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--starts", type=int, default=5, help="start-ups timed (the medians are printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        run = args.run
        if run is None:
            run = str(Path(scratch) / "lenet5")
            subprocess.run(
                convzoo()
                + ["train", "lenet5", "--data", str(MNIST), "--epochs", "1", "--limit", "12000", "--out", run],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        bodies = drawings(args.requests)
        pages, models = [], []
        for start in range(args.starts):
            port = free_port()
            url = f"http://127.0.0.1:{port}/"
            began = time.perf_counter()
            server = subprocess.Popen(
                convzoo() + ["explore", run, "--no-browser", "--port", str(port)], stdout=subprocess.DEVNULL
            )
            try:
                first_answer(url, server)
                pages.append(time.perf_counter() - began)
                model_ready(url)
                answer = post(url + "api/analyze", bodies[0])
                models.append(time.perf_counter() - began)
                assert answer["top"], answer
                if start == args.starts - 1:  # the strokes, on the last server
                    times = []
                    for body in bodies:
                        sent = time.perf_counter()
                        answer = post(url + "api/analyze", body)
                        times.append((time.perf_counter() - sent) * 1000)
                        assert answer["top"] and answer["layers"], answer
            finally:
                server.terminate()
                server.wait()
        tensorflow = [import_tensorflow() for _ in range(args.starts)]
    times.sort()
    median, p90 = statistics.median(times), times[int(0.9 * (len(times) - 1))]
    page_s, model_s, tensorflow_s = (statistics.median(v) for v in (pages, models, tensorflow))
    rows = [
        (
            "command to the page's first answer",
            f"{page_s:6.2f} s ",
            f"{page_s / PAGE_TARGET_S:5.2f}x of {PAGE_TARGET_S} s ({spread(pages)})",
        ),
        (
            "command to the model ready",
            f"{model_s:6.2f} s ",
            f"{model_s / tensorflow_s:5.2f}x the yardstick (the first prediction answered; {spread(models)})",
        ),
        ('yardstick: python -c "import tensorflow"', f"{tensorflow_s:6.2f} s ", f"      ({spread(tensorflow)})"),
        (
            "stroke to prediction and all maps",
            f"{median:6.1f} ms",
            f"{median / STROKE_TARGET_MS:5.2f}x of "
            f"{STROKE_TARGET_MS:.0f} ms (median of {len(times)}; p90 {p90:.1f} ms)",
        ),
    ]
    for label, value, note in rows:
        print(f"{label:<42}{value}  {note}")


if __name__ == "__main__":
    main()
