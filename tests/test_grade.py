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
from convzoo.questions.grade import graded_from_drawn, question_columns, read_quiz
from convzoo.questions.record import document as record_of

MOODLE = ROOT.parent / "shared" / "data" / "moodle"
SECRET = "grading test"
SECTIONS = ("summary", "distribution", "questions", "kinds", "misconceptions", "unreadable", "students")


def convzoo(*args, cwd):
    done = subprocess.run(
        [sys.executable, "-m", "convzoo", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "CONVZOO_SECRET": SECRET},
    )
    return done.returncode, done.stdout, done.stderr


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _misconceptions(report: str) -> dict[str, tuple[int, int]]:
    """name -> (students, times), from the report's misconceptions table."""
    section = report.split('id="misconceptions"')[1].split("</section>")[0]
    return {
        html.unescape(name): (int(students), int(times))
        for name, students, times in re.findall(
            r'<tr><td>([^<]+)</td><td class="n">(\d+)</td><td class="n">(\d+)</td>', section
        )
    }


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
            return blank.type.text(wrong.value), wrong.name
    spellings = blank.type.spellings(blank.key) if blank.type is not FIT else ("fits",) if blank.key else ("no",)
    return rng.choice(spellings), None


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A roster quiz of 60 with every kind, answers made from its key with known mistakes, graded by the command."""
    from convzoo.questions.core import kinds

    folder = tmp_path_factory.mktemp("class")
    roster = "id,name\n" + "".join(f"u{n:03d},Student {n}\n" for n in range(60))
    (folder / "class.csv").write_text(roster, encoding="utf-8")
    status, _, err = convzoo(
        "quiz", "--roster", "class.csv", "--count", len(kinds()), "--seed", 14, "--out", "exam", cwd=folder
    )
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
                plan = (
                    "empty"
                    if partial and k >= len(parts) // 2
                    else rng.choices(["right", "mistake", "empty", "unreadable"], [60, 30, 5, 5])[0]
                )
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
    status, out, err = convzoo(
        "grade",
        MOODLE / "convzoo" / f"export{suffix}",
        "--moodle",
        MOODLE / f"moodle{suffix}" / "responses_qtext_right.csv",
        "--out",
        "marks",
        cwd=tmp_path,
    )
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
    for slots in truth.values():
        for answer in slots.values():
            # the fixture's convzoo (8928dcb) valued "one bias for the whole layer" as F*F*D1 + K; that mistake's
            # value is F*F*D1*K + 1 now (issue 16), so the answer typed for it no longer bears its name
            if (
                "parts" not in answer
                and answer.get("convzoo_named_misconception", True)
                and answer["intended"] not in ("right", "blank", "an arithmetic slip", "one bias for the whole layer")
            ):
                named[answer["intended"]] += 1
    found = _misconceptions(report)
    assert named and all(found[name][1] >= times for name, times in named.items())


def test_facility_and_discrimination_are_moodles(tmp_path):
    _, _, report = _moodle_graded(tmp_path, mc=False)
    text = (MOODLE / "moodle" / "statistics.csv").read_text(encoding="utf-8-sig")
    moodle = {row[0]: (row[4], row[9]) for row in csv.reader(io.StringIO(text)) if len(row) > 9 and row[1] == "Random"}
    found = re.findall(
        r'<tr><td>(\d+)</td><td>\w+</td><td class="n">\d+</td><td class="n">\d+</td>\s*'
        r'<td class="n">([\d.]+)%</td>\s*<td class="n[^"]*">([-\d.]*)%?</td>',
        report,
    )
    ours = {slot: (facility, discrimination) for slot, facility, discrimination in found}
    assert set(moodle) <= set(ours) and len(moodle) >= 7
    for slot, (facility, discrimination) in moodle.items():
        assert float(ours[slot][0]) == pytest.approx(float(facility[:-1]), abs=0.06)
        assert float(ours[slot][1]) == pytest.approx(float(discrimination[:-1]), abs=0.06)


def test_the_mc_report_counts_each_option_moodle_recorded(tmp_path):
    _, truth, report = _moodle_graded(tmp_path, mc=True)
    chosen = Counter(
        (a["question"].split()[0], a["answer_chosen"])
        for slots in truth.values()
        for a in slots.values()
        if a.get("answer_chosen")
    )
    section = report.split('id="options"')[1].split("</section>")[0]
    for table in section.split("<table>")[1:]:
        number, version = re.search(r"<th colspan=\"3\">question (\d+), version (\w+)</th>", table).groups()
        question = f"{version}{number}"  # Moodle prints slot N as question N
        for text, count in re.findall(
            r"<td(?: class=\"correct\")?>[a-h]\) ([^<]+)</td>\s*<td class=\"n\">(\d+)</td>", table
        ):
            assert int(count) == chosen[(question, html.unescape(text))], (question, text)


def test_without_question_texts_moodle_versions_are_not_guessed(tmp_path):
    if not MOODLE.is_dir():
        pytest.skip("../shared/data/moodle is not here")
    status, _, err = convzoo(
        "grade",
        MOODLE / "convzoo" / "export",
        "--moodle",
        MOODLE / "moodle" / "responses.csv",
        "--out",
        "marks",
        cwd=tmp_path,
    )
    assert status == 2 and "'Question text' ticked" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "marks").exists()


# -- quizzes drawn with a syllabus, --spec networks and redraws ----------------------------------------------------


COURSE = (
    "input 32x32x3, conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10 softmax",
    "input 28x28x1, conv 4 5x5, maxpool 2, flatten, dense 10",
)
DRAWN = {  # quiz's options, the same as convzoo.quiz's, and what quiz.json must record of how it was drawn
    "extended syllabus": (
        "--syllabus extended --versions 3 --count 12",
        dict(syllabus="extended", versions=3, count=12),
        {"syllabus": "extended"},
    ),
    # seed 2023 draws three slots of version B again, one of them a third time
    "redraws": (
        "--kinds zoo_layer --count 10 --versions 2 --seed 2023",
        dict(kinds=["zoo_layer"], count=10, versions=2, seed=2023),
        {"syllabus": "lecture"},
    ),
    "spec networks": (
        "--spec course.spec --kinds network_table,total_params --count 4 --versions 3",
        dict(kinds=["network_table", "total_params"], count=4, versions=3, networks=COURSE),
        {"syllabus": "lecture", "networks": list(COURSE)},
    ),
}


@pytest.mark.parametrize("case", list(DRAWN))
def test_a_quiz_is_graded_as_it_was_drawn(tmp_path, case):
    args, options, recorded = DRAWN[case]
    (tmp_path / "course.spec").write_text("\n\n".join(COURSE) + "\n", encoding="utf-8")
    status, _, err = convzoo("quiz", *args.split(), "--out", "exam", cwd=tmp_path)
    assert status == 0, err
    built = drawn_quiz(**options)
    document = json.loads((tmp_path / "exam" / "quiz.json").read_text(encoding="utf-8"))
    del document["digest"]
    assert document == json.loads(json.dumps(record_of(built))) and {**document, **recorded} == document
    if case == "redraws":
        assert sorted(q.get("redraw", 0) for v in document["versions"] for q in v["questions"])[-3:] == [1, 1, 3]
    quiz, rng = graded_from_drawn(built), random.Random(case)
    template = list(csv.reader(io.StringIO((tmp_path / "exam" / "answers-template.csv").read_text("utf-8"))))
    rows = [template[0]]
    for number, row in enumerate(template[1:], start=1):
        sheet = quiz.sheets[row[2]]
        rows.append(
            [f"s{number}", f"Student {number}", row[2]]
            + [
                _answer(rng, sheet.parts[n][k], "right")[0] if n < len(sheet.parts) and k < len(sheet.parts[n]) else ""
                for n, k, _ in question_columns(quiz)
            ]
        )
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
    assert [q.prompt for s in quiz.sheets.values() for q in s.questions] == [
        q["prompt"] for v in document["versions"] for q in v["questions"]
    ]


# -- bad input ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A roster quiz of 3 and a quiz of 2 versions, with a correct answers file for each."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "class.csv").write_text("id,name\na1,Ann\nb2,Bo\nc3,Cy\n", encoding="utf-8")
    for args in (
        ("--roster", "class.csv", "--out", "roster"),
        ("--versions", "2", "--out", "versions"),
        ("--versions", "2", "--seed", "9", "--out", "other"),
    ):
        assert (
            convzoo("quiz", "--count", 3, "--kinds", "output_size,layer_params,network_table", *args, cwd=folder)[0]
            == 0
        )
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
    # the last copy would win: a right answer in the first, lost
    "repeated column": ("versions", "{header},{last}\ns1,Sam,A\n", "a second '{last}' column (the first is column"),
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
        content = content.format(
            header=",".join(header), version=header[2], questions=",".join(header[3:]), last=header[-1]
        )
    where = where.format(last=header[-1])
    path = small / f"{case.replace(' ', '-')}.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    status, out, err = convzoo("grade", quiz, "--answers", path.name, "--out", f"out-{path.stem}", cwd=small)
    assert status == 2, (out, err)
    assert len(err.splitlines()) == 1 and where in err and "Traceback" not in err, err
    assert not (small / f"out-{path.stem}").exists()


def test_an_edited_syllabus_is_refused_in_one_line_exit_2(small):
    edited = small / "edited"
    shutil.copytree(small / "versions", edited)
    text = (edited / "quiz.json").read_text(encoding="utf-8")
    (edited / "quiz.json").write_text(text.replace('"syllabus": "lecture"', '"syllabus": "full"', 1), "utf-8")
    status, _, err = convzoo("grade", "edited", "--answers", "versions.csv", "--out", "out-edited", cwd=small)
    assert status == 2 and len(err.splitlines()) == 1 and "field 'syllabus' differs from what convzoo wrote" in err
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


# -- the report in a real browser ---------------------------------------------------------------------------------


def test_the_report_opens_offline_with_every_section(graded_class, browser, tmp_path):
    folder = graded_class[0] / "report"
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
    page.close()
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == []


# -- hostile ids and names: every CSV safe in a spreadsheet, every student a page of their own ---------------------

HOSTILE = [
    "=1+1",
    "@SUM(1)",
    "+cmd",
    "-1+1",
    '=HYPERLINK("http://evil.example","click")',
    "a/b",
    "a_b",
    "a?b",
    ".",
    "..",
    "Ann",
    "ann",
    "محمد",
    "王伟",
    "con",
    "'quoted",
]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_cells(path: Path) -> list[list[str]]:
    """The cells as Excel's CSV import splits them (Python's csv module, dialect excel)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, dialect="excel"))


