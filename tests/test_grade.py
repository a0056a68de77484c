"""`convzoo grade`: a simulated class of 60 whose every injected mistake must come back by name and count, with
the grades worked out here from what was injected; a real Moodle 5.1 export (../shared/data/moodle) whose marks,
facility and discrimination Moodle computed itself; the bad-input rules; the report in a real browser."""

from __future__ import annotations

import csv
import html
import io
import json
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from convzoo import quiz as drawn_quiz
from convzoo.questions.answers import FIT
from convzoo.questions.grade import question_columns, quiz_from_built, read_quiz

MOODLE = ROOT.parent / "shared" / "data" / "moodle"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SECRET = "grading test"
SECTIONS = ("summary", "distribution", "questions", "kinds", "misconceptions", "unreadable", "students")


def convzoo(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "convzoo", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "CONVZOO_SECRET": SECRET})
    return done.returncode, done.stdout, done.stderr


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _misconceptions(report: str) -> dict[str, tuple[int, int]]:
    """name -> (students, times), from the report's misconceptions table."""
    section = report.split('id="misconceptions"')[1].split("</section>")[0]
    return {html.unescape(name): (int(students), int(times)) for name, students, times in
            re.findall(r'<tr><td>([^<]+)</td><td class="n">(\d+)</td><td class="n">(\d+)</td>', section)}


# -- a simulated class -------------------------------------------------------------------------------------------


