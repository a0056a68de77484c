"""`convzoo grade`'s report in the sheet's own numbers, and the files around it: the answers form a typist follows
paper by paper (and the lookups it saves), --absent and --below, one name per misconception, a whole map made with
the flipped kernel, circled letters, the marking key and the per-student PDFs as printed, and the gradebook files
read the way Moodle's and Canvas's importers read them (PHP's fgetcsv, Ruby's CSV)."""

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
from pathlib import Path

import pytest
from conftest import ROOT

SECRET = "report test"
HERE = Path(__file__).resolve().parent
# names as a class has them: commas, quotes, a backslash, Arabic, Chinese, one a spreadsheet would run
NAMES = ["O'Brien, Seán", "محمد علي", "李小龙", 'Back\\slash "quoted" \\', "=HYPERLINK(1)", "Zoë Ökse"]
STUDENTS = 30
ABSENT = "s30"
BELOW = 60
RETIRED = {"forgot the biases", "one bias per layer", "forgot the zero padding", "added the bias to every channel"}


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


def _rows(path: Path) -> list[list[str]]:
    """The cells as convzoo reads its own CSVs back (it writes a cell a spreadsheet would run quoted: '-4 0 -3)."""
    from convzoo.questions.spreadsheet import cell_text

    return [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))]


def _convolve(image, kernel, stride):
    """The lecture's cross-correlation, written out here: the test's own arithmetic, not convzoo's."""
    size = (len(image) - len(kernel)) // stride + 1
    return [
        [
            sum(
                image[i * stride + a][j * stride + b] * kernel[a][b]
                for a in range(len(kernel))
                for b in range(len(kernel))
            )
            for j in range(size)
        ]
        for i in range(size)
    ]


