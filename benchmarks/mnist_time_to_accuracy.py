"""Time to 99.0% test accuracy on the full MNIST, 2-core CPU: (a) the keras.io "Simple MNIST convnet" recipe,
(b) `convzoo train lenet5` with its defaults as a whole process (start-up included), counted if it ends at 99.0%
or better.

Run: python benchmarks/mnist_time_to_accuracy.py [--data ../shared/data/mnist/mnist.npz] [--epochs 15]
Prints for each the seconds to first reach 99.0% test accuracy, the best test error, and the ratio b/a.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.99


def keras_io_recipe(data: str, epochs: int) -> tuple[float | None, float]:
    """keras.io/examples/vision/mnist_convnet: evaluated on the test set after every epoch."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import numpy as np
    from convzoo.zoo.keras.backend import load_keras

    keras = load_keras()
    with np.load(data) as mnist:
        x_train, y_train = mnist["x_train"][..., None].astype("float32") / 255, mnist["y_train"]
        x_test, y_test = mnist["x_test"][..., None].astype("float32") / 255, mnist["y_test"]
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    first, best = None, 0.0
    for epoch in range(epochs):
        model.fit(x_train, y_train, batch_size=128, epochs=1, validation_split=0.1, verbose=0)
        accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
        best = max(best, accuracy)
        seconds = time.perf_counter() - started
        print(f"  (a) epoch {epoch + 1}: test accuracy {accuracy:.4f} at {seconds:.1f} s", flush=True)
        if accuracy >= TARGET and first is None:
            first = seconds
            break
    return first, 1 - best


def convzoo_defaults(data: str) -> tuple[float | None, float, float]:
    """`convzoo train lenet5` exactly as a learner runs it (defaults, no --test-curve): the whole process,
    start-up and the files it writes included, counts if its test accuracy reaches 99.0%."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "convzoo", "train", "lenet5", "--data", data, "--out", f"{out}/run"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        whole = time.perf_counter() - started
        metrics = json.loads(Path(f"{out}/run/metrics.json").read_text())
    print(f"  (b) test accuracy {metrics['test_accuracy']:.4f} after {metrics['epochs']} epochs, {whole:.1f} s")
    reached = metrics["test_accuracy"] >= TARGET
    return (whole if reached else None), 1 - metrics["test_accuracy"], whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist" / "mnist.npz"))
    parser.add_argument("--epochs", type=int, default=15, help="at most, for the keras.io recipe")
    args = parser.parse_args()
    print("(b) convzoo train lenet5 (defaults)")
    b_first, b_error, b_whole = convzoo_defaults(args.data)
    print("(a) keras.io Simple MNIST convnet")
    a_first, a_error = keras_io_recipe(args.data, args.epochs)
    print()
    print(
        f"(a) keras.io recipe: 99.0% after {a_first:.1f} s; best test error {a_error:.2%}"
        if a_first
        else f"(a) keras.io recipe: did not reach 99.0%; best test error {a_error:.2%}"
    )
    print(
        f"(b) convzoo lenet5:  whole run {b_whole:.1f} s, {'reached' if b_first else 'did NOT reach'} 99.0%; "
        f"best test error {b_error:.2%}"
    )
    if a_first and b_first:
        print(f"ratio b/a = {b_first / a_first:.2f} (target <= 0.25)")


if __name__ == "__main__":
    main()