def _answer(rng: random.Random, blank, plan: str) -> tuple[str, str | None]:
    """What a student types into a blank, and the named mistake it was made with (if any)."""
    if plan == "empty":
        return "", None
    if plan == "unreadable":
        return rng.choice(["??", "lots", "12 apples", "x=3"]), None
    if plan == "mistake":
        # only a mistake that is told apart by its value: two that give the same answer cannot be
        wrongs = [w for w in blank.mistakes if blank.mistake(w.value) is w]
        if wrongs:
            wrong = rng.choice(wrongs)
            return blank.type.text(wrong.value), wrong.mistake
    spellings = blank.type.spellings(blank.key) if blank.type is not FIT else ("fits",) if blank.key else ("no",)
    return rng.choice(spellings), None


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A roster quiz of 60 with every kind, answers made from its key with known mistakes, graded by the command."""
    from convzoo.questions.core import kinds

    folder = tmp_path_factory.mktemp("class")
    roster = "id,name\n" + "".join(f"u{n:03d},Student {n}\n" for n in range(60))
    (folder / "class.csv").write_text(roster, encoding="utf-8")
    status, _, err = convzoo("quiz", "--roster", "class.csv", "--count", len(kinds()), "--seed", 14, "--out", "exam",
                             cwd=folder)
    assert status == 0, err
    quiz = read_quiz((folder / "exam" / "quiz.json").read_text(encoding="utf-8"), "quiz.json", SECRET)
    columns = question_columns(quiz)
    header = next(csv.reader(io.StringIO((folder / "exam" / "answers-template.csv").read_text(encoding="utf-8"))))
    assert header[3:] == [h for _, _, h in columns]
    rng = random.Random(14)
    truth = {"students": {}, "times": Counter(), "points": {}, "unreadable": 0}
    lines = [header]
    for student_id, sheet in quiz.roster.items():
        row = {h: "" for h in header}
        row.update({"id": student_id, "name": sheet.student["name"], header[2]: sheet.label})
        points = []
        for n, (question, parts) in enumerate(zip(sheet.questions, sheet.parts)):
            partial = len(parts) > 2 and rng.random() < 0.2  # a table or map filled in halfway
            right = 0
            for k, blank in enumerate(parts):
                plan = "empty" if partial and k >= len(parts) // 2 else rng.choices(
                    ["right", "mistake", "empty", "unreadable"], [60, 30, 5, 5])[0]
                typed, mistake = _answer(rng, blank, plan)
                right += plan == "right" or (plan == "mistake" and mistake is None)
                truth["unreadable"] += plan == "unreadable"
                if mistake:
                    truth["students"].setdefault(mistake, set()).add(student_id)
                    truth["times"][mistake] += 1
                header_at = next(h for m, b, h in columns if (m, b) == (n, k))
                row[header_at] = typed
            points.append(question.points * right / len(parts))
        truth["points"][student_id] = points
        lines.append([row[h] for h in header])
    with open(folder / "answers.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    status, out, err = convzoo("grade", "exam", "--answers", "answers.csv", "--out", "report", cwd=folder)
    assert status == 0, err
    return folder, truth, out


def test_grade_recovers_every_injected_mistake_by_name_and_count(graded_class):
    folder, truth, _ = graded_class
    found = _misconceptions((folder / "report" / "report.html").read_text(encoding="utf-8"))
    expected = {name: (len(students), truth["times"][name]) for name, students in truth["students"].items()}
    assert len(expected) >= 15  # the kinds' lists, not a few of them
    assert found == expected


def test_the_grades_are_those_of_the_injected_truth(graded_class):
    folder, truth, out = graded_class
    rows = _rows(folder / "report" / "grades.csv")
    assert [r["id"] for r in rows] == list(truth["points"])
    for row in rows:
        expected = truth["points"][row["id"]]
        got = [float(row[str(n)]) for n in range(1, len(expected) + 1)]
        assert got == pytest.approx(expected, abs=0.006)
        assert float(row["total"]) == pytest.approx(sum(expected), abs=0.006)
        assert float(row["percent"]) == pytest.approx(100 * sum(expected) / int(row["out of"]), abs=0.051)
    assert f"{truth['unreadable']} answers could not be read" in out
    report = (folder / "report" / "report.html").read_text(encoding="utf-8")
    assert report.split('id="unreadable"')[1].count("<code>") == truth["unreadable"]
    assert len(list((folder / "report" / "feedback").glob("*.html"))) == 60
    assert out.splitlines()[0].startswith("graded 60 students: mean ")


# -- Moodle's own export ------------------------------------------------------------------------------------------


def _moodle_graded(tmp_path, mc: bool):
    suffix = "_mc" if mc else ""
    if not (MOODLE / f"moodle{suffix}").is_dir():
        pytest.skip("../shared/data/moodle is not here")
    status, out, err = convzoo("grade", MOODLE / "convzoo" / f"export{suffix}", "--moodle",
                               MOODLE / f"moodle{suffix}" / "responses_qtext_right.csv", "--out", "marks", cwd=tmp_path)
    assert status == 0, err
    truth = json.loads((MOODLE / f"truth{suffix}.json").read_text(encoding="utf-8"))
    return _rows(tmp_path / "marks" / "grades.csv"), truth, (tmp_path / "marks" / "report.html").read_text("utf-8")


@pytest.mark.parametrize("mc", [False, True], ids=["open", "mc"])
def test_moodle_responses_are_marked_as_moodle_marked_them(tmp_path, mc):
    rows, truth, report = _moodle_graded(tmp_path, mc)
    assert len(rows) == 12
    for row in rows:
        user = row["id"].split("@")[0]
        drawn = row["version"].split()
        for slot, answer in truth[user].items():
            assert drawn[int(slot) - 1] == answer["question"].split()[0]  # the version Moodle drew
            assert float(row[slot]) == pytest.approx(answer["moodle"]["mark"] or 0, abs=0.006)
        assert float(row["percent"]) / 10 == pytest.approx(float(row["Moodle Grade/10.00"]), abs=0.006)
    named = Counter()  # every misconception of the kinds' lists in a single-answer question comes back by name
    # ("an arithmetic slip" is only the name of a filler multiple-choice option, never read off an answer)
    for user, slots in truth.items():
        for answer in slots.values():
            # the fixture's convzoo (8928dcb) valued "one bias for the whole layer" as F*F*D1 + K; that mistake's
            # value is F*F*D1*K + 1 now (issue 16), so the answer typed for it no longer bears its name
            if "parts" not in answer and answer.get("convzoo_named_misconception", True) \
                    and answer["intended"] not in ("right", "blank", "an arithmetic slip",
                                                   "one bias for the whole layer"):
                named[answer["intended"]] += 1
    found = _misconceptions(report)
    assert named and all(found[name][1] >= times for name, times in named.items())


def test_facility_and_discrimination_are_moodles(tmp_path):
    _, _, report = _moodle_graded(tmp_path, mc=False)
    text = (MOODLE / "moodle" / "statistics.csv").read_text(encoding="utf-8-sig")
    moodle = {row[0]: (row[4], row[9]) for row in csv.reader(io.StringIO(text)) if len(row) > 9 and row[1] == "Random"}
    found = re.findall(r'<tr><td>(\d+)</td><td>\w+</td><td class="n">\d+</td><td class="n">\d+</td>\s*'
                       r'<td class="n">([\d.]+)%</td>\s*<td class="n[^"]*">([-\d.]*)%?</td>', report)
    ours = {slot: (facility, discrimination) for slot, facility, discrimination in found}
    assert set(moodle) <= set(ours) and len(moodle) >= 7
    for slot, (facility, discrimination) in moodle.items():
        assert float(ours[slot][0]) == pytest.approx(float(facility[:-1]), abs=0.06)
        assert float(ours[slot][1]) == pytest.approx(float(discrimination[:-1]), abs=0.06)


def test_the_mc_report_counts_each_option_moodle_recorded(tmp_path):
    _, truth, report = _moodle_graded(tmp_path, mc=True)
    chosen = Counter((a["question"].split()[0], a["answer_chosen"]) for slots in truth.values()
                     for a in slots.values() if a.get("answer_chosen"))
    section = report.split('id="options"')[1].split("</section>")[0]
    for table in section.split("<table>")[1:]:
        number, version = re.search(r"<th colspan=\"3\">question (\d+), version (\w+)</th>", table).groups()
        question = f"{version}{number}"  # Moodle prints slot N as question N
        for text, count in re.findall(r"<td(?: class=\"correct\")?>[a-h]\) ([^<]+)</td>\s*<td class=\"n\">(\d+)</td>",
                                      table):
            assert int(count) == chosen[(question, html.unescape(text))], (question, text)


def test_without_question_texts_moodle_versions_are_not_guessed(tmp_path):
    if not MOODLE.is_dir():
        pytest.skip("../shared/data/moodle is not here")
    status, _, err = convzoo("grade", MOODLE / "convzoo" / "export", "--moodle", MOODLE / "moodle" / "responses.csv",
                             "--out", "marks", cwd=tmp_path)
    assert status == 2 and "'Question text' ticked" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "marks").exists()


# -- quizzes drawn with a syllabus, --spec networks and redraws ----------------------------------------------------


COURSE = ("input 32x32x3, conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10 softmax",
          "input 28x28x1, conv 4 5x5, maxpool 2, flatten, dense 10")
DRAWN = {  # quiz's options, the same as convzoo.quiz's, and what quiz.json must record for grade to draw it again
    "extended syllabus": ("--syllabus extended --versions 3 --count 12", dict(syllabus="extended", versions=3,
                                                                              count=12), {"syllabus": "extended"}),
    # seed 2023 draws three slots of version B again, one of them a third time
    "redraws": ("--kinds zoo_layer --count 10 --versions 2 --seed 2023",
                dict(kinds=["zoo_layer"], count=10, versions=2, seed=2023), {"syllabus": "lecture"}),
    "spec networks": ("--spec course.spec --kinds network_table,total_params --count 4 --versions 3",
                      dict(kinds=["network_table", "total_params"], count=4, versions=3, networks=COURSE),
                      {"syllabus": "lecture", "networks": list(COURSE)}),
}


@pytest.mark.parametrize("case", list(DRAWN))
def test_a_quiz_is_graded_as_it_was_drawn(tmp_path, case):
    args, options, recorded = DRAWN[case]
    (tmp_path / "course.spec").write_text("\n\n".join(COURSE) + "\n", encoding="utf-8")
    status, _, err = convzoo("quiz", *args.split(), "--out", "exam", cwd=tmp_path)
    assert status == 0, err
    built = drawn_quiz(**options)
    document = json.loads((tmp_path / "exam" / "quiz.json").read_text(encoding="utf-8"))
    assert document == json.loads(json.dumps(built.to_dict())) and {**document, **recorded} == document
    if case == "redraws":
        assert sorted(q.get("redraw", 0) for v in document["versions"] for q in v["questions"])[-3:] == [1, 1, 3]
    quiz, rng = quiz_from_built(built), random.Random(case)
    template = list(csv.reader(io.StringIO((tmp_path / "exam" / "answers-template.csv").read_text("utf-8"))))
    rows = [template[0]]
    for number, row in enumerate(template[1:], start=1):
        sheet = quiz.sheets[row[2]]
        rows.append([f"s{number}", f"Student {number}", row[2]] + [
            _answer(rng, sheet.parts[n][k], "right")[0] if n < len(sheet.parts) and k < len(sheet.parts[n]) else ""
            for n, k, _ in question_columns(quiz)])
    with open(tmp_path / "answers.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    status, out, err = convzoo("grade", "exam", "--answers", "answers.csv", "--out", "marks", cwd=tmp_path)
    assert status == 0, err
    grades = _rows(tmp_path / "marks" / "grades.csv")
    assert [g["version"] for g in grades] == [v["version"] for v in document["versions"]]
    assert all(g["total"] == g["out of"] and g["percent"] == "100.0" for g in grades), grades


def test_an_older_quiz_json_is_read_as_drawn_in_the_extended_syllabus(tmp_path):
    """A quiz.json from before --syllabus holds neither syllabus nor networks: it was drawn from every kind."""
    document = drawn_quiz(syllabus="extended", versions=3, count=12).to_dict()
    del document["syllabus"]
    quiz = read_quiz(json.dumps(document), "quiz.json")
    assert [q.prompt for s in quiz.sheets.values() for q in s.questions] == \
        [q["prompt"] for v in document["versions"] for q in v["questions"]]


# -- bad input ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A roster quiz of 3 and a quiz of 2 versions, with a correct answers file for each."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "class.csv").write_text("id,name\na1,Ann\nb2,Bo\nc3,Cy\n", encoding="utf-8")
    for args in (("--roster", "class.csv", "--out", "roster"), ("--versions", "2", "--out", "versions"),
                 ("--versions", "2", "--seed", "9", "--out", "other")):
        assert convzoo("quiz", "--count", 3, "--kinds", "output_size,layer_params,network_table", *args,
                       cwd=folder)[0] == 0
    template = (folder / "versions" / "answers-template.csv").read_text(encoding="utf-8").splitlines()
    (folder / "versions.csv").write_text("\n".join([template[0], "s1,Sam," + template[1][2:]]) + "\n", "utf-8")
    return folder


BAD = {
    "unknown id": ("roster", "{header}\nzz,Zed\n", "row 2, column 1 ('id')"),
    "missing column": ("versions", None, "row 1: no column"),
    "extra column": ("versions", "id,name,{version},bonus\n", "row 1, column 4 ('bonus')"),
    "unknown version": ("versions", "id,name,{version},{questions}\ns1,Sam,Q\n", "row 2, column 3"),
    "another quiz": ("versions", "other", "row 1, column 3"),
    "not csv": ("versions", b"PK\x03\x04 a spreadsheet", "not CSV"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_answers_are_one_line_exit_2_and_nothing_written(small, case):
    quiz, content, where = BAD[case]
    header = (small / quiz / "answers-template.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    if content == "other":
        content = (small / "other" / "answers-template.csv").read_text(encoding="utf-8")
    elif content is None:
        content = ",".join(header[:-1]) + "\ns1,Sam,A\n"
    elif isinstance(content, str):
        content = content.format(header=",".join(header), version=header[2], questions=",".join(header[3:]))
    path = small / f"{case.replace(' ', '-')}.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    status, out, err = convzoo("grade", quiz, "--answers", path.name, "--out", f"out-{path.stem}", cwd=small)
    assert status == 2, (out, err)
    assert len(err.splitlines()) == 1 and where in err and "Traceback" not in err, err
    assert not (small / f"out-{path.stem}").exists()


def test_an_edited_syllabus_is_one_line_exit_2(small):
    edited = small / "edited"
    shutil.copytree(small / "versions", edited)
    text = (edited / "quiz.json").read_text(encoding="utf-8")
    (edited / "quiz.json").write_text(text.replace('"syllabus": "lecture"', '"syllabus": "full"', 1), "utf-8")
    status, _, err = convzoo("grade", "edited", "--answers", "versions.csv", "--out", "out-edited", cwd=small)
    assert status == 2 and len(err.splitlines()) == 1 and "syllabus 'full' is not one of lecture, extended" in err
    assert not (small / "out-edited").exists()


def test_an_existing_report_is_kept_without_force(small):
    assert convzoo("grade", "versions", "--answers", "versions.csv", "--out", "kept", cwd=small)[0] == 0
    before = (small / "kept" / "grades.csv").read_bytes()
    (small / "kept" / "grades.csv").write_text("mine\n", encoding="utf-8")
    status, _, err = convzoo("grade", "versions", "--answers", "versions.csv", "--out", "kept", cwd=small)
    assert status == 2 and "--force" in err
    assert (small / "kept" / "grades.csv").read_text(encoding="utf-8") == "mine\n"
    assert convzoo("grade", "versions", "--answers", "versions.csv", "--out", "kept", "--force", cwd=small)[0] == 0
    assert (small / "kept" / "grades.csv").read_bytes() == before


def test_a_roster_quiz_needs_its_secret(small):
    done = subprocess.run([sys.executable, "-m", "convzoo", "grade", "roster", "--answers", "versions.csv"], cwd=small,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 2 and "--secret" in done.stderr


# -- the report in a real browser ---------------------------------------------------------------------------------


def test_the_report_opens_offline_with_every_section(graded_class, tmp_path):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium with apt)")
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = graded_class[0] / "report"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((folder / "report.html").as_uri())
        for section in SECTIONS:
            assert page.locator(f"#{section}").is_visible(), section
        images = page.locator("img")
        assert images.count() == 3
        assert all(page.evaluate("i => i.naturalWidth", images.nth(n).element_handle()) > 100 for n in range(3))
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        first = sorted((folder / "feedback").glob("*.html"))[0]
        page.goto(first.as_uri())
        assert page.locator("section.question").count() >= 10
        browser.close()
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == []
