"""Students test themselves: `convzoo practice` in a real pseudo-terminal, and the self-test page in real
headless Chromium (Debian's chromium, driven by Playwright's Python package; nothing is downloaded)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from convzoo.questions.answers import COUNT, DOES_NOT_FIT, PERCENT, SIZE, VALUE, VOLUME
from convzoo.questions.core import kinds
from convzoo.questions.practice import likely_mistakes
from convzoo.questions.quiz import build_quiz

ROOT = Path(__file__).resolve().parent.parent


def answer_text(question, value) -> str:
    """A value as a student types it for this question (its form's text)."""
    return kinds()[question.kind].form.text(value)


SESSION = ["--kinds", "layer_params", "--difficulty", "easy", "--seed", "396", "-n", "3"]


@pytest.mark.parametrize(
    "blank_type, typed, expected",
    [
        (VOLUME, "32x32x10", (32, 32, 10)),
        (VOLUME, "32 x 32 x 10", (32, 32, 10)),
        (VOLUME, "(32, 32, 10)", (32, 32, 10)),
        (VOLUME, "(128,128,64)", (128, 128, 64)),
        (VOLUME, "28×28×6", (28, 28, 6)),
        (VOLUME, "Doesn't fit.", DOES_NOT_FIT),
        (COUNT, "1,199,882", 1199882),
        (COUNT, "1199882", 1199882),
        (COUNT, "1 199 882", 1199882),
        (SIZE, "does not fit", DOES_NOT_FIT),
        (SIZE, "doesn’t fit", DOES_NOT_FIT),
        (SIZE, "9", 9),
        (VALUE, "-25", -25),
        (VALUE, "2.75", 2.75),
        (VALUE, ".25", 0.25),
        (VALUE, "12345.25", 12345.25),
        (VALUE, "−3", -3),
        (VALUE, "-0", 0),
        (PERCENT, "18%", 18),
        (PERCENT, "18 %", 18),
    ],
)
def test_answers_are_read_the_way_people_type_them(blank_type, typed, expected):
    assert blank_type.read(typed, (1,) if expected == 1199882 else None) == expected


def _session_questions():
    return build_quiz(seed=396, count=3, kind_names=["layer_params"], difficulty="easy").versions[0].questions


def test_practice_in_a_pseudo_terminal_right_wrong_hint_and_end_of_input():
    pexpect = pytest.importorskip("pexpect")
    first, second, _ = _session_questions()
    child = pexpect.spawn(
        sys.executable, ["-m", "convzoo", "practice", *SESSION], cwd=str(ROOT), encoding="utf-8", timeout=30
    )
    child.expect(r"answer \(\? hint, s skip, q quit\) > ")
    child.sendline(f"{first.answer:,}")  # typed with thousands separators
    child.expect("correct!")
    child.expect("worked solution:")
    child.expect(r"> ")
    child.sendline("?")
    child.expect("hint: use each filter has F\\*F\\*D1 \\+ 1")
    child.expect(r"> ")
    mistake = likely_mistakes(second)[0]
    child.sendline(answer_text(second, mistake.value))
    child.expect("not quite")
    child.expect(f"likely mistake: {mistake.name}")
    child.expect(r"> ")
    child.sendeof()
    child.expect("score: 1 of 2")
    child.expect("layer_params: 1 of 2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before


def test_unreadable_answers_are_asked_again_and_the_prompt_edits_like_a_shell():
    pexpect = pytest.importorskip("pexpect")
    first, *_ = _session_questions()
    digits = str(first.answer)
    child = pexpect.spawn(
        sys.executable, ["-m", "convzoo", "practice", *SESSION], cwd=str(ROOT), encoding="utf-8", timeout=30
    )
    child.expect(r"answer \(\? hint, s skip, q quit\) > ")
    child.sendline("abc")
    child.expect("could not read 'abc': expected a whole number")
    child.expect(r"> ")
    child.sendline("")
    child.expect("no answer given")
    child.expect(r"> ")
    # the last digit typed first, then the cursor moved left over it and the rest typed before it (readline)
    child.send(digits[-1] + "\x1b[D" + digits[:-1] + "\r")
    child.expect("correct!")
    child.expect(r"> ")
    child.sendline("q")
    child.expect("score: 1 of 1")
    child.expect(pexpect.EOF)


def test_a_map_row_of_the_wrong_length_is_asked_again(capsys, monkeypatch):
    import io

    from convzoo import cli

    q = build_quiz(seed=1, count=1, kind_names=["max_pool"], difficulty="easy").versions[0].questions[0]
    rows = [" ".join(str(v) for v in row) for row in q.answer]
    typed = [rows[0] + " 8"] + rows  # one number too many first: asked again, then every row right
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed) + "\n"))
    assert cli.main(["practice", "--kinds", "max_pool", "--difficulty", "easy", "--seed", "1", "-n", "1"]) == 0
    out = capsys.readouterr().out
    assert f"row 0 has {len(q.answer[0])} values; {len(q.answer[0]) + 1} typed" in out
    assert "correct!" in out and "score: 1 of 1" in out