def _runs(cell: str) -> bool:
    """Whether a spreadsheet would read the cell as a formula (a plain number such as -25 runs nothing)."""
    return cell.startswith(FORMULA) and not re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", cell)


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """A roster of hostile ids and names, its quiz, answers typed from the key (the ids and names as the template
    has them), graded."""
    folder = tmp_path_factory.mktemp("hostile")
    with open(folder / "class.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["id", "name"]] + [[h, f"{h} name" if h[0] not in "=+-@\t'" else h] for h in HOSTILE]
        )
    status, _, err = convzoo(
        "quiz",
        "--roster",
        "class.csv",
        "--count",
        6,
        "--seed",
        3,
        "--out",
        "exam",
        "--kinds",
        "output_size,conv_value,layer_params,feature_map",
        cwd=folder,
    )
    assert status == 0, err
    quiz = read_quiz((folder / "exam" / "quiz.json").read_text(encoding="utf-8"), "quiz.json", SECRET)
    rows = _spreadsheet_cells(folder / "exam" / "answers-template.csv")
    header, columns = rows[0], question_columns(quiz)
    typed = [header]
    for row in rows[1:]:  # the typist fills in the template's rows: id and name stay as the template has them
        sheet = quiz.sheets[row[2]]
        cells = {
            h: sheet.parts[n][k].answer_text for n, k, h in columns if n < len(sheet.parts) and k < len(sheet.parts[n])
        }
        typed.append(row[:3] + [cells.get(h, "") for h in header[3:]])
    with open(folder / "answers.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(typed)
    status, out, err = convzoo("grade", "exam", "--answers", "answers.csv", "--out", "marks", cwd=folder)
    assert status == 0, err
    return folder, quiz, out


def test_no_csv_convzoo_writes_has_a_cell_a_spreadsheet_would_run(hostile_class):
    folder, _, _ = hostile_class
    written = sorted((folder / "exam").glob("*.csv")) + sorted((folder / "marks").glob("*.csv"))
    assert {p.name for p in written} >= {
        "roster-key.csv",
        "answers-template.csv",
        "answers-by-sheet.csv",
        "grades.csv",
        "moodle-grades.csv",
        "canvas-grades.csv",
    }
    for path in written:
        cells = [c for row in _spreadsheet_cells(path) for c in row]
        assert [c for c in cells if _runs(c)] == [], path.name
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'(^|,)"?[=@]', text, re.M), path.name  # the issue's own check
    ids = [row[0] for row in _spreadsheet_cells(folder / "exam" / "roster-key.csv")[1:]]
    assert "'=1+1" in ids and "'-1+1" in ids and "'quoted" in ids  # quoted as OWASP advises, a quote kept as it is
    # negative numbers of the key stay numbers
    keys = [c for row in _spreadsheet_cells(folder / "exam" / "roster-key.csv")[1:] for c in row[3:]]
    assert any(re.fullmatch(r"-[0-9]+", c) for c in keys)


