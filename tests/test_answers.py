"""One answer model: every typed answer of tests/answer_corpus.tsv gets the same verdict from the Python forms
(practice, Question.check) and from the self-test page's script in real headless Chromium; no question's type,
in any format, depends on its answer."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from conftest import ROOT
from convzoo.questions.answers import DOES_NOT_FIT, Unreadable
from convzoo.questions.core import blanked, kinds
from convzoo.questions.formats import get
from convzoo.questions.formats.selftest import page_key, selftest_page
from convzoo.questions.practice import check, grade
from convzoo.questions.quiz import Version, build_quiz

CORPUS = ROOT / "tests" / "answer_corpus.tsv"


def _rows():
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def _question(name: str):
    kind, difficulty, seed = name.split(":")
    return (
        build_quiz(seed=int(seed), count=1, kind_names=[kind], difficulty=difficulty, syllabus="extended")
        .versions[0]
        .questions[0]
    )  # as make_answer_corpus.py draws it


ROWS = _rows()
QUESTIONS = {name: _question(name) for name in dict.fromkeys(row["question"] for row in ROWS)}


def _expected(row) -> dict:
    return {"states": json.loads(row["states"]), "score": round(float(row["score"]), 4), "mistake": row["mistake"]}


def test_the_corpus_covers_every_form_and_the_cases_students_met():
    assert len(ROWS) >= 300
    assert {b.type.name for q in QUESTIONS.values() for b in blanked(q).parts} == {
        "size",
        "volume",
        "count",
        "percent",
        "value",
        "fit",
    }
    assert {type(kinds()[q.kind].form).__name__ for q in QUESTIONS.values()} == {"Single", "Table", "Map", "FitList"}
    typed = {t for row in ROWS for t in json.loads(row["texts"])}
    # a percent sign, the curly apostrophe of phones, an empty box, a word, negative zero, an exponent, the
    # multiplication sign, a narrow no-break space and a decimal comma (locale-style numbers)
    for case in (r"\d%$", "’", "^$", "^abc$", "^-0$", r"\de0$", "×", "\u202f", r"^-?\d+,\d\d?$", "−"):
        assert any(re.search(case, t) for t in typed), case


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row['question']} {row['texts'][:40]}")
def test_python_grades_the_corpus(row):
    verdict = grade(QUESTIONS[row["question"]], json.loads(row["texts"]))
    got = {
        "states": [b.state for b in verdict.blanks],
        "score": round(verdict.score, 4),
        "mistake": verdict.mistake.described if verdict.mistake else "",
    }
    assert got == _expected(row)


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    names = list(QUESTIONS)
    (folder / "corpus.html").write_text(
        selftest_page("corpus", Version("A", 1, [QUESTIONS[n] for n in names])), encoding="utf-8"
    )
    opened = browser.new_page()
    errors = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.goto((folder / "corpus.html").as_uri())
    yield opened, names, errors
    opened.close()


def test_the_page_grades_the_corpus_as_python_does(page):
    opened, names, errors = page
    cases = [[names.index(row["question"]), json.loads(row["texts"])] for row in ROWS]
    results = opened.evaluate(
        """cases => cases.map(([index, texts]) => {
        const verdict = grade(KEYS[index], texts);
        return {states: verdict.blanks.map(b => b.state), score: Math.round(verdict.score * 10000) / 10000,
                mistake: verdict.mistake || ""};
    })""",
        cases,
    )
    differences = [
        (row["question"], row["texts"], got, _expected(row)) for row, got in zip(ROWS, results) if got != _expected(row)
    ]
    assert differences == [] and errors == []


# A pasted page of digits: more than Python converts to an int (4,300 digits), a quotient past a float's range.
# Infinity on the page (Number()), and in Python: a wrong answer in both, never a traceback.
LONG = [
    ("output_size:easy:1", "9" * 100_000),
    ("output_volume:easy:1", "9" * 100_000 + "x3x3"),
    ("layer_params:easy:1", "1" + "0" * 400 + "/3"),
    ("layer_params:easy:1", "-" + "9" * 5000 + "/7"),
    ("conv_value:easy:1", "1/" + "9" * 5000),
]


def test_a_pasted_page_of_digits_is_a_wrong_answer_in_python():
    for name, typed in LONG:
        verdict = grade(QUESTIONS[name], [typed])
        assert verdict.blanks[0].state == "wrong" and verdict.score == 0, (name, typed[:20])


def test_the_page_grades_a_pasted_page_of_digits_as_python_does(page):
    opened, names, errors = page
    results = opened.evaluate(
        "cases => cases.map(([index, texts]) => grade(KEYS[index], texts).blanks[0].state)",
        [[names.index(name), [typed]] for name, typed in LONG],
    )
    assert results == [grade(QUESTIONS[name], [typed]).blanks[0].state for name, typed in LONG] and errors == []


# --- no leaks: a question's type in every format follows its kind and options, never its answer -------------


def _signatures(fmt: str, document) -> dict[str, set]:
    """Question name -> the way the format asks for its answer."""
    found: dict[str, set] = {}
    if fmt == "moodle":
        for q in ET.fromstring(document).findall("question"):
            if q.get("type") != "category":
                found.setdefault(q.findtext("name/text").split()[-1], set()).add(("", q.get("type")))
    elif fmt == "gift":
        # a question of several blanks is one GIFT question per blank: its column (shape or parameters) is part
        # of how it is asked, its answer is not
        for name, column, block in re.findall(
            r"^::[A-Z]+\d+ (\w+)(?: part \d+)?::(?:.*<b>[^<]*?(, [^<]*)?</b>\?</p>)?"
            r".*?(?<!\\)\{(.*?)(?:####.*)?(?<!\\)\}\s*$",
            document,
            re.M,
        ):
            style = (
                "numerical"
                if block.lstrip().startswith("#")
                else "choice"
                if re.search(r"(?<!\\)~", block)
                else "short answer"
            )
            found.setdefault(name, set()).add((column, style))
    else:  # qti
        with zipfile.ZipFile(io.BytesIO(document)) as archive:
            xml = next(
                archive.read(n).decode()
                for n in archive.namelist()
                if n.endswith(".xml") and "assessment_meta" not in n and "manifest" not in n and n.count("/") == 1
            )
        for title, kind in re.findall(
            r'<item ident="[^"]+" title="[^"]* (\w+)">.*?<fieldentry>(\w+)</fieldentry>', xml, re.S
        ):
            found.setdefault(title, set()).add(("", kind))
    return found


@pytest.mark.parametrize("mc", [False, True], ids=["open", "mc"])
@pytest.mark.parametrize("fmt", ["moodle", "gift", "qti"])
def test_no_question_type_depends_on_its_answer(fmt, mc):
    quiz = build_quiz(seed=5, count=len(kinds()) * 2, versions=40, mc=mc, syllabus="extended")
    answers = {}
    for q in quiz:
        answers.setdefault(q.kind, set()).add(q.answer == DOES_NOT_FIT)
    assert answers["output_size"] == {True, False} and answers["output_volume"] == {True, False}  # both drawn
    (document,) = get(fmt).documents(quiz).values()
    signatures = _signatures(fmt, document)
    assert set(signatures) == set(kinds())
    leaking = {kind: ways for kind, ways in signatures.items() if len({column for column, *_ in ways}) != len(ways)}
    assert leaking == {}


def test_no_blank_type_on_the_page_depends_on_its_answer():
    quiz = build_quiz(seed=5, count=len(kinds()), versions=40, syllabus="extended")
    asked: dict[str, set] = {}
    for q in quiz:
        key = page_key(q)
        if kinds()[q.kind].form.lms != "blanks":
            asked.setdefault(q.kind, set()).add(tuple((b["type"], b["numeric_keyboard"]) for b in key["blanks"]))
    assert {kind: ways for kind, ways in asked.items() if len(ways) != 1} == {}


def test_multiple_choice_on_a_size_always_offers_does_not_fit():
    quiz = build_quiz(
        seed=3, count=30, versions=30, mc=True, kind_names=("output_size", "output_volume", "pool_output")
    )
    assert all(DOES_NOT_FIT in [c.text for c in q.choices] for q in quiz)


# --- practice and the page, as students meet them -------------------------------------------------------------


def test_a_map_row_is_read_whole_or_not_at_all():
    q = next(q for q in build_quiz(seed=2, count=10, kind_names=("max_pool",)) if len(q.answer[0]) == 3)
    rows = [" ".join(str(v) for v in row) for row in q.answer]
    assert check(q, rows)
    too_long = [rows[0] + " 8"] + rows[1:]
    with pytest.raises(Unreadable, match=f"^row 0 has 3 values; 4 typed in '{re.escape(too_long[0])}'$"):
        check(q, too_long)  # as practice asks again, never a row scored short


def test_a_table_is_graded_blank_by_blank():
    q = build_quiz(seed=1, count=1, kind_names=("network_table",), difficulty="easy")[0]
    texts = [b.answer_text for b in blanked(q).parts]
    texts[1] = "1"
    verdict = grade(q, texts)
    assert [b.state for b in verdict.blanks].count("wrong") == 1
    assert verdict.score == pytest.approx((len(texts) - 1) / len(texts))


def test_the_page_fits_a_phone_and_answers_on_enter(page, tmp_path):
    """At 390 px a 4x4 map and AlexNet's table stay in view without sideways scrolling; every answer box is big
    enough for its kind's longest answer; Enter checks; an empty box is 'not answered'."""
    opened, _, errors = page
    questions = [
        q
        for q in build_quiz(seed=4, count=12, kind_names=("feature_map", "zoo_table"), difficulty="hard", versions=6)
        if (q.kind == "feature_map" and len(q.answer[0]) >= 4)
        or (q.kind == "zoo_table" and "alexnet" in q.table["title"])
    ]
    assert {q.kind for q in questions} == {"feature_map", "zoo_table"}
    path = tmp_path / "phone.html"
    path.write_text(selftest_page("phone", Version("A", 1, questions[:4])), encoding="utf-8")
    opened.set_viewport_size({"width": 390, "height": 844})
    opened.goto(path.as_uri())
    assert opened.evaluate("document.documentElement.scrollWidth") <= 390
    # each box shows its blank's answer whole: typed in, nothing scrolls out of sight
    cut = opened.evaluate("""() => [...document.querySelectorAll('.question')].flatMap(box => {
        const key = KEYS[Number(box.dataset.index)];
        return [...box.querySelectorAll('input.part')].map(input => {
            input.value = key.blanks[Number(input.dataset.part)].text;
            const cut = input.scrollWidth > input.clientWidth ? input.value : null;
            input.value = '';
            return cut;
        }).filter(Boolean);
    })""")
    assert cut == []
    box = opened.locator("#q0")
    box.locator("button.check").click()
    assert box.locator(".feedback").text_content() == "Not answered yet."
    assert opened.locator("#score").text_content().startswith("Score: 0 of 0 checked")
    first = box.locator(".part").first
    first.fill("1")
    first.press("Enter")
    assert box.locator(".feedback").text_content().startswith(("Not quite", "So far right", "Correct"))
    assert "of 1 checked (4 questions)" in opened.locator("#score").text_content()
    assert errors == []