def test_ctrl_c_ends_cleanly_with_the_summary():
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable, ["-m", "convzoo", "practice", *SESSION], cwd=str(ROOT), encoding="utf-8", timeout=30
    )
    child.expect(r"> ")
    child.sendintr()
    child.expect("score: 0 of 0")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before


def test_the_same_seed_repeats_a_session(capsys, monkeypatch):
    import io

    from convzoo import cli

    outputs = []
    for _ in range(2):
        monkeypatch.setattr("sys.stdin", io.StringIO("s\ns\ns\n"))
        assert cli.main(["practice", *SESSION]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "skipped. The answer:" in outputs[0]


SELFTEST = [
    "--kinds",
    "layer_params,network_table,max_pool,stride_fit",
    "--difficulty",
    "easy",
    "--seed",
    "7",
    "-n",
    "4",
]


def test_the_self_test_page_checks_answers_names_mistakes_and_stays_offline(browser, tmp_path):
    from convzoo import cli

    assert cli.main(["quiz", *SELFTEST, "--format", "selftest", "--out", str(tmp_path)]) == 0
    questions = build_quiz(seed=7, count=4, kind_names=SELFTEST[1].split(","), difficulty="easy").versions[0].questions
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "selftest-A.html").as_uri())
    for index, q in enumerate(questions):
        box = page.locator(f"#q{index}")
        parts = box.locator(".part")
        if q.kind == "layer_params":
            mistake = likely_mistakes(q)[0]
            parts.first.fill(answer_text(q, mistake.value))
            box.locator("button.check").click()
            assert "Not quite." in box.locator(".feedback").text_content()
            assert f"Likely mistake: {mistake.name}" in box.locator(".feedback").text_content()
            parts.first.fill(f"{q.answer:,}")
        elif q.kind == "stride_fit":
            for i, fits in enumerate(q.answer):
                parts.nth(i).select_option("fits" if fits else "does not fit")
        elif q.kind == "max_pool":
            values = [v for row in q.answer for v in row]
            for i, value in enumerate(values):
                box.locator(f'.part[data-part="{i}"]').fill(str(value))
        else:  # network_table: the shapes as "28x28x6", the parameters as numbers
            cells = [
                "x".join(map(str, row["output_shape"])) if c == 1 else str(row["params"])
                for row, table_row in zip(q.answer, q.table["rows"])
                for c, cell in enumerate(table_row)
                if cell is None
            ]
            for i, text in enumerate(cells):
                box.locator(f'.part[data-part="{i}"]').fill(text)
        box.locator("button.check").click()
        assert box.locator(".feedback").text_content() == "Correct!", q.kind
        assert not box.locator(".solution").is_visible()
        box.locator("button.reveal").click()
        assert box.locator(".solution").is_visible() and q.solution[0] in box.locator(".solution").text_content()
    # the first answer counts: layer_params was answered wrong before it was put right
    assert page.locator("#score").text_content().startswith("Score: 3 of 4 checked")
    layer_params = next(i for i, q in enumerate(questions) if q.kind == "layer_params")
    assert page.locator(f"#q{layer_params} .counted").text_content() == "Counted: your first answer, wrong."
    assert errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    page.close()


