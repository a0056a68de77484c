"""The exports in a real Moodle (issue 22): with CONVZOO_MOODLE naming an installed Moodle (5.1; its config.php, and
a PHP CLI on the PATH), every question kind's Moodle XML and GIFT are imported by Moodle's own importers and every
spelling each blank lists is typed into Moodle's question engine, with answers Moodle must mark wrong. Without a
Moodle the test skips: tests/test_lms.py holds the same rules, written from Moodle's source."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

MOODLE = os.environ.get("CONVZOO_MOODLE", "")
KINDS = (
    "output_size",
    "output_volume",
    "pool_output",
    "same_padding",
    "params_per_filter",
    "layer_params",
    "dense_params",
    "network_table",
    "total_params",
    "zoo_table",
    "stride_fit",
    "conv_value",
    "conv_value_rgb",
    "feature_map",
    "max_pool",
    "avg_pool",
    "zoo_layer",
    "params_share",
)

pytestmark = pytest.mark.skipif(
    not (MOODLE and Path(MOODLE, "config.php").exists() and shutil.which("php")),
    reason="no Moodle: set CONVZOO_MOODLE to an installed Moodle's folder",
)


def number_typings(key) -> list[str]:
    """A number as students type it into a Moodle numerical blank, written here apart from convzoo's spellings."""
    if float(key).is_integer():
        k = int(key)
        exponent = f"{k:.{max(len(str(abs(k))) - 1, 0)}e}"  # 1199882 -> 1.199882e+06
        return list(dict.fromkeys([str(k), f"{k:,}", f"{k:,}".replace(",", " "), f"{k}.0", f"{k}.", exponent]))
    text = f"{key:g}"
    return list(dict.fromkeys([text, text.replace("0.", ".", 1) if abs(key) < 1 else text, f"{key:.3f}"]))


def typings(part) -> list[str] | None:
    return (
        list(part.texts) if part.lms_type == "text" else number_typings(part.key) if part.lms_type == "number" else None
    )


def wrongs(part) -> list[str]:
    """What Moodle must mark wrong: a volume one digit off through a '*' or a trailing 0, a space doubled inside;
    a decimal comma (Moodle's English number parser takes it for a thousands separator), a fraction (read as its
    numerator and a unit), the minus sign."""
    from fractions import Fraction

    found = []
    if part.lms_type == "text" and isinstance(part.key, tuple) and len(part.key) == 3:
        a, b, c = part.key
        found += [f"{a}*{b}*{c + 10}", f"{a}x{b}x{c}0", f"{a}  x {b} x {c}"]
    if part.lms_type == "number" and not float(part.key).is_integer():
        fraction = Fraction(part.key).limit_denominator(4)
        found += [f"{part.key:g}".replace(".", ","), f"{fraction.numerator}/{fraction.denominator}"]
    if part.lms_type == "number" and part.key < 0:
        found.append(f"{part.key:g}".replace("-", "−"))
    return found


def cases(quiz) -> tuple[list[dict], dict]:
    from convzoo.questions.core import blanked
    from convzoo.questions.lms import item_name

    found, marks = [], {}
    for version in quiz.versions:
        for q in version.questions:
            parts, name = blanked(q).parts, item_name(version, q)
            if len(parts) == 1:
                marks[name] = q.points
                for fmt in ("xml", "gift"):
                    found += [
                        {"fmt": fmt, "name": name, "fields": {"answer": t}, "expect": 1} for t in typings(parts[0])
                    ]
                    found += [
                        {"fmt": fmt, "name": name, "fields": {"answer": t}, "expect": 0} for t in wrongs(parts[0])
                    ]
                continue
            marks[name] = len(parts)  # a cloze question: the sum of its blanks' weights
            lists = [typings(p) for p in parts]
            for k in range(max((len(t) for t in lists if t), default=0)):  # the k-th spelling in every blank at once
                found.append(
                    {
                        "fmt": "xml",
                        "name": name,
                        "expect": 1,
                        "fields": {f"sub{i + 1}_answer": t[k % len(t)] for i, t in enumerate(lists) if t},
                    }
                )
            for i, part in enumerate(parts):  # one blank wrong, the others right: that blank's share lost
                found += [
                    {
                        "fmt": "xml",
                        "name": name,
                        "fields": {f"sub{i + 1}_answer": t},
                        "expect": round(1 - 1 / len(parts), 6),
                    }
                    for t in wrongs(part)
                ]
            for n, part in enumerate(parts, start=1):  # GIFT: one question per blank
                if part.lms_type != "choice":
                    found += [
                        {"fmt": "gift", "name": f"{name} part {n}", "fields": {"answer": t}, "expect": 1}
                        for t in typings(part)
                    ]
                    found += [
                        {"fmt": "gift", "name": f"{name} part {n}", "fields": {"answer": t}, "expect": 0}
                        for t in wrongs(part)
                    ]
    return found, marks


def test_every_listed_spelling_imports_and_grades_right_in_moodle(tmp_path):
    from convzoo.questions.formats import get
    from convzoo.questions.quiz import build_quiz

    quiz = build_quiz(seed=2222, count=len(KINDS), versions=4, kind_names=KINDS, syllabus="extended")
    for fmt in ("moodle", "gift"):
        for name, text in get(fmt).documents(quiz).items():
            (tmp_path / name).write_text(text, encoding="utf-8")
    typed, marks = cases(quiz)
    (tmp_path / "cases.json").write_text(json.dumps({"cases": typed}, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [
            "php",
            "-d",
            "max_input_vars=5000",
            "-d",
            "memory_limit=2G",
            str(Path(__file__).with_name("moodle_harness.php")),
            MOODLE,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    moodle = json.loads(done.stdout)
    disagree = [
        (case, result)
        for case, result in zip(typed, moodle["results"])
        if result.get("missing") or abs(float(result["fraction"]) - case["expect"]) > 1e-6
    ]
    assert not disagree, disagree[:10]
    assert len(typed) > 1500
    xml, gift = moodle["questions"]["xml"], moodle["questions"]["gift"]
    assert {name: q["defaultmark"] for name, q in xml.items()} == marks  # points as Moodle counts them
    assert {q["defaultmark"] for q in gift.values()} == {1}  # GIFT cannot say a question's points
    widths = [q["widths"] for q in xml.values() if q.get("widths")]
    assert len(widths) >= 20 and all(len(set(w)) == 1 for w in widths)  # every typed blank of a cloze: one width
