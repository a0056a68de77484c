"""Writes tests/answer_corpus.tsv: typed answers with the verdict each must get, in practice and on the page.

Each row names a generated question (kind, difficulty, seed), the text typed into each of its blanks, the state
every blank must get (right, wrong, unreadable, empty), the score and the named mistake. The expected verdicts
come from how each typed answer is made from the key (the key with thousands separators must be right, the key
plus one wrong, a word unreadable, ...), written down here, not from the code that grades; the rows are then
fixed in the file and reviewed there. Run it again only to add cases: python tests/make_answer_corpus.py
"""

from __future__ import annotations

import json
from pathlib import Path

from convzoo.questions.answers import DOES_NOT_FIT
from convzoo.questions.core import blanked
from convzoo.questions.quiz import build_quiz

OUT = Path(__file__).with_name("answer_corpus.tsv")


def question(kind: str, difficulty: str, seed: int):
    return (
        build_quiz(seed=seed, count=1, kind_names=[kind], difficulty=difficulty, syllabus="extended")
        .versions[0]
        .questions[0]
    )  # every kind, and all it may draw


def number_variants(key, tolerance: float) -> list[tuple[str, str]]:
    """How people type a number, each with the state it must get."""
    out = [
        (f"{key}", "right"),
        (f" {key} ", "right"),
        (f"{key}.", "right"),
        (f"{key + 1}", "wrong", key + 1),
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "unreadable"),
        ("?!", "unreadable"),
        (f"{key} {key}x", "unreadable"),
    ]
    if isinstance(key, int):
        out += [
            (f"{key:,}", "right"),
            (f"{key:,}".replace(",", " "), "right"),
            (f"{key}.0", "right"),
            (f"{key}e0", "right"),
            (f"{key - 1:,}", "wrong", key - 1),
            (f"{key:,}".replace(",", "\u202f"), "right"),
        ]
        if key < 0:
            out += [(f"−{-key}", "right"), (f"{-key}", "wrong", -key)]
        if key == 0:
            out += [("-0", "right"), ("0.0", "right")]
    else:
        text = f"{key:.12g}"
        out += [(text.replace(".", ","), "right"), (f"{key:.3f}", "right"), (f"{key + 0.25:.12g}", "wrong", key + 0.25)]
        if abs(key) < 1:
            out += [(text.replace("0.", ".", 1), "right")]
        if (key * 4).is_integer():
            out += [(f"{int(key * 4)}/4", "right")]
        if tolerance:
            out += [(f"{key + tolerance / 2:.12g}", "right")]
    return out


def variants(blank) -> list[tuple[str, str]]:
    key, kind = blank.key, blank.type.name
    if kind == "fit":
        yes = ["fits", "Fits.", "yes", "y", "it fits", "TRUE"]
        no = ["does not fit", "doesn't fit", "doesn’t fit", "Doesnt fit", "no", "N", "DNF", "does not fit!"]
        return (
            [(t, "right") for t in (yes if key else no)]
            + [(t, "wrong", not key) for t in (no if key else yes)][:4]
            + [("maybe", "unreadable"), ("2", "unreadable"), ("", "empty")]
        )
    not_fit = [
        ("does not fit", "right"),
        ("Doesn't fit.", "right"),
        ("doesn’t fit", "right"),
        ("DNF", "right"),
        ("it does not fit", "right"),
        ("fits", "unreadable"),
        ("", "empty"),
        ("nope", "unreadable"),
    ]
    if key == DOES_NOT_FIT:
        return not_fit + [
            ("7", "wrong", 7),
            ("7x7x3", "wrong", [7, 7, 3]) if kind == "volume" else ("7x7x3", "unreadable"),
        ]
    misfit = (
        [("does not fit", "wrong", DOES_NOT_FIT), ("doesn't fit", "wrong", DOES_NOT_FIT)]
        if blank.type.may_not_fit
        else []
    )
    if kind == "volume":
        if len(key) == 1:
            (n,) = key
            return (
                misfit
                + number_variants(n, 0)[:8]
                + [(f"{n:,}", "right"), (f"({n},)", "right"), (f"[{n}]", "right"), (f"{n}x1", "wrong", [n, 1])]
            )
        h, w, d = key
        return misfit + [
            (f"{h}x{w}x{d}", "right"),
            (f"{h} x {w} x {d}", "right"),
            (f"({h}, {w}, {d})", "right"),
            (f"({h},{w},{d})", "right"),
            (f"{h},{w},{d}", "right"),
            (f"{h}×{w}×{d}", "right"),
            (f"[{h}, {w}, {d}]", "right"),
            (f"{h}*{w}*{d}", "right"),
            (f"{h} {w} {d}", "right"),
            (f" {h}X{w}X{d}. ", "right"),
            (f"{h}x{w}", "wrong", [h, w]),
            (f"{h}x{w}x{d}x1", "wrong", [h, w, d, 1]),
            (f"{w + 1}x{h + 1}x{d}", "wrong", [w + 1, h + 1, d]),
            (f"{h}x{w}x{d + 1}", "wrong", [h, w, d + 1]),
            ("", "empty"),
            ("volume", "unreadable"),
            (f"{h}x{w}x", "wrong", [h, w]),
            (f"{h}-{w}-{d}", "unreadable"),
        ]
    if kind == "percent":
        return [
            (f"{key}", "right"),
            (f"{key}%", "right"),
            (f"{key} %", "right"),
            (f"{key}％", "right"),
            (f"{key} percent", "right"),
            (f"{key + 0.4:.1f}", "right"),
            (f"{key + 0.4:.1f}%", "right"),
            (f"{key + 1}%", "wrong", key + 1),
            (f"{key / 100:.2f}", "wrong", round(key / 100, 2)),
            ("", "empty"),
            ("most", "unreadable"),
            ("%", "unreadable"),
        ]
    return misfit + number_variants(key, blank.tolerance)


