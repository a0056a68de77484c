"""practice remembers: each answer kept on the student's machine (conftest gives each test its own data folder),
what was answered wrong asked first in the next session, a named mistake made twice asked before anything, and
`convzoo progress` showing it; --no-history keeps nothing."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

from convzoo.questions.core import blanked
from convzoo.questions.history import due_first, history_path, kind_states, mistakes_again, streak
from convzoo.questions.quiz import build_quiz

NOW = datetime(2026, 12, 3, 18, 0, tzinfo=timezone.utc)


def practise(monkeypatch, capsys, typed: list[str], *argv: str) -> str:
    """A practice session typed in, as a student does; what it printed."""
    from convzoo import cli

    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in typed)))
    assert cli.main(["practice", *argv]) == 0
    return capsys.readouterr().out


def progress(capsys) -> list[str]:
    from convzoo import cli

    assert cli.main(["progress"]) == 0
    return capsys.readouterr().out.splitlines()


def test_layer_params_answered_wrong_three_times_comes_first_next_time(monkeypatch, capsys):
    practise(monkeypatch, capsys, ["1", "1", "1"], "--kinds", "layer_params", "-n", "3")
    practise(monkeypatch, capsys, ["s"], "--kinds", "output_size", "-n", "1")  # skipped: not known either
    kept = [json.loads(line) for line in history_path().read_text(encoding="utf-8").splitlines()]
    assert [r["kind"] for r in kept] == ["layer_params"] * 3 + ["output_size"]
    assert [r["typed"] for r in kept[:3]] == [["1"]] * 3 and all(r["score"] == 0 for r in kept[:3])

    out = practise(monkeypatch, capsys, ["q"], "-n", "4")  # no --kinds, no --seed: what is due comes first
    lines = out.splitlines()
    assert lines[0].endswith("first what is due again:") and lines[1] == "  layer_params"
    assert "1. [layer_params," in out

    table = progress(capsys)
    assert table[0] == "convzoo progress: 4 answers on 1 day; streak: 1 day (practised today)"
    header = next(k for k, line in enumerate(table) if line.startswith("kind"))
    assert table[header + 1].split()[:5] == ["layer_params", "3", "0%", "✗✗✗", "1"]
    assert table[header + 1].endswith("now")


def test_a_named_mistake_made_twice_brings_a_question_aimed_at_it(monkeypatch, capsys):
    """Twice 'forgot the bias' in layer_params (the lecture's 760 parameters written as 750): layer_params comes
    first, before a kind answered wrong more often, and the session and progress say why."""
    without_bias = [
        str(next(w.value for w in blanked(q).parts[0].mistakes if w.name == "forgot the bias"))
        for q in build_quiz(seed=5, count=2, kind_names=("layer_params",), difficulty="easy").versions[0].questions
    ]
    practise(monkeypatch, capsys, ["9", "9", "9"], "--kinds", "conv_value", "--seed", "3", "-n", "3")
    practise(
        monkeypatch, capsys, without_bias, "--kinds", "layer_params", "--seed", "5", "-n", "2", "--difficulty", "easy"
    )

    out = practise(monkeypatch, capsys, ["q"], "-n", "5")
    assert out.splitlines()[1:3] == ["  layer_params: 'forgot the bias' made 2 times", "  conv_value"]
    lines = progress(capsys)
    assert any(
        line.startswith("forgot the bias") and line.endswith("layer_params  (asked again first)") for line in lines
    )


def test_no_history_keeps_nothing_and_a_seed_repeats_the_session(monkeypatch, capsys):
    practise(monkeypatch, capsys, ["1"], "--kinds", "layer_params", "-n", "1", "--no-history")
    assert not history_path().exists()
    assert progress(capsys)[0].startswith("convzoo progress: nothing practised yet (convzoo practice keeps each")
    from convzoo import cli

    assert cli.main(["progress", "--html", str(history_path().parent / "p.html")]) == 0
    assert capsys.readouterr().out.endswith(" not written: there is nothing to show yet\n")
    assert not (history_path().parent / "p.html").exists()
    practise(monkeypatch, capsys, ["1"], "--kinds", "layer_params", "-n", "1")
    first = practise(monkeypatch, capsys, ["q"], "--seed", "12", "-n", "3")
    assert "--seed 12 repeats this session" in first  # a seed repeats a session whatever is due
    assert first == practise(monkeypatch, capsys, ["q"], "--seed", "12", "-n", "3", "--no-history")


def test_a_line_cut_short_is_left_out_saying_so(monkeypatch, capsys):
    practise(monkeypatch, capsys, ["1"], "--kinds", "layer_params", "-n", "1")
    with open(history_path(), "a", encoding="utf-8") as handle:
        handle.write('{"time": "2026-12-01T10:00:00", "kind": "max_pool", "score": 1}\n')  # no zone: taken as UTC
        handle.write('{"time": "2026-12-01T10:00:00", "kind": "max_pool", "score": 0, "mistakes": "flipped"}\n')
        handle.write('{"time": "2026-12-0')  # the machine went down mid-line
    from convzoo import cli

    assert cli.main(["progress"]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"convzoo: {history_path()}: 2 lines left out, not readable\n"
    assert captured.out.startswith("convzoo progress: 2 answers on 2 days")


def _answer(kind: str, days_ago: float, right: bool, mistakes=()) -> dict:
    when = NOW - timedelta(days=days_ago)
    return {"time": when.isoformat(), "kind": kind, "score": 1 if right else 0, "mistakes": list(mistakes)}


def test_leitner_boxes_wait_longer_after_each_right_answer():
    records = [
        _answer("output_size", 10, True),  # box 2
        _answer("output_size", 9, True),  # box 3: due 3 days after
        _answer("max_pool", 2, True),
        _answer("max_pool", 1.5, True),  # before its day's wait was over: still box 2
        _answer("max_pool", 0.5, True),  # box 3, due in two and a half days
        _answer("layer_params", 4, False),
        _answer("layer_params", 3, True),  # box 2: due 2 days ago
        _answer("conv_value", 0.1, False),  # box 1: due at once
    ]
    states = kind_states(records)
    assert {k: s.box for k, s in states.items()} == {
        "output_size": 3,
        "max_pool": 3,
        "layer_params": 2,
        "conv_value": 1,
    }
    kinds = ["output_size", "max_pool", "layer_params", "conv_value", "stride_fit"]
    assert due_first(records, NOW, kinds) == ["conv_value", "output_size", "layer_params"]
    assert mistakes_again(records + [_answer("max_pool", 0.5, False, ["took the sum"])] * 2) == [
        ("max_pool", "took the sum", 2)
    ]
    assert (
        mistakes_again(
            records + [_answer("max_pool", 0.5, False, ["took the sum"])] * 2 + [_answer("max_pool", 0, True)]
        )
        == []
    )


def test_a_streak_counts_the_days_in_a_row_up_to_today():
    days = [0, 1, 2, 4]
    records = [_answer("output_size", d, True) for d in days]
    assert streak(records, NOW.astimezone().date()) == 3
    assert streak(records[1:], NOW.astimezone().date()) == 2  # today not practised yet: up to yesterday
    assert streak(records[2:], NOW.astimezone().date()) == 0


def test_progress_page_charts_each_kind_at_desk_and_phone_size(monkeypatch, capsys, browser, tmp_path):
    """`progress --html`: an offline page whose chart has a line per kind and a point per day it was practised,
    its tables as in the terminal, read in Chromium at desk and phone size; not overwritten without --force."""
    from convzoo import cli
    from convzoo.questions.history import append

    for days_ago, kind, right in [(3, "layer_params", False), (2, "layer_params", True), (2, "output_size", True)]:
        append(
            history_path(),
            _answer(kind, days_ago, right)
            | {"time": (datetime.now(timezone.utc) - timedelta(days=days_ago)).isoformat()},
        )
    page = tmp_path / "progress.html"
    assert cli.main(["progress", "--html", str(page)]) == 0
    assert capsys.readouterr().out.endswith(f"wrote {page}\n")
    for width, height in ((1280, 900), (390, 844)):
        view = browser.new_page(viewport={"width": width, "height": height})
        asked: list[str] = []
        view.on("request", lambda r, asked=asked: asked.append(r.url))
        view.goto(page.as_uri())
        series = view.eval_on_selector_all(
            "g.series", "gs => gs.map(g => [g.dataset.kind, g.querySelectorAll('circle').length])"
        )
        assert series == [["layer_params", 2], ["output_size", 1]]
        assert view.inner_text("tbody tr:first-child td:first-child") == "layer_params"
        assert view.evaluate("document.documentElement.scrollWidth") <= width
        assert asked == [page.as_uri()]  # nothing fetched: the page works offline
        view.close()
    assert cli.main(["progress", "--html", str(page)]) == 2
    assert "already exists; use --force to overwrite" in capsys.readouterr().err