def test_a_map_half_right_scores_its_share_of_blanks(capsys, monkeypatch):
    import io

    from convzoo import cli

    q = build_quiz(seed=1, count=1, kind_names=["max_pool"], difficulty="easy").versions[0].questions[0]
    rows = [[str(v) for v in row] for row in q.answer]
    rows[0][0] = str(q.answer[0][0] + 1)  # one cell wrong
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(" ".join(r) for r in rows) + "\n"))
    assert cli.main(["practice", "--kinds", "max_pool", "--difficulty", "easy", "--seed", "1", "-n", "1"]) == 0
    out = capsys.readouterr().out
    cells = sum(len(r) for r in rows)
    share = f"{(cells - 1) / cells:.2f}".rstrip("0").rstrip(".")
    assert f"not quite: {cells - 1} of {cells} blanks right" in out and f"score: {share} of 1" in out


REPEATED = [
    "--seed",
    "9090",
    "--count",
    "40",
    "--kinds",
    "output_size,output_volume,pool_output,layer_params,params_per_filter,dense_params,same_padding",
]


def test_no_question_is_asked_twice_in_a_session_or_on_a_page(capsys, monkeypatch, tmp_path):
    """The same question is the same kind with the same text shown, whatever it hides (an output size's filter
    count is in its spec, not its text): seed 9090 drew one twice, as questions 2 and 39."""
    import html
    import io
    import re

    from convzoo import cli

    monkeypatch.setattr("sys.stdin", io.StringIO("s\n" * 40))
    assert cli.main(["practice", *REPEATED]) == 0
    asked = re.findall(r"^\d+\. \[(\w+), \w+\] (.*?)\n  answer", capsys.readouterr().out, re.S | re.M)
    assert len(asked) == 40 and len({(kind, " ".join(text.split())) for kind, text in asked}) == 40
    assert cli.main(["quiz", *REPEATED, "--format", "selftest", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "selftest-A.html").read_text(encoding="utf-8")
    shown = [html.unescape(p) for p in re.findall(r"<p><strong>\d+\.</strong> (.*?)</p>", page, re.S)]
    assert len(shown) == 40 and len(set(shown)) == 40  # each of these kinds' text says which kind it is


def test_stride_fit_names_the_forgotten_padding(capsys, monkeypatch):
    """A 3x3 filter on a 15x15 input with zero padding 1: stride 3 fits only if the padding is forgotten,
    (15 - 3)/3 + 1 = 5, where (15 - 3 + 2*1)/3 + 1 = 5.67."""
    import io

    from convzoo import cli

    monkeypatch.setattr("sys.stdin", io.StringIO("fits\nfits\nfits\n"))
    assert cli.main(["practice", "--kinds", "stride_fit", "--difficulty", "easy", "--seed", "2", "-n", "1"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the prompt is wrapped to the terminal
    assert "A 3x3 filter slides over a 15x15 input with zero padding 1" in out
    assert (
        "S = 3: you wrote fits, the answer is does not fit; likely mistake: forgot the padding (zero padding "
        "P = 1 on each side widens the input to N + 2P = 17: (N - F + 2P)/S + 1 = (15 - 3 + 2*1)/3 + 1 = 5.67, "
        "not a whole number)"
    ) in out


@pytest.mark.parametrize(
    "typed, says",
    [
        (
            "-0.25 0.5; 3,5 3.50",
            "row 1 has 2 values; 3 typed in '3,5 3.50'; commas separate values: write a decimal with a point (3.5)",
        ),
        ("1 2; 0.75 six", "row 1: could not read 'six': expected a number, such as -3 or 2.75"),
        ("1 2", "expected 2 answers separated by ';' or new lines (row 0, row 1); 1 given"),
        ("1 2;  ; 0.75 6.25", "expected 2 answers separated by ';' or new lines (row 0, row 1); 3 given"),
    ],
)
def test_check_reads_answers_as_practice_does_and_says_when_it_cannot(capsys, monkeypatch, typed, says):
    """Question.check scored '3,5 3.50' (a decimal comma in a map row) 0.5 in silence, where practice asks
    again: now it raises practice's message (a ConvzooError), with the row it is about."""
    import io

    import convzoo
    from convzoo import cli

    q = convzoo.quiz(count=1, seed=1, kinds=["avg_pool"], difficulty="easy", syllabus="extended")[0]
    assert q.answer_text == "1 2; 0.75 6.25"  # a 2x2 map, typed row by row
    with pytest.raises(convzoo.ConvzooError) as refused:
        q.check(typed)
    assert str(refused.value) == says
    assert q.check("1 2; 0.75 6.25;") and q.check(["1, 2", "0.75 6.25"]) and q.check("1 2\n0.75 6.3").score == 0.75
    rows = [row for row in typed.split(";") if row.strip()][:2]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(rows) + "\nq\n"))
    assert (
        cli.main(
            [
                "practice",
                "--kinds",
                "avg_pool",
                "--difficulty",
                "easy",
                "--seed",
                "1",
                "-n",
                "1",
                "--syllabus",
                "extended",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    if "answers separated by" not in says:  # practice asks row by row: the same message, then asks again
        assert f"{says.split(': ', 1)[1] if says.startswith('row 1: ') else says}; try again" in out


def _half_filled_table(browser, tmp_path):
    """A self-test page of one zoo table (AlexNet's, hard: many blanks) with its first blank right, its second
    wrong and the rest left empty, checked; (the page, the number of blanks)."""
    from convzoo.questions.core import blanked
    from convzoo.questions.formats.selftest import selftest_page
    from convzoo.questions.quiz import Version

    q = next(
        q
        for q in build_quiz(seed=4, count=12, kind_names=("zoo_table",), difficulty="hard")
        if len(blanked(q).parts) >= 10
    )
    parts = blanked(q).parts
    (tmp_path / "table.html").write_text(selftest_page("table", Version("A", 1, [q])), encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((tmp_path / "table.html").as_uri())
    page.locator('.part[data-part="0"]').fill(parts[0].answer_text)
    page.locator('.part[data-part="1"]').fill("1")
    page.locator("button.check").click()
    return page, parts


def test_a_half_filled_table_scores_what_was_answered(browser, tmp_path):
    """One right, one wrong and the rest empty: 1 of 2 answered, the empty ones said and left out of the score
    (the page said "1 of 14 blanks right" and counted the empty boxes wrong, though it marked one)."""
    page, parts = _half_filled_table(browser, tmp_path)
    left = len(parts) - 2
    assert (
        page.locator(".feedback")
        .text_content()
        .startswith(
            f"Not quite: 1 of 2 answered blanks right (✗ marks the wrong ones); {left} of {len(parts)} left empty."
        )
    )
    assert (
        page.locator("#score").text_content()
        == f"Score: 0.5 of 1 checked (1 questions); {left} blanks left empty, not counted"
    )
    page.locator('.part[data-part="1"]').fill(parts[1].answer_text)
    page.locator("button.check").click()
    assert (
        page.locator(".feedback").text_content() == f"So far right: 2 of 2 answered blanks right; {left} of "
        f"{len(parts)} left empty."
    )
    for i, blank in enumerate(parts):
        page.locator(f'.part[data-part="{i}"]').fill(blank.answer_text)
    page.locator("button.check").click()
    assert page.locator(".feedback").text_content() == "Correct!"
    # each blank's first answer counts: the one answered wrong first stays wrong in the score
    share = math.floor(100 * (len(parts) - 1) / len(parts) + 0.5) / 100
    assert page.locator("#score").text_content() == f"Score: {share:g} of 1 checked (1 questions)"
    assert page.locator(".counted").text_content() == f"Counted: first answers, {len(parts) - 1} of {len(parts)} right."
    page.close()


def test_right_and_wrong_boxes_differ_by_more_than_colour(browser, tmp_path):
    """A glyph beside each checked box (✓, ✗, ? where unreadable) and its word for screen readers (the box is
    described by it and aria-invalid where not right), and a dashed border where a box is not right; an
    empty box has no mark."""
    page, parts = _half_filled_table(browser, tmp_path)
    marks = page.locator(".mark")
    assert marks.count() == 2
    for index, glyph, words, invalid, border in (
        (0, "✓", "right", "false", "solid"),
        (1, "✗", "wrong", "true", "dashed"),
    ):
        box = page.locator(f'.part[data-part="{index}"]')
        mark = page.locator(f"#{box.get_attribute('aria-describedby')}")
        assert mark.locator("[aria-hidden=true]").text_content() == glyph
        assert mark.locator(".sr").text_content() == words
        assert box.get_attribute("aria-invalid") == invalid
        assert box.evaluate("el => getComputedStyle(el).borderTopStyle") == border
        assert mark.is_visible()
    assert page.locator('.part[data-part="2"]').get_attribute("aria-describedby") is None
    page.locator('.part[data-part="1"]').fill("lots")  # unreadable: a question mark
    page.locator("button.check").click()
    assert page.locator(".mark.unreadable [aria-hidden=true]").text_content() == "?"
    page.locator('.part[data-part="1"]').fill("")  # emptied: its mark goes
    page.locator("button.check").click()
    assert page.locator(".mark").count() == 1
    page.close()


@pytest.mark.parametrize("kind", ["output_size", "output_volume", "layer_params"])
def test_a_pasted_page_of_digits_is_a_wrong_answer_not_a_traceback(capsys, monkeypatch, kind):
    import io

    from convzoo import cli

    typed = "9" * 100_000 + ("x3x3" if kind == "output_volume" else "")
    monkeypatch.setattr("sys.stdin", io.StringIO(typed + "\n"))
    assert cli.main(["practice", "--kinds", kind, "--seed", "1", "-n", "1"]) == 0
    out = capsys.readouterr().out
    assert "not quite" in out and "score: 0 of 1" in out


def test_the_self_test_page_remembers_first_answers_hints_and_the_answer_shown(browser, tmp_path):
    """The page keeps its attempts in the browser: a reload forgets nothing. The first answer is what counts; an
    answer given once the answer was shown (the last hint, or the worked solution) is marked so and counts as not
    right; hints come a step at a time: the formula, the numbers put in, the answer."""
    from convzoo import cli

    argv = ["--kinds", "layer_params,output_size", "--difficulty", "easy", "--seed", "7", "-n", "2"]
    assert cli.main(["quiz", *argv, "--format", "selftest", "--out", str(tmp_path)]) == 0
    questions = build_quiz(seed=7, count=2, kind_names=argv[1].split(","), difficulty="easy").versions[0].questions
    first, second = 0, 1
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "selftest-A.html").as_uri())

    one = page.locator(f"#q{first}")
    one.locator(".part").first.fill("1")
    one.locator("button.check").click()
    one.locator(".part").first.fill(answer_text(questions[first], questions[first].answer))
    one.locator("button.check").click()
    assert one.locator(".feedback").text_content() == "Correct!"
    assert one.locator(".counted").text_content() == "Counted: your first answer, wrong."

    two = page.locator(f"#q{second}")
    for step in range(3):
        assert two.locator("button.hint").text_content() == f"Hint ({step + 1} of 3)"
        two.locator("button.hint").click()
    hints = two.locator(".hints li").all_text_contents()
    assert hints[0].startswith("Use ") and hints[1].startswith("Put in the numbers: ") and hints[1].endswith(" = ?")
    assert hints[2] == f"The answer: {questions[second].answer_text}."
    assert two.locator("button.hint").is_disabled()
    two.locator(".part").first.fill(answer_text(questions[second], questions[second].answer))
    two.locator("button.check").click()
    assert two.locator(".counted").text_content() == (
        "Counted: your first answer, given after the answer was shown, as not right."
    )
    assert page.locator("#score").text_content() == "Score: 0 of 2 checked (2 questions)"

    page.reload()
    assert one.locator(".part").first.input_value() == answer_text(questions[first], questions[first].answer)
    assert one.locator(".feedback").text_content() == "Correct!"
    assert two.locator(".hints li").all_text_contents() == hints
    assert page.locator("#score").text_content() == "Score: 0 of 2 checked (2 questions)"
    assert errors == []
    page.close()