def _text(value) -> str:
    return str(int(value)) if float(value) == int(value) else str(value)


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    """A roster exam of 30 (hostile names, emails) typed into the answers form: right answers, named mistakes,
    whole maps made with the flipped kernel, empty and unreadable answers, s30 absent; the same answers in the
    template; both graded."""
    from convzoo.questions.grade import question_columns, read_quiz, sheet_blanks

    folder = tmp_path_factory.mktemp("exam")
    lines = ["id,name,email"] + [
        f's{n:02d},"{NAMES[n % len(NAMES)].replace(chr(34), chr(34) * 2)}",S{n:02d}.Student@Uni.edu'
        for n in range(1, STUDENTS + 1)
    ]
    (folder / "class.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _, err = convzoo(
        "quiz",
        "--roster",
        "class.csv",
        "--count",
        10,
        "--seed",
        7,
        "--kinds",
        "feature_map,total_params,layer_params,network_table,conv_value,output_volume",
        "--out",
        "exam",
        cwd=folder,
    )
    assert status == 0, err
    quiz = read_quiz((folder / "exam" / "quiz.json").read_text(encoding="utf-8"), "quiz.json", SECRET)
    rng = random.Random(7)
    truth = {"typed": {}, "empty": {}, "flipped": set(), "unreadable": set()}
    form = _rows(folder / "exam" / "answers-by-sheet.csv")
    for row in form[1:]:
        student, number, blank = row[0], int(row[3]), row[4]
        sheet = quiz.roster[student]
        question = sheet.questions[number - 1]
        k = next(k for n, k, label in sheet_blanks(sheet) if (n, label) == (number, blank))
        if student == ABSENT:
            continue
        plan = truth["typed"].setdefault(
            (student, number),
            rng.choices(
                ["right", "mistake", "empty", "unreadable", "flipped"],
                [55, 25, 8, 7, 5 * (question.kind == "feature_map")],
            )[0],
        )
        part = sheet.parts[number - 1][k]
        if plan == "flipped":
            data = question.data
            flipped = _convolve(data["input"], [r[::-1] for r in data["kernel"][::-1]], data["stride"])
            row[5] = _text(flipped[k // len(flipped[0])][k % len(flipped[0])])
            truth["flipped"].add(student) if flipped != question.answer else None
        elif plan == "mistake" and part.mistakes:
            row[5] = part.type.text(part.mistakes[0].value)
        elif plan == "unreadable":
            row[5] = "12 apples"
            truth["unreadable"].add((student, number, blank))
        elif plan != "empty":
            row[5] = part.type.text(part.key)
        truth["empty"].setdefault((student, number), []).append(not row[5])
    (folder / "form.csv").write_text("".join(f"{line}\n" for line in _csv_lines(form)), encoding="utf-8")
    # the same answers in the template's layout
    template = _rows(folder / "exam" / "answers-template.csv")
    at = {(n + 1, k): 3 + i for i, (n, k, _) in enumerate(question_columns(quiz))}
    typed = {(r[0], int(r[3]), r[4]): r[5] for r in form[1:]}
    for row in template[1:]:
        for n, k, label in sheet_blanks(quiz.roster[row[0]]):
            row[at[n, k]] = typed[row[0], n, label]
    (folder / "template.csv").write_text("".join(f"{line}\n" for line in _csv_lines(template)), encoding="utf-8")
    status, out, err = convzoo(
        "grade",
        "exam",
        "--answers",
        "form.csv",
        "--absent",
        ABSENT,
        "--below",
        BELOW,
        "--roster",
        "class.csv",
        "--out",
        "marks",
        cwd=folder,
    )
    assert status == 0, err
    status, _, err = convzoo(
        "grade",
        "exam",
        "--answers",
        "template.csv",
        "--absent",
        ABSENT,
        "--below",
        BELOW,
        "--roster",
        "class.csv",
        "--out",
        "marks-template",
        cwd=folder,
    )
    assert status == 0, err
    return folder, quiz, truth, out


def _csv_lines(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().splitlines()


# -- the answers form (item 7) -------------------------------------------------------------------------------------


def test_the_form_follows_each_sheet_as_printed_and_grades_as_the_template(exam):
    folder, quiz, _, _ = exam
    form = _rows(folder / "exam" / "answers-by-sheet.csv")
    assert form[0][:2] == ["id", "name"] and form[0][3:] == ["question", "blank", "answer"]
    # each student's rows together, questions 1, 2, ... in order, the question's answer as roster-key.csv prints
    # it under that number
    key = {row[0]: row[3:] for row in _rows(folder / "exam" / "roster-key.csv")[1:]}
    seen = []
    for row in form[1:]:
        if not seen or seen[-1][0] != row[0]:
            seen.append((row[0], []))
        seen[-1][1].append(int(row[3]))
    assert [student for student, _ in seen] == [f"s{n:02d}" for n in range(1, STUDENTS + 1)]
    for student, numbers in seen:
        assert numbers == sorted(numbers) and set(numbers) == set(range(1, 11))
        sheet = quiz.roster[student]
        assert [q.answer_text for q in sheet.questions] == key[student]
    assert not any(re.search(r"row 0|col 0", row[4]) for row in form[1:])  # blanks counted from 1
    assert (folder / "marks" / "grades.csv").read_bytes() == (folder / "marks-template" / "grades.csv").read_bytes()


BAD_FORMS = {
    "unknown blank": (lambda rows: rows[3].__setitem__(4, "row 9 col 9"), "column 5 ('blank')"),
    "question 0": (lambda rows: rows[1].__setitem__(3, "0"), "column 4 ('question')"),
    "a row twice": (lambda rows: rows.insert(2, list(rows[1])), "is already on row 2"),
    "a missing row": (lambda rows: rows.pop(5), "no row for s01's question"),
    "another quiz": (lambda rows: rows[0].__setitem__(2, "version of CNN quiz (seed 8)"), "another quiz"),
    "not on the roster": (lambda rows: rows[1].__setitem__(0, "s99"), "'s99' is not on the quiz's roster"),
}


@pytest.mark.parametrize("case", list(BAD_FORMS))
def test_a_wrong_form_is_one_line_exit_2_and_nothing_written(exam, case):
    folder = exam[0]
    rows = _rows(folder / "form.csv")
    change, said = BAD_FORMS[case]
    change(rows)
    path = folder / f"bad-{case.replace(' ', '-')}.csv"
    path.write_text("".join(f"{line}\n" for line in _csv_lines(rows)), encoding="utf-8")
    status, out, err = convzoo(
        "grade", "exam", "--answers", path.name, "--absent", ABSENT, "--out", f"out-{path.stem}", cwd=folder
    )
    assert status == 2 and len(err.splitlines()) == 1 and said in err and "Traceback" not in err, err
    assert not (folder / f"out-{path.stem}").exists()


def test_the_form_spares_the_typist_the_lookups():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "answer_lookups.py"), "--students", "30"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = dict(line.split(": ") for line in done.stdout.splitlines())
    assert int(found["form lookups"]) == 30  # finding each paper's first row, then Enter row after row
    assert int(found["template lookups"].replace(",", "")) > 5 * 30


# -- the report in the sheet's numbers (item 8) --------------------------------------------------------------------


def _section(report: str, name: str) -> str:
    return report.split(f'id="{name}"')[1].split("</section>")[0]


def test_the_report_names_questions_as_the_sheets_print_them(exam):
    folder, quiz, truth, out = exam
    pages = [(folder / "marks" / "report.html").read_text("utf-8")] + [
        p.read_text("utf-8") for p in (folder / "marks" / "feedback").glob("*.html")
    ]
    # the internal ids (J7: version J's slot 7), less version Q's, which look like the report's own 'Q7' (question 7)
    ids = {q.id for sheet in quiz.sheets.values() for q in sheet.questions if not q.id.startswith("Q")}
    words = set(re.findall(r"[A-Z]{1,2}\d{1,2}\b", re.sub(r"<[^>]+>", " ", pages[0])))
    assert not words & ids, words & ids  # (the feedback pages' solutions hold formulas' W1, D2, ...)
    for page in pages[1:]:
        assert [h for h in re.findall(r"<h2>([^<]*)</h2>", page)] == [f"Question {n}" for n in range(1, 11)]
    for page in pages:
        assert not re.search(r"row 0\b|column 0\b|col 0\b|output row", page)
    unread = re.findall(
        r"<tr><td>(s\d\d)</td><td class=\"n\">(\d+)</td><td>([^<]*)</td>", _section(pages[0], "unreadable")
    )
    assert {(s, int(n), b) for s, n, b in unread} == truth["unreadable"]
    assert not set(re.findall(r"\b[A-Z]{1,2}\d{1,2}\b", out)) & ids


def test_omissions_absent_below_and_the_order_by_score(exam):
    folder, quiz, truth, out = exam
    report = (folder / "marks" / "report.html").read_text("utf-8")
    grades = {row[0]: row for row in _rows(folder / "marks" / "grades.csv")[1:]}
    # the absent student: listed, out of every figure
    assert grades[ABSENT][-4:] == ["absent", "", "", ""]  # total, out of, percent, feedback page
    assert "<div>students<b>29</b></div>" in report and f"Absent, left out of every figure: {ABSENT}" in report
    assert out.splitlines()[0].startswith("graded 29 students") and "(1 absent student left out)" in out
    # below the threshold, lowest first
    below = {s for s, r in grades.items() if s != ABSENT and float(r[-2]) < BELOW}
    listed = re.findall(r'<td><a href="[^"]+">(s\d\d)</a></td>', _section(report, "below"))
    assert set(listed) == below and len(listed) == len(below) > 0
    assert [float(grades[s][-2]) for s in listed] == sorted(float(grades[s][-2]) for s in listed)
    assert f"{len(below)} students below {BELOW}%" in out or f"1 student below {BELOW}%" in out
    # the students by score
    order = re.findall(r'<td><a href="[^"]+">(s\d\d)</a></td>', _section(report, "students"))
    assert [float(grades[s][-2]) for s in order] == sorted((float(grades[s][-2]) for s in order), reverse=True)
    # the questions each student left blank, per slot, where the slot is printed as one number per sheet
    empty = {}
    for (student, number), blanks in truth["empty"].items():
        slot = quiz.roster[student].questions[number - 1].slot
        empty[slot] = empty.get(slot, 0) + all(blanks)
    kinds = {q.slot: q.kind for q in quiz.roster["s01"].questions}
    found = re.findall(
        r"<tr><td>[^<]*</td><td>(\w+)</td>.*?<td class=\"n\">(\d+)</td></tr>", _section(report, "questions"), re.S
    )
    assert sorted(int(n) for _, n in found) == sorted(empty.values()) and sum(empty.values()) > 0
    assert sorted(k for k, _ in found) == sorted(kinds.values())


def test_one_name_per_misconception_and_the_flipped_map(exam):
    from convzoo.questions.core import blanked, kinds
    from convzoo.questions.quiz import make_question

    names = set()
    for kind in kinds().values():
        for seed in range(40):
            q = make_question(kind, seed, "A", 0, ("easy", "medium", "hard")[seed % 3], False, syllabus="extended")
            names |= {w.name for part in blanked(q).parts for w in part.mistakes}
    assert "forgot the bias" in names and not names & RETIRED
    folder, _, truth, _ = exam
    report = (folder / "marks" / "report.html").read_text("utf-8")
    found = {
        html.unescape(n): int(s)
        for n, s in re.findall(r"<tr><td>([^<]+)</td><td class=\"n\">(\d+)</td>", _section(report, "misconceptions"))
    }
    assert not set(found) & RETIRED
    assert truth["flipped"] and found["flipped the kernel"] >= len(truth["flipped"])
    for student in truth["flipped"]:
        page = next((folder / "marks" / "feedback").glob(f"{student}*.html")).read_text("utf-8")
        assert "Likely mistake: flipped the kernel" in page


def test_circled_letters_are_read_as_the_letter(tmp_path):
    (tmp_path / "class.csv").write_text("id,name\na1,Ann\n", encoding="utf-8")
    assert (
        convzoo(
            "quiz",
            "--roster",
            "class.csv",
            "--count",
            3,
            "--mc",
            "--kinds",
            "layer_params,output_size",
            "--out",
            "exam",
            cwd=tmp_path,
        )[0]
        == 0
    )
    rows = _rows(tmp_path / "exam" / "answers-by-sheet.csv")
    results = []
    for spelling in ("c", "(c)", "c)", "(C)", " ( c ) "):
        for row in rows[1:]:
            row[5] = spelling
        (tmp_path / "a.csv").write_text("".join(f"{line}\n" for line in _csv_lines(rows)), encoding="utf-8")
        status, _, err = convzoo("grade", "exam", "--answers", "a.csv", "--out", "m", "--force", cwd=tmp_path)
        assert status == 0, err
        results.append((tmp_path / "m" / "grades.csv").read_text("utf-8"))
        assert "none of the options" not in (tmp_path / "m" / "report.html").read_text("utf-8")
    assert len(set(results)) == 1


@pytest.mark.parametrize(
    "absent, said", [("s99", "--absent s99: no such student"), ("s01", "--absent s01: form.csv has answers for s01")]
)
def test_absent_is_checked(exam, absent, said):
    status, _, err = convzoo(
        "grade", "exam", "--answers", "form.csv", "--absent", absent, "--out", "out-absent", cwd=exam[0]
    )
    assert status == 2 and len(err.splitlines()) == 1 and said in err, err


# -- the LMS gradebooks (item 10) ----------------------------------------------------------------------------------


def _users(folder: Path) -> list[dict]:
    """The class as the LMS knows it: its own user ids, the roster's ids as ID numbers / SIS ids, the emails."""
    return [
        {
            "id": 1000 + n,
            "idnumber": row[0],
            "email": row[2].lower(),
            "username": f"user{n}",
            "name": row[1],
            "sis_user_id": row[0],
            "login_id": row[2],
        }
        for n, row in enumerate(_rows(folder / "class.csv")[1:])
    ]


@pytest.mark.parametrize("mapfrom, mapto", [("ID number", "useridnumber"), ("Email address", "useremail")])
def test_moodle_imports_every_grade(exam, mapfrom, mapto):
    php = shutil.which("php")
    if php is None:
        pytest.skip("php is not installed (.ci/run installs php-cli with apt)")
    folder = exam[0]
    (folder / "users.json").write_text(json.dumps(_users(folder)), encoding="utf-8")
    grades = {row[0]: row for row in _rows(folder / "marks" / "grades.csv")[1:] if row[0] != ABSENT}
    by_user = {u["id"]: u["idnumber"] for u in _users(folder)}
    for column, expected in (("CNN quiz (%)", -2), ("CNN quiz (points)", -4)):
        done = subprocess.run(
            [
                php,
                HERE / "lms_importers" / "moodle_grade_import.php",
                folder / "marks" / "moodle-grades.csv",
                mapfrom,
                mapto,
                column,
                folder / "users.json",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        read = json.loads(done.stdout)
        assert "error" not in read, read
        imported = {by_user[int(user)]: grade for user, grade in read["grades"].items()}
        assert set(imported) == set(grades)  # everyone present, the absent student's Moodle grade untouched
        for student, grade in imported.items():
            assert grade == pytest.approx(float(grades[student][expected]), abs=0.051)


def test_canvas_imports_every_grade(exam):
    ruby = shutil.which("ruby")
    if ruby is None:
        pytest.skip("ruby is not installed (.ci/run installs it with apt)")
    folder = exam[0]
    users = _users(folder)
    (folder / "users.json").write_text(json.dumps(users), encoding="utf-8")
    done = subprocess.run(
        [
            ruby,
            HERE / "lms_importers" / "canvas_gradebook_import.rb",
            folder / "marks" / "canvas-grades.csv",
            folder / "users.json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    read = json.loads(done.stdout)
    assert "error" not in read, read
    grades = {row[0]: row for row in _rows(folder / "marks" / "grades.csv")[1:] if row[0] != ABSENT}
    assert read["assignments"] == [
        {"title": "CNN quiz", "id": None, "points_possible": next(iter(grades.values()))[-3]}
    ]
    by_user = {u["id"]: u["sis_user_id"] for u in users}
    imported = {by_user[s["user"]]: s["grades"][0] for s in read["students"]}
    assert set(imported) == set(grades) and len(read["students"]) == len(grades)
    for student, grade in imported.items():
        assert float(grade) == pytest.approx(float(grades[student][-4]), abs=0.006)


# -- the marking key and the per-student PDFs (item 9) --------------------------------------------------------------


def test_the_marking_key_is_a_page_per_version_and_student_pdfs_are_even(tmp_path):
    if shutil.which("chromium") is None or shutil.which("pdftotext") is None:
        pytest.skip("chromium and poppler-utils are not installed (.ci/run installs them with apt)")
    from pypdf import PdfReader

    (tmp_path / "class.csv").write_text("id,name\n" + "".join(f"p{n},{NAMES[n]}\n" for n in range(5)), "utf-8")
    status, _, err = convzoo(
        "quiz",
        "--roster",
        "class.csv",
        "--count",
        10,
        "--format",
        "pdf",
        "--per-student",
        "--out",
        "exam",
        cwd=tmp_path,
    )
    assert status == 0, err
    key = _rows(tmp_path / "exam" / "roster-key.csv")
    pages = PdfReader(tmp_path / "exam" / "marking-key.pdf").pages
    assert len(pages) == len(key) - 1  # one page per version
    for page, row in zip(pages, key[1:]):
        done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=_single(page), capture_output=True)
        text = " ".join(done.stdout.decode().split())
        assert f"version {row[2]}" in text and row[0] in text
        for answer in row[3:]:  # each answer (a map row by row); a table's only where blank, so not here
            if " params" not in answer:
                assert all(piece in text for piece in answer.split("; ")), answer
    counts = {}
    for pdf in (tmp_path / "exam" / "students").glob("*.pdf"):
        counts[pdf.name] = len(PdfReader(pdf).pages)
    assert len(counts) == 5 and all(n % 2 == 0 for n in counts.values()), counts
    assert sum(counts.values()) == len(PdfReader(tmp_path / "exam" / "sheets.pdf").pages)


def _single(page) -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_page(page)
    writer.write(out)
    return out.getvalue()


def test_the_marking_key_page_in_a_browser(browser, tmp_path):
    (tmp_path / "class.csv").write_text("id,name\nq1,Ann\nq2,Bo\n", encoding="utf-8")
    assert convzoo("quiz", "--roster", "class.csv", "--format", "html", "--out", "exam", cwd=tmp_path)[0] == 0
    page = browser.new_page()
    page.goto((tmp_path / "exam" / "marking-key.html").as_uri())
    assert page.locator("section.version").count() == 2
    assert page.locator("section.version").nth(0).locator("tr").count() == 12  # header, 10 questions, total
    page.screenshot(path=str(tmp_path / "marking-key.png"), full_page=True)
    page.close()


def test_a_moodle_quiz_goes_back_into_moodle_and_canvas(tmp_path):
    """The real Moodle 5.1 export names its students by email address: that is the column Moodle maps, and the
    login Canvas finds them by."""
    moodle = ROOT.parent / "shared" / "data" / "moodle"
    php, ruby = shutil.which("php"), shutil.which("ruby")
    if not moodle.is_dir() or php is None or ruby is None:
        pytest.skip("../shared/data/moodle, php or ruby is not here (.ci/run installs php-cli and ruby)")
    status, _, err = convzoo(
        "grade",
        moodle / "convzoo" / "export",
        "--moodle",
        moodle / "moodle" / "responses_qtext_right.csv",
        "--out",
        "marks",
        cwd=tmp_path,
    )
    assert status == 0, err
    people = json.loads((moodle / "students.json").read_text(encoding="utf-8"))
    users = [
        {
            "id": p["moodle_userid"],
            "idnumber": p["idnumber"],
            "email": p["email"].upper(),
            "username": key,
            "name": f"{p['firstname']} {p['lastname']}",
            "sis_user_id": p["idnumber"],
            "login_id": p["email"],
        }
        for key, p in people.items()
    ]
    (tmp_path / "users.json").write_text(json.dumps(users), encoding="utf-8")
    grades = {row[0]: row for row in _rows(tmp_path / "marks" / "grades.csv")[1:]}
    email = {u["id"]: u["login_id"] for u in users}
    done = subprocess.run(
        [
            php,
            HERE / "lms_importers" / "moodle_grade_import.php",
            tmp_path / "marks" / "moodle-grades.csv",
            "Email address",
            "useremail",
            "CNN quiz (%)",
            tmp_path / "users.json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    read = json.loads(done.stdout)["grades"]
    # (grades.csv ends with Moodle's own grade; its percent has one decimal, the import file two)
    assert {email[int(u)]: g for u, g in read.items()} == pytest.approx(
        {s: float(r[-3]) for s, r in grades.items()}, abs=0.051
    )
    done = subprocess.run(
        [
            ruby,
            HERE / "lms_importers" / "canvas_gradebook_import.rb",
            tmp_path / "marks" / "canvas-grades.csv",
            tmp_path / "users.json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    students = json.loads(done.stdout)["students"]
    assert {email[s["user"]]: float(s["grades"][0]) for s in students} == pytest.approx(
        {s: float(r[-5]) for s, r in grades.items()}, abs=0.006
    )


def test_without_a_roster_the_form_is_copied_per_student(tmp_path):
    assert (
        convzoo(
            "quiz",
            "--versions",
            2,
            "--count",
            3,
            "--kinds",
            "output_size,network_table,max_pool",
            "--out",
            "exam",
            cwd=tmp_path,
        )[0]
        == 0
    )
    form = _rows(tmp_path / "exam" / "answers-by-sheet.csv")
    template = _rows(tmp_path / "exam" / "answers-template.csv")
    assert [row[0] for row in form[1:]] == [""] * (len(form) - 1)  # each version's rows once, without an id
    rows, filled = [form[0]] + form[1:], [template[0]]
    for student, version in (("u1", "A"), ("u2", "B"), ("u3", "A")):
        copied = [[student, f"Name {student}", *row[2:5], "7"] for row in form[1:] if row[2] == version]
        rows += copied
        line = next(list(r) for r in template[1:] if r[2] == version)
        line[:2] = [student, f"Name {student}"]
        line[3:] = ["7" if value == "" and at < len(line) else value for at, value in enumerate(line[3:], start=3)]
        filled.append(line)
    # the template's cells of blanks a version does not have stay empty
    from convzoo.questions.grade import question_columns, read_quiz

    quiz = read_quiz((tmp_path / "exam" / "quiz.json").read_text("utf-8"), "quiz.json")
    for line in filled[1:]:
        sheet = quiz.sheets[line[2]]
        for i, (n, k, _) in enumerate(question_columns(quiz)):
            if n >= len(sheet.parts) or k >= len(sheet.parts[n]):
                line[3 + i] = ""
    for name, content in (("form.csv", rows), ("template.csv", filled)):
        (tmp_path / name).write_text("".join(f"{line}\n" for line in _csv_lines(content)), encoding="utf-8")
        status, _, err = convzoo("grade", "exam", "--answers", name, "--out", f"marks-{name}", cwd=tmp_path)
        assert status == 0, err
    assert (tmp_path / "marks-form.csv" / "grades.csv").read_bytes() == (
        tmp_path / "marks-template.csv" / "grades.csv"
    ).read_bytes()
    assert len(_rows(tmp_path / "marks-form.csv" / "grades.csv")) == 4