def test_libreoffice_runs_no_cell_of_the_csvs_convzoo_writes(hostile_class, tmp_path):
    """Each CSV opened in LibreOffice Calc (as a marker would open it) and saved again: a formula cell would come
    back as its value (a control file's =1+1 comes back as 2); every id and name comes back as written."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs Debian's libreoffice-calc-nogui with apt)")
    folder, _, _ = hostile_class
    (tmp_path / "control.csv").write_text("id,name\ns1,=1+1\n", encoding="utf-8")
    written = {
        "control": tmp_path / "control.csv",
        **{p.stem: p for p in sorted((folder / "exam").glob("*.csv")) + sorted((folder / "marks").glob("*.csv"))},
    }
    # comma-separated, '"'-quoted, UTF-8, from line 1, as Calc's CSV import takes it by default (formulas evaluated)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path / "saved"),
            *map(str, written.values()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    saved = {name: _spreadsheet_cells(tmp_path / "saved" / f"{name}.csv") for name in written}
    assert saved["control"][1] == ["s1", "2"]  # Calc ran the control's formula
    assert len(saved) >= 7
    for name in set(saved) - {"control"}:  # every cell but a number (Calc writes 2,368 back as 2368)
        for ours, calc in zip(_spreadsheet_cells(written[name]), saved[name], strict=True):
            kept = [(a, b) for a, b in zip(ours, calc, strict=True) if not re.fullmatch(r"-?[0-9,]*\.?[0-9]*", a)]
            assert all(a == b for a, b in kept), (name, kept)


def test_hostile_ids_read_back_as_the_roster_has_them_and_negative_answers_as_typed(hostile_class):
    from convzoo.questions.spreadsheet import cell_text

    folder, quiz, out = hostile_class
    rows = _rows(folder / "marks" / "grades.csv")
    assert [cell_text(r["id"]) for r in rows] == HOSTILE == list(quiz.roster)
    # every answer typed from the key, negative numbers (-3) as a person types them, is right
    assert all(r["percent"] == "100.0" for r in rows), [(r["id"], r["percent"]) for r in rows]
    negative = [
        c for row in _spreadsheet_cells(folder / "answers.csv")[1:] for c in row[3:] if re.fullmatch(r"-[0-9]+", c)
    ]
    assert negative  # the class typed some


def test_every_student_has_a_page_of_their_own_named_in_grades_csv(hostile_class):
    from convzoo.questions.spreadsheet import cell_text

    folder, _, out = hostile_class
    rows = _rows(folder / "marks" / "grades.csv")
    pages = [r["feedback page"] for r in rows]
    assert len({p.casefold() for p in pages}) == len(HOSTILE)  # apart on a case-insensitive disk too
    assert sorted(p.name for p in (folder / "marks" / "feedback").iterdir()) == sorted(p.split("/")[1] for p in pages)
    for row, page in zip(rows, pages):
        assert re.fullmatch(r"feedback/[^/\\:*?\"<>|.][^/\\:*?\"<>|]*\.html", page), page
        text = (folder / "marks" / page).read_text(encoding="utf-8")
        assert f"{cell_text(row['name'])} · {cell_text(row['id'])} · version" in html.unescape(text)
    assert f"{len(HOSTILE)} feedback pages" in out
    assert "feedback/ann.html" in pages and "feedback/ann.html" != pages[HOSTILE.index("Ann")]


def test_a_cell_made_safe_reads_back_as_it_was():
    from convzoo.questions.spreadsheet import cell_text, csv_text, safe_cell

    for cell in (
        "=1+1",
        "+cmd",
        "-1+1",
        "@SUM(1)",
        "\tx",
        "\rx",
        "'=1",
        "''=1",
        "'abc",
        "-3",
        "+4",
        "-2.5",
        "",
        "'",
        "a,=b",
        'x"y',
    ):
        assert cell_text(safe_cell(cell)) == cell
        assert not _runs(safe_cell(cell))
    assert [safe_cell(c) for c in ("-3", "=1", "'=1", "\tx")] == ["-3", "'=1", "''=1", "'\tx"]
    assert cell_text("-3") == "-3" and cell_text("'-3") == "'-3"  # a person's -3 is -3
    assert list(csv.reader(io.StringIO(csv_text([["=1", "a,=b"]])))) == [["'=1", "a,=b"]]


# -- Moodle: several attempts by one student ------------------------------------------------------------------------


def _attempts_file(folder: Path) -> Path:
    """The real export with three attempts by s02 (Ben Larsen): his own (6:04), then Ada's answers (7:00, all
    right), then Cy's (s03's, 8:00); in the file the last comes first and the second last."""
    rows = list(csv.reader(io.StringIO((MOODLE / "moodle" / "responses_qtext_right.csv").read_text("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    at = {h: n for n, h in enumerate(header)}
    by_email = {r[at["Email address"]]: r for r in body}
    ben = by_email["s02@example.edu"]

    def attempt(source, started):
        row = list(by_email[source])
        row[:3] = ben[:3]
        row[at["Started"]] = f"29 November 2026  {started} AM"
        row[at["Completed"]] = f"29 November 2026  {started[:-2]}{int(started[-2:]) + 5:02d} AM"
        return row

    path = folder / "attempts.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [header, attempt("s03@example.edu", "8:00")] + body + [attempt("s01@example.edu", "7:00")]
        )
    return path


@pytest.fixture(scope="module")
def single_attempts(tmp_path_factory):
    """Each student's total and Moodle grade, graded from the real export as it is (one attempt each)."""
    if not (MOODLE / "moodle").is_dir():
        pytest.skip("../shared/data/moodle is not here")
    folder = tmp_path_factory.mktemp("single")
    status, _, err = convzoo(
        "grade",
        MOODLE / "convzoo" / "export",
        "--moodle",
        MOODLE / "moodle" / "responses_qtext_right.csv",
        "--out",
        "marks",
        cwd=folder,
    )
    assert status == 0, err
    return {r["id"]: r for r in _rows(folder / "marks" / "grades.csv")}


