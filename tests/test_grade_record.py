"""quiz.json is the quiz's whole record (issue 21): `grade` reads a record without drawing a question again, and
refuses an edited one in one line naming the first field that differs; quiz.json files written by earlier
convzoos (tests/fixtures) grade as those convzoos graded them, also after a change to how questions are drawn;
marking changes only through --accept and --drop, and the report says what they changed."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from html import unescape as html_unescape
from pathlib import Path

import pytest
from conftest import ROOT
from convzoo import quiz as build_quiz
from convzoo.questions import core
from convzoo.questions import grade as grading
from convzoo.questions.answers import FIT
from convzoo.questions.grade import (
    AnswersError,
    graded_from_drawn,
    mark,
    question_columns,
    quiz_file,
    read_answers,
    read_quiz,
)
from convzoo.questions.record import RecordError, _sha256, quiz_json
from convzoo.zoo.errors import ConvzooError

FIXTURES = ROOT / "tests" / "fixtures"
OLD = FIXTURES / "quiz-34e1d93"  # written by the commit before the record (see its README)
RECORDED = FIXTURES / "record-1"  # records of format 1, with answers and the marks they got (see its README)
MOODLE = ROOT.parent / "shared" / "data" / "moodle"
SECRET = "fixture secret"
CASES = ("open", "mc", "roster")


def convzoo(*args, cwd, secret: str | None = None):
    env = {"PATH": "/usr/bin:/bin", **({"CONVZOO_SECRET": secret} if secret else {})}
    done = subprocess.run(
        [sys.executable, "-m", "convzoo", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    return done.returncode, done.stdout, done.stderr


def _marks(quiz, answers: Path, dropped=frozenset()) -> dict:
    """What grade gives each student, as the fixtures' marks files hold it: version, each question's points,
    total, out of, and each named mistake as [question number, blank index (or "whole": a whole map), name]."""
    out = {}
    for student in read_answers(quiz, answers.read_bytes(), answers.name):
        result = mark(student, dropped)
        out[student.id] = {
            "version": student.version,
            "points": [round(m.points, 6) for m in result.marked],
            "total": round(result.total, 6),
            "out_of": result.max_points,
            "mistakes": [
                [m.number, k, blank.mistake.split(" (")[0]]
                for m in result.marked
                for k, blank in enumerate(m.verdict.blanks)
                if blank.mistake
            ]
            + [[m.number, "whole", m.whole.mistake] for m in result.marked if m.whole],
        }
    return out


def _expected(case: str, folder: Path = OLD) -> dict:
    return json.loads(next(folder.glob(f"{case}/marks-*.json")).read_text(encoding="utf-8"))


def _points(marks: dict) -> dict:
    return {who: {k: v for k, v in m.items() if k != "mistakes"} for who, m in marks.items()}


def _changed_draw(monkeypatch) -> None:
    """Every kind draws its numbers differently from now on: as if a later convzoo changed how questions are drawn."""
    for name, kind in core.kinds().items():

        def generate(rng, level, original=kind.generate):
            rng.random()  # one draw more: every number after it is another
            return original(rng, level)

        monkeypatch.setitem(core._KINDS, name, replace(kind, generate=generate))


def _no_drawing(monkeypatch) -> None:
    """Drawing a question fails from now on: what grades must not draw."""

    def refuse(*args, **kwargs):
        raise AssertionError("a question was drawn again")

    _changed_draw(monkeypatch)
    for name, kind in core.kinds().items():
        monkeypatch.setitem(core._KINDS, name, replace(kind, generate=refuse))
    monkeypatch.setattr(quiz_file, "make_question", refuse)


def _read(case: str, folder: Path = OLD):
    return read_quiz((folder / case / "quiz.json").read_text(encoding="utf-8"), "quiz.json", SECRET)


# -- quiz.json files written before the record --------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_a_quiz_json_of_34e1d93_is_marked_as_34e1d93_marked_it(case):
    """Its questions are drawn again (their named mistakes are this convzoo's), except those this convzoo draws
    differently (since 34e1d93 a sheet's questions are told apart by what it shows), marked from their keys."""
    quiz = _read(case)
    found = _marks(quiz, OLD / case / "answers.csv")
    assert _points(found) == _points(_expected(case))
    assert any(m["mistakes"] for m in found.values())


@pytest.mark.parametrize("case", CASES)
def test_after_a_change_to_the_draw_it_is_marked_from_the_keys_it_holds(monkeypatch, case):
    _changed_draw(monkeypatch)
    quiz = _read(case)
    questions = sum(len(sheet.questions) for sheet in quiz.sheets.values())
    differ = re.search(
        r"which drew (\d+) questions differently \(.*\): graded from the keys quiz.json holds", quiz.notes[0]
    )
    assert len(quiz.notes) == 1 and differ and int(differ.group(1)) > questions // 2, quiz.notes  # a small pool may
    # draw the same question again
    assert _points(_marks(quiz, OLD / case / "answers.csv")) == _points(_expected(case))


@pytest.mark.parametrize("case", CASES)
def test_grade_marks_a_quiz_json_of_34e1d93_as_34e1d93_did(tmp_path, case):
    status, out, err = convzoo(
        "grade",
        OLD / case,
        "--answers",
        OLD / case / "answers.csv",
        "--out",
        "marks",
        cwd=tmp_path,
        secret=SECRET if case == "roster" else None,
    )
    assert status == 0, err
    ours = {row["id"]: row for row in csv.DictReader(open(tmp_path / "marks" / "grades.csv", encoding="utf-8"))}
    theirs = list(csv.DictReader(open(OLD / case / "grades-34e1d93.csv", encoding="utf-8")))
    assert len(ours) == len(theirs)
    for row in theirs:
        numbers = [h for h in row if h.isdigit()] + ["total", "out of", "percent"]
        assert [float(ours[row["id"]][h]) for h in numbers] == [float(row[h]) for h in numbers], row["id"]


def test_a_roster_quiz_json_of_34e1d93_still_needs_its_secret(tmp_path):
    status, _, err = convzoo(
        "grade", OLD / "roster", "--answers", OLD / "roster" / "answers.csv", "--out", "marks", cwd=tmp_path
    )
    assert status == 2 and "--secret" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "marks").exists()


# -- the record ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_a_record_of_this_convzoo_is_marked_the_same_by_every_later_one(monkeypatch, case):
    """record-1 holds records written by the convzoo that introduced them, with answers and the marks it gave:
    marked the same, named mistakes and all, whatever a later convzoo draws (nothing is drawn) and without the
    roster's secret."""
    _no_drawing(monkeypatch)
    quiz = read_quiz((RECORDED / case / "quiz.json").read_text(encoding="utf-8"), "quiz.json")
    assert quiz.notes == []
    assert _marks(quiz, RECORDED / case / "answers.csv") == _expected(case, RECORDED)


def test_a_record_holds_everything_grading_needs(monkeypatch):
    built = build_quiz(versions=3, count=19, syllabus="extended", seed=7)
    text = quiz_json(built)
    _no_drawing(monkeypatch)
    graded, drawn = read_quiz(text, "quiz.json"), graded_from_drawn(built)
    for label, sheet in drawn.sheets.items():
        read = graded.sheets[label]
        assert [
            (q.id, q.slot, q.kind, q.prompt, q.answer_text, q.solution, q.points, q.table, q.grids)
            for q in read.questions
        ] == [
            (q.id, q.slot, q.kind, q.prompt, q.answer_text, q.solution, q.points, q.table, q.grids)
            for q in sheet.questions
        ]
        assert [[b.to_dict() for b in parts] for parts in read.parts] == [
            [b.to_dict() for b in parts] for parts in sheet.parts
        ]
        assert [core.blanked(q).wholes for q in read.questions] == [core.blanked(q).wholes for q in sheet.questions]
    assert {q.kind for sheet in graded.sheets.values() for q in sheet.questions} == set(core.kinds())


def test_an_mc_record_holds_its_options():
    built = build_quiz(versions=2, count=6, mc=True, seed=3)
    graded = read_quiz(quiz_json(built), "quiz.json")
    options = [[c.to_dict() for c in q.choices or ()] for s in graded.sheets.values() for q in s.questions]
    assert options == [[c.to_dict() for c in q.choices or ()] for q in built.questions] and any(options)


def test_a_record_is_the_same_json_however_it_is_laid_out():
    text = (RECORDED / "open" / "quiz.json").read_text(encoding="utf-8")
    document = json.loads(text)
    for layout in (json.dumps(document, indent=4), json.dumps(document, sort_keys=True)):
        assert read_quiz(layout, "quiz.json").sheets.keys() == read_quiz(text, "quiz.json").sheets.keys()


def test_a_record_written_by_a_later_convzoo_asks_for_an_upgrade():
    document = json.loads((RECORDED / "open" / "quiz.json").read_text(encoding="utf-8"))
    document["record"] = 2
    with pytest.raises(AnswersError, match="written by a later convzoo .* upgrade convzoo"):
        read_quiz(json.dumps(document), "quiz.json")


# -- an edited record: refused, naming the first field that differs ------------------------------------------------


def _swap_two_questions(d):
    questions = d["versions"][1]["questions"]
    questions[0], questions[1] = questions[1], questions[0]


def _edit_choice(d):
    d["versions"][0]["questions"][2]["choices"][0]["correct"] ^= True


def _edit_blank(d):
    d["versions"][0]["questions"][3]["blanks"][0]["key"] = 1


EDITS = {  # what the examiner edits, in the mc record; the field the refusal names
    "two questions of a version swapped": (_swap_two_questions, "version B's question 1, field 'id'"),
    "points": (lambda d: d["versions"][0]["questions"][4].update(points=5), "version A's question 5, field 'points'"),
    "syllabus": (lambda d: d.update(syllabus="extended"), "field 'syllabus'"),
    "networks": (lambda d: d.update(networks=["input 28x28x1, conv 6 5x5"]), "field 'networks'"),
    "choices": (_edit_choice, "version A's question 3, field 'choices'"),
    "a blank's key": (_edit_blank, "version A's question 4, field 'blanks'"),
    "a named mistake": (lambda d: d["mistakes"][0].__setitem__(0, "forgot nothing"), "field 'mistakes'"),
    "title": (lambda d: d.update(title="Another quiz"), "field 'title'"),
    "a version left out": (lambda d: d["versions"].pop(), "field 'versions'"),
    "a question left out": (lambda d: d["versions"][1]["questions"].pop(), "version B, field 'questions'"),
    "a field added": (
        lambda d: d["versions"][0]["questions"][0].update(bonus=1),
        "version A's question 1, field 'bonus'",
    ),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_an_edited_record_is_refused_naming_the_first_field_that_differs(case):
    edit, named = EDITS[case]
    document = json.loads((RECORDED / "mc" / "quiz.json").read_text(encoding="utf-8"))
    edit(document)
    with pytest.raises(ConvzooError) as refused:
        read_quiz(json.dumps(document, indent=2), "quiz.json")
    message = str(refused.value)
    assert f"quiz.json: {named} differs from what convzoo wrote" in message and "\n" not in message, message
    assert "--accept or --drop" in message


@pytest.mark.parametrize("case", ["two questions of a version swapped", "points"])
def test_grade_refuses_an_edited_record_in_one_line_and_writes_nothing(tmp_path, case):
    shutil.copytree(RECORDED / "mc", tmp_path / "exam")
    document = json.loads((tmp_path / "exam" / "quiz.json").read_text(encoding="utf-8"))
    EDITS[case][0](document)
    (tmp_path / "exam" / "quiz.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    status, out, err = convzoo(
        "grade", "exam", "--answers", RECORDED / "mc" / "answers.csv", "--out", "marks", cwd=tmp_path
    )
    assert status == 2 and len(err.splitlines()) == 1 and EDITS[case][1] in err and "Traceback" not in err, err
    assert not (tmp_path / "marks").exists()


def test_a_record_without_its_digest_is_refused():
    document = json.loads((RECORDED / "open" / "quiz.json").read_text(encoding="utf-8"))
    del document["digest"]
    with pytest.raises(RecordError, match="its digest is missing"):
        read_quiz(json.dumps(document), "quiz.json")


# -- malformed fields: one line, never a traceback ----------------------------------------------------------------


MALFORMED_OLD = {  # edits to a quiz.json of 34e1d93 (no digest); what the line says
    "versions": (lambda d: d.update(versions=3), "'versions' is 3, not a list of versions"),
    "slot": (lambda d: d["versions"][0]["questions"][0].update(slot="1"), "'slot' is \"1\", not a whole number"),
    "points": (lambda d: d["versions"][1]["questions"][2].update(points=1.5), "'points' is 1.5"),
    "difficulty": (lambda d: d["versions"][0]["questions"][0].update(difficulty=None), "'difficulty' is null"),
    "a version": (lambda d: d["versions"].__setitem__(1, "B"), 'a version is "B"'),
    "a question": (lambda d: d["versions"][0]["questions"].__setitem__(0, []), "question 1 (?) is []"),
    "the seed": (lambda d: d.update(seed="34"), "'seed' is \"34\""),
    "a student": (lambda d: d["versions"][0].update(student={"id": 7}), "'student' is {\"id\": 7}"),
    "a syllabus": (lambda d: d.update(syllabus="full"), "syllabus 'full' is not one of lecture, extended"),
    "choices": (lambda d: d["versions"][0]["questions"][0].update(choices=[{"text": "1"}]), "'choices' is"),
    "not an object": (lambda d: d.clear(), "not a convzoo quiz.json"),
}


@pytest.mark.parametrize("case", list(MALFORMED_OLD))
def test_a_malformed_quiz_json_is_one_line(case):
    edit, said = MALFORMED_OLD[case]
    document = json.loads((OLD / "open" / "quiz.json").read_text(encoding="utf-8"))
    edit(document)
    with pytest.raises(ConvzooError) as refused:
        read_quiz(json.dumps(document), "quiz.json")
    assert said in str(refused.value) and "\n" not in str(refused.value), str(refused.value)


@pytest.mark.parametrize("case", ["versions", "slot"])
def test_grade_refuses_a_malformed_quiz_json_in_one_line(tmp_path, case):
    shutil.copytree(OLD / "open", tmp_path / "exam")
    document = json.loads((tmp_path / "exam" / "quiz.json").read_text(encoding="utf-8"))
    MALFORMED_OLD[case][0](document)
    (tmp_path / "exam" / "quiz.json").write_text(json.dumps(document), encoding="utf-8")
    status, _, err = convzoo("grade", "exam", "--answers", OLD / "open" / "answers.csv", "--out", "marks", cwd=tmp_path)
    assert status == 2 and len(err.splitlines()) == 1 and MALFORMED_OLD[case][1] in err, err
    assert not (tmp_path / "marks").exists()


FORGED = {  # a record edited and its digest made to match by hand: still one line
    "slot": (lambda q: q.update(slot="1"), "'slot' is \"1\""),
    "a blank's type": (lambda q: q["blanks"][0].update(type="number"), 'type "number" is not one of'),
    "a blank's key": (lambda q: q["blanks"][0].update(key="many"), 'key "many" is not'),
    "a mistake's place": (lambda q: q["blanks"][0].update(mistakes=[[3, 10**6]]), "mistakes [[3, 1000000]]"),
    "a blank's cell": (lambda q: q["blanks"][0].update(cell=["output", -1, 0]), 'cell ["output", -1, 0]'),
    "no blanks": (lambda q: q.update(blanks=[]), "field 'blanks' is []"),
    "grids": (lambda q: q.update(grids=[{"label": "x", "matrix": 3}]), "'grids' is"),
}


@pytest.mark.parametrize("case", list(FORGED))
def test_a_forged_record_is_one_line(case):
    edit, said = FORGED[case]
    document = json.loads((RECORDED / "open" / "quiz.json").read_text(encoding="utf-8"))
    edit(document["versions"][0]["questions"][0])
    document["digest"]["sha256"] = _sha256(document)
    with pytest.raises(ConvzooError) as refused:
        read_quiz(json.dumps(document), "quiz.json")
    assert said in str(refused.value) and "\n" not in str(refused.value), str(refused.value)


# -- regrading: --accept and --drop -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def regrading(tmp_path_factory):
    """A quiz of two versions (a conv layer's parameters, a network's table, strides that fit), four students,
    and what each typed: the key everywhere, except the parameters, where each typed their version's key plus one,
    and the table's first blank, where B's students typed a shape one too deep. Also the slot of each kind."""
    folder = tmp_path_factory.mktemp("regrade")
    status, _, err = convzoo(
        "quiz",
        "--versions",
        2,
        "--count",
        3,
        "--kinds",
        "layer_params,network_table,stride_fit",
        "--seed",
        5,
        "--out",
        "exam",
        cwd=folder,
    )
    assert status == 0, err
    quiz = read_quiz((folder / "exam" / "quiz.json").read_text(encoding="utf-8"), "quiz.json")
    slots = {q.kind: q.slot for q in quiz.sheets["A"].questions}
    header = next(csv.reader(open(folder / "exam" / "answers-template.csv", encoding="utf-8")))
    key_a = next(q for q in quiz.sheets["A"].questions if q.kind == "layer_params").answer
    rows = [header]
    for label, sheet in quiz.sheets.items():
        for n in range(2):
            typed = {}
            for number, k, column in question_columns(quiz):
                question, blank = sheet.questions[number], sheet.parts[number][k]
                text = blank.type.text(blank.key) if blank.type is not FIT else ("fits" if blank.key else "no")
                if question.kind == "layer_params":
                    text = str(question.answer + 1)
                elif question.kind == "network_table" and k == 0 and label == "B":
                    text = _deeper(blank.key)
                typed[column] = text
            rows.append([f"{label.lower()}{n}", f"Student {label}{n}", label] + [typed[h] for h in header[3:]])
    with open(folder / "answers.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder, quiz, key_a, slots


def _deeper(shape) -> str:
    return "x".join(map(str, [*shape[:-1], shape[-1] + 1]))


def _grades(folder: Path, out: str) -> dict[str, dict]:
    return {row["id"]: row for row in csv.DictReader(open(folder / out / "grades.csv", encoding="utf-8"))}


def _number(quiz, version: str, kind: str) -> int:
    """The number of the question of this kind on the version's sheet."""
    return next(n for n, q in enumerate(quiz.sheets[version].questions, start=1) if q.kind == kind)


def test_without_regrading_the_wrong_answers_are_wrong(regrading):
    folder, quiz, _, _ = regrading
    status, out, err = convzoo("grade", "exam", "--answers", "answers.csv", "--out", "plain", cwd=folder)
    assert status == 0 and "changed:" not in out, err
    assert all(row["total"] != row["out of"] for row in _grades(folder, "plain").values())


def test_accept_and_drop_change_the_marks_and_say_so(regrading):
    folder, quiz, key_a, slots = regrading
    table_b = _number(quiz, "B", "network_table")
    blank = quiz.sheets["B"].parts[table_b - 1][0]
    status, out, err = convzoo(
        "grade",
        "exam",
        "--answers",
        "answers.csv",
        "--out",
        "regraded",
        "--accept",
        f"Q{slots['layer_params']}={key_a + 1}",
        "--accept",
        f"B:{table_b} {grading.short_label(blank.label)}={_deeper(blank.key)}",
        "--drop",
        f"Q{slots['stride_fit']}",
        cwd=folder,
    )
    assert status == 0, err
    grades = _grades(folder, "regraded")
    full = {
        label: sum(q.points for q in sheet.questions if q.kind != "stride_fit") for label, sheet in quiz.sheets.items()
    }
    for _who, row in grades.items():
        version = row["version"]
        assert int(row["out of"]) == full[version]  # the dropped slot is out of every total
        assert row[str(_number(quiz, version, "stride_fit"))] == "dropped"
        # A's key plus one is now right in the slot's every version: A's students typed it, B's typed B's plus one
        assert float(row[str(_number(quiz, version, "layer_params"))]) == (1.0 if version == "A" else 0.0)
        assert float(row["total"]) == full[version] - (version == "B")  # B's table is right now
    lines = [line for line in out.splitlines() if line.startswith("changed: ")]
    assert len(lines) == 3, out
    printed = {kind: f"A:{_number(quiz, 'A', kind)}, B:{_number(quiz, 'B', kind)}" for kind in slots}
    assert f"is also marked right in slot {slots['layer_params']} ({printed['layer_params']})" in lines[0]
    assert f"is also marked right in version B's question {table_b}, blank '" in lines[1]
    assert f"slot {slots['stride_fit']} ({printed['stride_fit']}) is out of every student's total" in lines[2]
    report = (folder / "regraded" / "report.html").read_text(encoding="utf-8")
    section = report.split('id="changes"')[1].split("</section>")[0]
    assert all(line[len("changed: ") :] in html_unescape(section) for line in lines), section
    page = (folder / "regraded" / "feedback" / "b0.html").read_text(encoding="utf-8")
    assert "dropped: not counted" in page and f"or {key_a + 1:,}" in page


REFUSED = {  # {kind}: the slot of that kind
    "no such slot": (["--accept", "Q9=3"], "the quiz has no slot 9 (slots 1-3)"),
    "no answer": (["--accept", "Q{layer_params}"], "give the question and the answer to accept"),
    "an unreadable answer": (["--accept", "Q{layer_params}=lots"], "could not read 'lots'"),
    "a table without a blank": (["--accept", "Q{network_table}=28x28x6"], "blanks: name one after the question"),
    "no such blank": (["--accept", "Q{network_table} row 99 shape=28x28x6"], "has no blank 'row 99 shape'"),
    "no such version": (["--drop", "Z:1"], "the quiz has no version Z (versions A-B)"),
    "no such question": (["--drop", "A:9"], "version A's sheet has questions 1-3"),
    "a blank dropped": (["--drop", "Q{network_table} blank 1"], "a question is dropped whole"),
    "not a question": (["--drop", "seven"], "name a slot as Q7"),
    "every question": (["--drop", "Q1", "--drop", "Q2", "--drop", "Q3"], "no question of version A is left to mark"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_regrade_that_names_nothing_is_refused_in_one_line(regrading, case):
    folder, slots = regrading[0], regrading[3]
    options, said = REFUSED[case]
    out = f"refused-{case.replace(' ', '-')}"
    status, _, err = convzoo(
        "grade", "exam", "--answers", "answers.csv", "--out", out, *(o.format(**slots) for o in options), cwd=folder
    )
    assert status == 2 and len(err.splitlines()) == 1 and said in err, err
    assert not (folder / out).exists()


def test_an_option_letter_is_accepted_for_one_versions_question_only(tmp_path):
    quiz = _read("mc", RECORDED)
    answers = RECORDED / "mc" / "answers.csv"
    question = quiz.sheets["A"].questions[0]
    wrong = next(n for n, c in enumerate(question.choices) if not c.correct)
    before = _marks(quiz, answers)
    regraded = grading.regrade(quiz, [f"A:1={'abcdefgh'[wrong]}"], [])
    after = _marks(regraded, answers)
    chose = {row["id"]: row["1"] for row in csv.DictReader(open(answers, encoding="utf-8"))}
    for who, marks in after.items():
        picked = re.sub(r"[^a-h]", "", chose[who].lower())[:1] if len(chose[who]) <= 3 else None
        letter_wrong = marks["version"] == "A" and (
            picked == "abcdefgh"[wrong] or chose[who] == question.choices[wrong].text
        )
        assert marks["points"][0] == (question.points if letter_wrong else before[who]["points"][0]), who
    assert regraded.notes[0].startswith("--accept A:1=") and "version A's question 1" in regraded.notes[0]
    with pytest.raises(AnswersError, match="a letter names an option of one version's question"):
        grading.regrade(quiz, [f"Q{question.slot}=b"], [])


# -- Moodle, from a record ----------------------------------------------------------------------------------------


def test_moodle_responses_are_marked_from_a_record_as_from_the_quiz_moodle_imported(tmp_path):
    """The real Moodle export's quiz (8928dcb's quiz.json, drawn again), written as a record by this convzoo:
    graded from the record, the marks are those of the quiz.json Moodle's quiz was made from, and Moodle's."""
    if not (MOODLE / "moodle").is_dir():
        pytest.skip("../shared/data/moodle is not here")
    kinds = "output_size,output_volume,layer_params,params_per_filter,dense_params,network_table,max_pool,conv_value"
    status, _, err = convzoo(
        "quiz",
        "--seed",
        404,
        "--count",
        8,
        "--versions",
        3,
        "--kinds",
        kinds,
        "--syllabus",
        "extended",
        "--format",
        "json",
        "--out",
        "record",
        cwd=tmp_path,
    )
    assert status == 0, err
    responses = MOODLE / "moodle" / "responses_qtext_right.csv"
    for folder, out in ((tmp_path / "record", "from-record"), (MOODLE / "convzoo" / "export", "from-export")):
        status, _, err = convzoo("grade", folder, "--moodle", responses, "--out", out, cwd=tmp_path)
        assert status == 0, err
    record = (tmp_path / "from-record" / "grades.csv").read_text(encoding="utf-8")
    assert record == (tmp_path / "from-export" / "grades.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(record)):
        assert float(row["percent"]) / 10 == pytest.approx(float(row["Moodle Grade/10.00"]), abs=0.006)
