"""`convzoo explore` over its HTTP API: start-up (from the command to its first answer, TensorFlow's import and
the model's loading included; target <= 6 s) and the time from a stroke to an updated prediction with every
layer's activation maps (the median of 100 drawn digits; target <= 150 ms for lenet5 on 2 cores).

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
START_TARGET_S, STROKE_TARGET_MS = 6.0, 150.0


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", help="A lenet5 run folder (default: train one briefly).")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--starts", type=int, default=5, help="start-ups timed (the median is printed)")
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
        starts = []
        for start in range(args.starts):
            port = free_port()
            url = f"http://127.0.0.1:{port}/"
            began = time.perf_counter()
            server = subprocess.Popen(
                convzoo() + ["explore", run, "--no-browser", "--port", str(port)], stdout=subprocess.DEVNULL
            )
            try:
                while True:  # the port is bound before TensorFlow starts; a request then waits for the model
                    try:
                        post(url + "api/analyze", bodies[0])
                        break
                    except (urllib.error.URLError, ConnectionError):
                        if server.poll() is not None:
                            sys.exit("explore stopped before it answered")
                        time.sleep(0.05)
                starts.append(time.perf_counter() - began)
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
        # the floor: TensorFlow's own import, timed inside a process of its own (its exit, which is slow, left out)
        tensorflow_s = statistics.median(
            float(
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        "import time; began = time.perf_counter(); from convzoo.zoo.keras.backend import "
                        "load_keras; load_keras(); print(time.perf_counter() - began)",
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(args.starts)
        )
    times.sort()
    median, p90 = statistics.median(times), times[int(0.9 * (len(times) - 1))]
    start_s = statistics.median(starts)
    print(
        f"start-up (command to first answer)   {start_s:6.2f} s   {start_s / START_TARGET_S:5.2f}x of "
        f"{START_TARGET_S} s (median of {len(starts)}, from {min(starts):.2f} to {max(starts):.2f} s; "
        f"TensorFlow's import alone: {tensorflow_s:.2f} s)"
    )
    print(
        f"stroke to prediction and all maps    {median:6.1f} ms  {median / STROKE_TARGET_MS:5.2f}x of "
        f"{STROKE_TARGET_MS:.0f} ms (median of {len(times)}; p90 {p90:.1f} ms)"
    )


if __name__ == "__main__":
    main()