@pytest.mark.parametrize("method", ["default", "highest", "first", "last", "mean"])
def test_several_moodle_attempts_are_graded_as_the_quiz_grading_method_does(tmp_path, single_attempts, method):
    path = _attempts_file(tmp_path)
    option = [] if method == "default" else ["--attempts", method]
    status, out, err = convzoo(
        "grade", MOODLE / "convzoo" / "export", "--moodle", path, *option, "--out", "marks", cwd=tmp_path
    )
    assert status == 0, err
    rows = {r["id"]: r for r in _rows(tmp_path / "marks" / "grades.csv")}
    assert len(rows) == 12 and out.startswith("graded 12 students")
    own, ada, cy = (single_attempts[f"s0{n}@example.edu"] for n in (2, 1, 3))
    totals = [float(x["total"]) for x in (own, ada, cy)]  # in the order the attempts started
    assert totals[1] > max(totals[0], totals[2])  # Ada's answers are the highest; Ben's own the first; Cy's the last
    expected = {"default": ada, "highest": ada, "first": own, "last": cy}.get(method)
    ben = rows["s02@example.edu"]
    if expected:
        assert (ben["total"], ben["version"], ben["Moodle Grade/10.00"]) == (
            expected["total"],
            expected["version"],
            expected["Moodle Grade/10.00"],
        )
    else:  # Moodle's QUIZ_GRADEAVERAGE: the mean of the attempts' grades
        assert float(ben["total"]) == pytest.approx(sum(totals) / 3, abs=0.006)
        moodle = [float(x["Moodle Grade/10.00"]) for x in (own, ada, cy)]
        assert float(ben["Moodle Grade/10.00"]) == pytest.approx(sum(moodle) / 3, abs=0.006)
    assert {k: v for k, v in rows.items() if k != "s02@example.edu"} == {
        k: v for k, v in single_attempts.items() if k != "s02@example.edu"
    }
    page = (tmp_path / "marks" / ben["feedback page"]).read_text(encoding="utf-8")
    attempts = re.findall(
        r'<h2 class="attempt">Attempt (\d), started ([^:]+:\d\d [AP]M): ([\d.]+) of \d+ points'
        r"( \(graded\))?</h2>",
        page,
    )
    assert [(n, started.split()[-2]) for n, started, _, _ in attempts] == [("1", "6:04"), ("2", "7:00"), ("3", "8:00")]
    assert [float(t) for _, _, t, _ in attempts] == totals
    graded = {"default": "2", "highest": "2", "first": "1", "last": "3", "mean": None}[method]
    assert [n for n, _, _, mark in attempts if mark] == ([graded] if graded else [])
    assert len(list((tmp_path / "marks" / "feedback").iterdir())) == 12