def named(blank, value) -> str:
    """The first of the blank's named misconceptions that gives ``value``: the mistake a student who typed it
    is told about."""
    value = tuple(value) if isinstance(value, list) else value
    for w in blank.mistakes:
        if (tuple(w.value) if isinstance(w.value, list) else w.value) == value:
            return w.described
    return ""


def right_text(blank) -> str:
    return blank.answer_text if blank.type.name != "fit" else ("fits" if blank.key else DOES_NOT_FIT)


CASES = [
    (kind, difficulty, seed)
    for kind, seeds in {
        "output_size": (1, 2, 3, 5, 8),
        "output_volume": (1, 2, 4),
        "pool_output": (1, 3),
        "layer_params": (1, 2),
        "params_per_filter": (1,),
        "dense_params": (1,),
        "total_params": (1,),
        "same_padding": (1,),
        "zoo_layer": (1, 2),
        "params_share": (1, 2),
        "conv_value": (1, 2),
        "conv_value_rgb": (1,),
        "stride_fit": (1, 2),
        "max_pool": (1,),
        "avg_pool": (1, 2),
        "feature_map": (1,),
        "network_table": (1,),
        "zoo_table": (1,),
    }.items()
    for seed in seeds
    for difficulty in ("easy", "hard")
]


def rows():
    seen = set()
    for kind, difficulty, seed in CASES:
        q = question(kind, difficulty, seed)
        parts = blanked(q).parts
        rights = [right_text(b) for b in parts]
        name = f"{kind}:{difficulty}:{seed}"
        # each blank type once per question: for a table or a map, its first blank of each type
        firsts = {}
        for index, blank in enumerate(parts):
            firsts.setdefault(blank.type.name, index)
            if blank.type.name == "value":  # and a zero and a negative cell, where a map has them
                firsts.setdefault("zero" if blank.key == 0 else "negative" if blank.key < 0 else "value", index)
        for index in firsts.values():
            for typed, state, *value in variants(parts[index]):
                texts = rights[:index] + [typed] + rights[index + 1 :]
                states = ["right"] * len(parts)
                states[index] = state
                marker = (parts[index].type.name, json.dumps(parts[index].key), typed, len(parts) > 1)
                if marker in seen:
                    continue
                seen.add(marker)
                yield name, texts, states, named(parts[index], value[0]) if value else ""
        # the named mistakes: typing a misconception's value into a blank names it (every blank of a table)
        for index, blank in enumerate(parts):
            for w in blank.mistakes:
                texts = rights[:index] + [blank.type.text(w.value)] + rights[index + 1 :]
                states = ["right"] * len(parts)
                states[index] = "wrong"
                yield name, texts, states, named(blank, w.value)
        if len(parts) > 1:  # partial credit: every blank empty, then every other blank right
            yield name, [""] * len(parts), ["empty"] * len(parts), ""
            alternate = [t if i % 2 == 0 else "" for i, t in enumerate(rights)]
            yield name, alternate, ["right" if i % 2 == 0 else "empty" for i in range(len(parts))], ""


def main() -> None:
    lines = ["question\ttexts\tstates\tscore\tmistake"]
    for name, texts, states, mistake in rows():
        score = states.count("right") / len(states)
        lines.append(
            "\t".join([name, json.dumps(texts, ensure_ascii=False), json.dumps(states), f"{score:.4f}", mistake])
        )
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(lines) - 1} typed answers")


if __name__ == "__main__":
    main()
