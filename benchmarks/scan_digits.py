"""The digit reader of `convzoo scan` on its own, digit by digit: MNIST's test digits written into a class's
answer sheets and scanned as benchmarks/scan_accuracy.py makes them (tests/handwriting.py), every digit box read
as scan reads it (sheet_images.field_digits), and each model given (default: the one scan ships) reads them:
- digits read right;
- sure (probability at or above a --confident value) and wrong-and-sure, of the digits written;
- empty boxes read as a digit, and written digits read as an empty box (both would be silent errors);
- number fields (what is written of them) right and sure, and wrong and sure, at each --confident value.

Run: python benchmarks/scan_digits.py [--students 24] [--seed 12] [MODEL.keras ...]   (needs ../shared's MNIST)
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))
from cli_latency import convzoo  # noqa: E402
from handwriting import Digits, jpeg, layout_of, written_class  # noqa: E402
from scan_accuracy import MNIST, QUIZ  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99)


def written_boxes(exam: Path, students: int, seed: int) -> tuple[list, list]:
    """Every digit box of every student's answer pages, scanned: ([(its 28x28 digit or None, the digit written or
    None)], [each number field's indices into that list])."""
    from convzoo.zoo.keras.sheet_images import field_digits, find_page

    layout = layout_of(exam)
    labels = ["ABCD"[k % 4] for k in range(students)]
    _, pages = written_class(exam, labels, Digits.load(MNIST), random.Random(seed))
    boxes, fields = [], []
    for page in pages:
        if not page.entry["fields"]:
            continue
        truth = {id(box): digit for box, digit in page.digits}
        scanned = np.asarray(Image.open(io.BytesIO(jpeg(page.image))).convert("L"), dtype="float32")
        found = find_page(scanned, layout)
        for field in page.entry["fields"]:
            digit_boxes = [b for b in field["boxes"] if b["holds"] == "digit"]
            if not digit_boxes:
                continue
            read = field_digits(found, [b["rect_mm"] for b in digit_boxes])
            first = len(boxes)
            boxes += [(crop, truth.get(id(box))) for box, crop in zip(digit_boxes, read)]
            if field["column"] != "id":
                fields.append(range(first, len(boxes)))
    return boxes, fields


def report(model_path: str, boxes: list, fields: list) -> None:
    import keras
    from convzoo.zoo.keras.training.data import fit_inputs

    model = keras.saving.load_model(model_path, compile=False)
    crops = [crop for crop, _ in boxes if crop is not None]
    outputs = model.predict(fit_inputs(np.stack(crops), tuple(model.input_shape[1:])), batch_size=512, verbose=0)
    read, outputs_left = [], iter(outputs)
    for crop, _ in boxes:
        out = next(outputs_left) if crop is not None else None
        read.append(None if out is None else (int(out.argmax()), float(out.max())))
    written = [k for k, (_, truth) in enumerate(boxes) if truth is not None]
    got = [k for k in written if read[k] is not None]
    print(f"{model_path}: {len(written)} digits written, {len(boxes) - len(written)} boxes left empty")
    print(f"  read right {sum(read[k][0] == boxes[k][1] for k in got) / len(written):.2%}", end="")
    empty_read = sum(read[k] is not None for k, (_, truth) in enumerate(boxes) if truth is None)
    print(f"; empty boxes read as a digit: {empty_read}; digits read as an empty box: {len(written) - len(got)}")
    with_ink = [f for f in fields if any(boxes[k][1] is not None for k in f)]
    print(f"  --confident  digits sure  digits wrong and sure  fields right and sure  wrong and sure ({len(with_ink)})")
    for threshold in THRESHOLDS:
        sure = [k for k in got if read[k][1] >= threshold]
        wrong = sum(read[k][0] != boxes[k][1] for k in sure)
        right_fields = wrong_fields = 0
        for f in with_ink:
            if any(read[k] is not None and read[k][1] < threshold for k in f):
                continue
            right = all((read[k][0] if read[k] else None) == boxes[k][1] for k in f)
            right_fields += right
            wrong_fields += not right
        print(
            f"  {threshold:<12} {len(sure) / len(written):>11.2%} {wrong / len(written):>22.2%}"
            f" {right_fields / len(with_ink):>22.1%} {wrong_fields / len(with_ink):>15.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", metavar="MODEL.keras", help="Default: the digit reader scan ships.")
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    from convzoo.zoo.keras.digit_reader import WEIGHTS

    with tempfile.TemporaryDirectory() as tmp:
        exam = Path(tmp) / "exam"
        made = subprocess.run(convzoo() + QUIZ + ["--out", str(exam)], capture_output=True, text=True, check=False)
        if made.returncode:
            sys.exit(made.stderr)
        boxes, fields = written_boxes(exam, args.students, args.seed)
    for model_path in args.models or [str(WEIGHTS)]:
        report(model_path, boxes, fields)


if __name__ == "__main__":
    main()