def test_the_command_line_offers_the_grading_methods_grade_applies():
    from convzoo.commands.grade import grade_command
    from convzoo.questions.attempts import ATTEMPTS

    offered = next(p for p in grade_command.params if p.name == "attempts").type.choices
    assert tuple(offered) == ATTEMPTS and ATTEMPTS[0] == "highest"  # Moodle's default


def test_attempts_whose_order_cannot_be_told_are_refused(tmp_path):
    if not (MOODLE / "moodle").is_dir():
        pytest.skip("../shared/data/moodle is not here")
    path = _attempts_file(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"29 November 2026  8:00 AM", b"29.11.2026 08:00"))
    status, _, err = convzoo(
        "grade", MOODLE / "convzoo" / "export", "--moodle", path, "--attempts", "last", "--out", "marks", cwd=tmp_path
    )
    assert status == 2 and len(err.splitlines()) == 1 and "s02@example.edu has 3 attempts" in err, err
    assert not (tmp_path / "marks").exists()


def test_attempts_not_told_from_namesakes_are_refused(tmp_path):
    """Without an ID number, email or username, two rows of one name may be two students or two attempts."""
    if not (MOODLE / "moodle").is_dir():
        pytest.skip("../shared/data/moodle is not here")
    rows = _spreadsheet_cells(_attempts_file(tmp_path))
    drop = rows[0].index("Email address")
    with open(tmp_path / "anonymous.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([r[:drop] + r[drop + 1 :] for r in rows])
    status, _, err = convzoo(
        "grade", MOODLE / "convzoo" / "export", "--moodle", "anonymous.csv", "--out", "marks", cwd=tmp_path
    )
    assert status == 2 and len(err.splitlines()) == 1 and "Ben Larsen is on 3 rows" in err, err
    assert not (tmp_path / "marks").exists()


def test_a_pasted_page_of_digits_is_marked_wrong_not_a_traceback(small):
    lines = (small / "versions.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = "9" * 100_000  # question 1, its first blank (version A: a table's output shape)
    (small / "digits.csv").write_text("\n".join([lines[0], ",".join(cells)]) + "\n", encoding="utf-8")
    status, _, err = convzoo("grade", "versions", "--answers", "digits.csv", "--out", "out-digits", cwd=small)
    assert status == 0 and "Traceback" not in err, err
    assert _rows(small / "out-digits" / "grades.csv")[0]["1"] == "0"
