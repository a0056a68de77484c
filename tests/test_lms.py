"""Into the instructor's LMS and onto paper: per-student versions from a roster, Moodle XML, GIFT, Canvas QTI, PDF."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from convzoo import cli

HOSTILE = "<b>&</b> 100% {a:b} ~ = # \\ $x$"
HOSTILE_AS_MOODLE_NAMES_IT = "& 100% {a:b} ~ = # \\ $x$"  # category names are PARAM_TEXT: tags stripped


def moodle_category(path: str, gift: bool = False) -> list[str]:
    """The names Moodle's importer makes of a category path (question/format.php, split_category_path: it splits
    at a '/' with no '/' beside it, turns '//' into '/', trims, and strips tags (PARAM_TEXT)). GIFT's importer
    first applies escapedchar_pre to a $CATEGORY line: '\\\\' becomes '\\'; any other backslash escape
    would stay as a placeholder such as '&&010', which the test refuses."""
    if gift:
        path = path.replace("\\\\", "\x00")
        assert "\\" not in path, f"a backslash escape Moodle would leave as a placeholder: {path!r}"
        path = path.replace("\x00", "\\")
    return [re.sub(r"<[^>\s][^>]*>", "", raw.replace("//", "/")).strip() for raw in re.split(r"(?<!/)/(?!/)", path)]


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(
        f'id,name,email\ns001,"{HOSTILE}",a@example.org\ns002,Ada Lovelace,b@example.org\n', encoding="utf-8"
    )
    return path


def quiz(capsys, *argv) -> tuple[int, str, str]:
    status = cli.main(["quiz", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_a_roster_gives_each_student_a_version_and_a_roster_key(capsys, tmp_path, roster):
    status, out, err = quiz(
        capsys,
        "--roster",
        str(roster),
        "--secret",
        "s3cret",
        "--format",
        "json",
        "-n",
        "4",
        "--out",
        str(tmp_path / "q"),
    )
    assert status == 0 and err == ""
    document = json.loads((tmp_path / "q" / "quiz.json").read_text(encoding="utf-8"))
    assert [v["student"] for v in document["versions"]] == [
        {"id": "s001", "name": HOSTILE},
        {"id": "s002", "name": "Ada Lovelace"},
    ]
    from convzoo.questions.spreadsheet import cell_text

    rows = [
        {k: cell_text(v) for k, v in r.items()}  # as convzoo reads it back: '-1 -1 -3 (no formula) is -1 -1 -3
        for r in csv.DictReader(io.StringIO((tmp_path / "q" / "roster-key.csv").read_text(encoding="utf-8")))
    ]
    assert [(r["id"], r["name"], r["version"]) for r in rows] == [("s001", HOSTILE, "A"), ("s002", "Ada Lovelace", "B")]
    for row, version in zip(rows, document["versions"]):  # the answers as numbered on the student's own sheet
        assert [row[str(n)] for n in range(1, 5)] == [q["answer_text"] for q in version["questions"]]


def test_same_roster_and_secret_give_the_same_files_another_secret_other_versions(capsys, tmp_path, roster):
    def run(secret, name):
        assert (
            quiz(
                capsys,
                "--roster",
                str(roster),
                "--secret",
                secret,
                "--format",
                "json",
                "-n",
                "6",
                "--out",
                str(tmp_path / name),
            )[0]
            == 0
        )
        return files(tmp_path / name)

    first = run("one", "a")
    assert run("one", "b") == first
    other = run("two", "c")
    versions = [json.loads(f["quiz.json"])["versions"] for f in (first, other)]
    assert [v["seed"] for v in versions[0]] != [v["seed"] for v in versions[1]]


def test_the_secret_can_come_from_the_environment_and_without_one_there_is_a_warning(
    capsys, tmp_path, roster, monkeypatch
):
    status, _, err = quiz(capsys, "--roster", str(roster), "--format", "json", "--out", str(tmp_path / "a"))
    assert status == 0 and err.startswith("convzoo: warning: no --secret")
    monkeypatch.setenv("CONVZOO_SECRET", "one")
    status, _, err = quiz(capsys, "--roster", str(roster), "--format", "json", "--out", str(tmp_path / "b"))
    assert status == 0 and err == ""
    assert (
        quiz(capsys, "--roster", str(roster), "--secret", "one", "--format", "json", "--out", str(tmp_path / "c"))[0]
        == 0
    )
    assert files(tmp_path / "b") == files(tmp_path / "c")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"name,email\nAda,a@b\n", "row 1: no 'id' column"),
        (b"id,name\n7,Ada\n7,Grace\n", "row 3: id '7' is already on row 2"),
        (b"", "the roster is empty"),
        (b"id,name\n", "the roster has a header but no students"),
        (b"id,name\n1,Ada\n2,\xff\xfe\n", "row 3: not UTF-8 text"),
    ],
)
def test_bad_rosters_are_one_line_exit_2_nothing_written(capsys, tmp_path, content, message):
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    status, out, err = quiz(capsys, "--roster", str(path), "--format", "html", "--out", str(tmp_path / "out"))
    assert (status, out) == (2, "") and err.count("\n") == 1 and message in err
    assert not (tmp_path / "out").exists()


def test_roster_and_versions_exclude_each_other_and_the_roster_needs_out(capsys, roster):
    assert "not both" in quiz(capsys, "--roster", str(roster), "--versions", "3", "--out", "x")[2]
    status, _, err = quiz(capsys, "--roster", str(roster), "--format", "json")
    assert status == 2 and "roster-key.csv" in err and "--out" in err


# --- the exports, parsed the way an LMS reads them, hold the JSON's keys -----------------------------------------

ROOT = Path(__file__).resolve().parent.parent
GIFT_PARSER = ROOT / ".cache" / "node" / "node_modules" / "gift-pegjs"
EXPORT_ARGS = ["--count", "16", "--versions", "2", "--seed", "5", "--title", HOSTILE]


def expected_parts(q: dict) -> list:
    """The key of a JSON question as the blanks an LMS grades, read off the JSON alone: numbers, texts (the
    first accepted spelling) in order, and the correct option for multiple choice."""
    answer = q["answer"]
    if "choices" in q:
        return [next(c["text"] for c in q["choices"] if c["correct"])]
    if isinstance(answer, list) and answer and isinstance(answer[0], dict):
        return [
            ("x".join(map(str, answer[i]["output_shape"])) if c == 1 else answer[i]["params"])
            for i, row in enumerate(q["table"]["rows"])
            for c, cell in enumerate(row)
            if cell is None
        ]
    if isinstance(answer, list) and answer and isinstance(answer[0], bool):
        return ["fits" if fits else "does not fit" for fits in answer]
    if isinstance(answer, list) and answer and isinstance(answer[0], list):
        return [v for row in answer for v in row]
    if isinstance(answer, list):
        return ["x".join(map(str, answer))]
    return [answer]


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict:
    """The same quiz as JSON and as every export, open-answer and multiple choice."""
    out = {}
    for mc in (False, True):
        where = tmp_path_factory.mktemp("mc" if mc else "open")
        for fmt in ("json", "moodle", "gift", "qti"):
            assert (
                cli.main(["quiz", *EXPORT_ARGS, *(["--mc"] if mc else []), "--format", fmt, "--out", str(where)]) == 0
            )
        keys = {}
        for v in json.loads((where / "quiz.json").read_text(encoding="utf-8"))["versions"]:
            for q in v["questions"]:
                keys[f"{q['id']} {q['kind']}"] = expected_parts(q)
        out[mc] = (where, keys)
    return out


def _same(found, expected) -> bool:
    """A number equals a number however it is written (10, 10.0, "1,290"); texts compare as they are."""
    try:
        return float(str(found).replace(",", "")) == float(str(expected))
    except ValueError:
        return found == expected


@pytest.mark.skipif(not GIFT_PARSER.exists(), reason="gift-pegjs is not installed (make test installs it with npm)")
@pytest.mark.parametrize("mc", [False, True])
def test_gift_parsed_by_gift_pegjs_holds_every_key(exports, mc):
    import subprocess

    where, keys = exports[mc]
    script = (
        "const g = require(process.argv[1]); let text = '';"
        "process.stdin.on('data', d => text += d); process.stdin.on('end', () =>"
        " console.log(JSON.stringify(g.parse(text))));"
    )
    done = subprocess.run(
        ["node", "-e", script, str(GIFT_PARSER)],
        input=(where / "quiz.gift.txt").read_bytes(),
        capture_output=True,
        check=True,
    )
    parsed = json.loads(done.stdout)
    assert parsed[0]["type"] == "Category"
    assert moodle_category(parsed[0]["title"], gift=True)[:3] == ["$course$", "top", HOSTILE_AS_MOODLE_NAMES_IT]
    found: dict[str, list] = {}
    for q in parsed:
        if q["type"] == "Category":
            continue
        name = q["title"].split(" part ")[0]
        choices = q["choices"]
        if q["type"] == "Numerical":
            assert choices["type"] == "range"
            value = choices["number"]
        else:
            value = next(c["text"]["text"] for c in choices if c["isCorrect"])
        assert q["globalFeedback"]["text"].startswith("<pre>")  # the worked solution
        found.setdefault(name, []).append(value)
    assert set(found) == set(keys)
    for name, values in found.items():
        assert len(values) == len(keys[name]) and all(map(_same, values, keys[name])), name


def _moodle_cloze_answers(body: str) -> list[str]:
    """A cloze blank's alternatives as Moodle's multianswer parser reads them: an answer ends at ~ # or } not
    after a backslash or '&'; then HTML entities are decoded and only \\} and \\# turned back."""
    import html
    import re

    answers = re.findall(r"(=?)(.+?)(?<!\\|&)(?:#.*?)?(?:~|$)", body)
    return [mark + html.unescape(text).replace("\\}", "}").replace("\\#", "#") for mark, text in answers]


def _cloze_values(html: str) -> list:
    import re

    values = []
    for kind, body in re.findall(r"\{1:(NUMERICAL|SHORTANSWER|MULTICHOICE):(.*?)(?<!\\)\}", html):
        correct = next(a for a in _moodle_cloze_answers(body) if a.startswith("="))[1:]
        values.append(float(correct.split(":")[0]) if kind == "NUMERICAL" else correct)
    return values


def test_cloze_answers_survive_moodles_parser():
    from types import SimpleNamespace

    from convzoo.questions.lms import moodle_token

    token = moodle_token(SimpleNamespace(lms_type="text", texts=("a}b", "c#d", "e~f", 'g/h"i\\j')))
    body = token[len("{1:SHORTANSWER:") : -1]
    assert _moodle_cloze_answers(body) == ["=a}b", "=c#d", "=e~f", '=g/h"i\\j']


@pytest.mark.parametrize("mc", [False, True])
def test_moodle_xml_reads_as_moodles_importer_does_and_holds_every_key(exports, mc):
    import xml.etree.ElementTree as ET

    where, keys = exports[mc]
    root = ET.parse(where / "quiz.moodle.xml").getroot()
    assert root.tag == "quiz"
    categories, found, category = [], {}, None
    for question in root.findall("question"):
        kind = question.get("type")
        if kind == "category":
            category = question.findtext("category/text")
            categories.append(category)
            continue
        assert kind in ("numerical", "shortanswer", "multichoice", "cloze")
        name = question.findtext("name/text")
        assert category.endswith(name.split()[-1])  # each slot's versions sit in the slot's category
        text = question.findtext("questiontext/text")
        assert question.find("questiontext").get("format") == "html"
        assert question.findtext("generalfeedback/text").startswith("<pre>")
        right = [a for a in question.findall("answer") if a.get("fraction") == "100"]
        if kind == "numerical":
            assert right[0].findtext("tolerance") is not None
            found[name] = [float(right[0].findtext("text"))]
        elif kind in ("shortanswer", "multichoice"):
            found[name] = [right[0].findtext("text")]
            if kind == "multichoice":
                wrong = [a for a in question.findall("answer") if a.get("fraction") == "0"]
                assert 3 <= len(wrong) <= 4 and all(a.findtext("feedback/text") for a in wrong)
        else:
            found[name] = _cloze_values(text)
    assert len(categories) == 16
    assert all(moodle_category(c)[:3] == ["$course$", "top", HOSTILE_AS_MOODLE_NAMES_IT] for c in categories)
    assert set(found) == set(keys)
    for name, values in found.items():
        assert len(values) == len(keys[name]) and all(map(_same, values, keys[name])), name


@pytest.mark.parametrize("mc", [False, True])
def test_qti_zip_has_its_manifest_and_holds_every_key(exports, mc):
    import xml.etree.ElementTree as ET
    import zipfile

    where, keys = exports[mc]
    archive = zipfile.ZipFile(where / "quiz.qti.zip")
    ims = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    (assessment_resource,) = [r for r in manifest.iter(f"{ims}resource") if r.get("type") == "imsqti_xmlv1p2"]
    href = assessment_resource.find(f"{ims}file").get("href")
    assert all(f.get("href") in archive.namelist() for f in manifest.iter(f"{ims}file"))  # every file is there
    q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    assessment = ET.fromstring(archive.read(href)).find(f"{q}assessment")
    assert assessment.get("title") == HOSTILE
    found = {}
    for item in assessment.iter(f"{q}item"):
        fields = {f.findtext(f"{q}fieldlabel"): f.findtext(f"{q}fieldentry") for f in item.iter(f"{q}qtimetadatafield")}
        kind = fields["question_type"]
        conditions = item.findall(f"{q}resprocessing/{q}respcondition")
        scored = [c for c in conditions if c.find(f"{q}setvar") is not None]
        if kind == "multiple_choice_question":
            ident = scored[0].findtext(f"{q}conditionvar/{q}varequal")
            labels = {r.get("ident"): r.findtext(f"{q}material/{q}mattext") for r in item.iter(f"{q}response_label")}
            found[item.get("title")] = [labels[ident]]
        elif kind == "numerical_question":
            found[item.get("title")] = [float(scored[0].findtext(f"{q}conditionvar/{q}or/{q}varequal"))]
        elif kind == "short_answer_question":
            found[item.get("title")] = [scored[0].findtext(f"{q}conditionvar/{q}varequal")]
        else:
            assert kind == "fill_in_multiple_blanks_question"
            labels = {r.get("ident"): r.findtext(f"{q}material/{q}mattext") for r in item.iter(f"{q}response_label")}
            values = [labels[c.findtext(f"{q}conditionvar/{q}varequal")] for c in scored]
            found[item.get("title")] = values
    assert set(found) == set(keys)
    for name, values in found.items():
        assert len(values) == len(keys[name]) and all(map(_same, values, keys[name])), name


def test_a_hostile_title_and_student_name_survive_every_format(capsys, tmp_path, roster):
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.chunks = []

        def handle_data(self, data):
            self.chunks.append(data)

    for fmt in ("html", "md", "json", "moodle", "gift", "qti"):
        assert (
            quiz(
                capsys,
                "--roster",
                str(roster),
                "--secret",
                "x",
                "--title",
                HOSTILE,
                "-n",
                "3",
                "--format",
                fmt,
                "--out",
                str(tmp_path / fmt),
            )[0]
            == 0
        )
    sheets = Text()
    sheets.feed((tmp_path / "html" / "sheets.html").read_text(encoding="utf-8"))
    text = "".join(sheets.chunks)
    assert HOSTILE in text and f"Name: {HOSTILE}" in text and "<b>" not in text.replace(HOSTILE, "")
    assert "<b>&</b>" not in (tmp_path / "html" / "sheets.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in (tmp_path / "md" / "sheets.md").read_text(encoding="utf-8")
    document = json.loads((tmp_path / "json" / "quiz.json").read_text(encoding="utf-8"))
    assert document["title"] == HOSTILE and document["versions"][0]["student"]["name"] == HOSTILE
    assert (
        next(
            csv.reader(io.StringIO((tmp_path / "json" / "roster-key.csv").read_text(encoding="utf-8").splitlines()[1]))
        )[1]
        == HOSTILE
    )


def test_pdf_is_printed_by_a_real_engine_or_refused_in_one_line(capsys, tmp_path, monkeypatch):
    from convzoo.questions import pdf as pdf_module

    if pdf_module.engine() is not None:
        assert quiz(capsys, "-n", "4", "--versions", "2", "--format", "pdf", "--out", str(tmp_path / "a"))[0] == 0
        for name in ("sheets.pdf", "keys.pdf"):
            pdf = (tmp_path / "a" / name).read_bytes()
            assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    monkeypatch.setattr(pdf_module, "engine", lambda: None)
    status, out, err = quiz(capsys, "--format", "pdf", "--out", str(tmp_path / "b"))
    assert (status, out) == (2, "") and err.count("\n") == 1 and "apt-get install chromium" in err
    assert not (tmp_path / "b").exists()


# Titles as instructors type them, and the category Moodle must make of each (its importer's rules, above)
TITLES = [
    ("CS/396: quiz 3", "CS/396: quiz 3"),
    ("/leading", "/leading"),
    ("trailing/", "trailing/"),
    ("a // b", "a // b"),
    ("", "CNN quiz"),
    ("   ", "CNN quiz"),
    ("top", "top (quiz)"),
    ("two\nlines", "two lines"),
    ("C:\\new\\quiz", "C:\\new\\quiz"),
    ("<b>bold</b> & <i>it</i>", "bold & it"),
    ("<b></b>", "CNN quiz"),
    ("a < b", "a < b"),
]


@pytest.mark.parametrize("title, name", TITLES)
def test_titles_of_any_text_give_the_intended_category_tree(title, name):
    import xml.etree.ElementTree as ET
    from html import unescape

    from convzoo.questions.formats import get
    from convzoo.questions.quiz import build_quiz

    quiz = build_quiz(seed=3, count=2, versions=2, title=title, kind_names=("layer_params", "max_pool"))
    root = ET.fromstring(get("moodle").documents(quiz)["quiz.moodle.xml"])
    categories = [q for q in root.findall("question") if q.get("type") == "category"]
    assert len(categories) == 2
    for number, category in enumerate(categories, start=1):
        names = moodle_category(category.findtext("category/text"))
        assert names[:3] == ["$course$", "top", name] and len(names) == 4 and names[3].startswith(f"{number:02d} ")
        info = category.findtext("info/text")  # HTML: the title in it is text, never markup
        assert "<b>" not in info and f"of {name}:" in unescape(info)
    gift = get("gift").documents(quiz)["quiz.gift.txt"]
    blocks = [b for b in gift.split("\n\n") if b.strip()]
    for block in blocks:  # Moodle: comment lines dropped, the rest of a block is one question or a category
        lines = [line for line in block.splitlines() if not line.startswith("//")]
        if not lines:  # the header comment: nothing to import
            continue
        if lines[0].startswith("$CATEGORY:"):
            assert len(lines) == 1
            names = moodle_category(lines[0][len("$CATEGORY:") :].strip(), gift=True)
            assert names[:3] == ["$course$", "top", name] and len(names) == 4
        else:
            assert lines[0].startswith("::") and len(lines) == 1  # never a stray line taken for a description
    assert sum(block.lstrip("/ \n").startswith("$CATEGORY:") or "\n$CATEGORY:" in block for block in blocks) == 2


# --- identity and leaks (issue 16) ------------------------------------------------------------------------------


def _qti_identifiers(quiz) -> set[str]:
    """Every identifier of a QTI package: the manifest's, the assessment's, its sections', items' and options'."""
    import zipfile

    from convzoo.questions.lms import qti_zip

    archive = zipfile.ZipFile(io.BytesIO(qti_zip(quiz)))
    text = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    # an item's own response names (response1, response_b1 for each blank of a table) are scoped to the item
    return {
        found
        for found in re.findall(r'(?:ident|identifier|identifierref)="([^"]+)"', text)
        if found not in {"root_section", "general_fb", "answer1"} and not re.fullmatch(r"response(1|_b\d+)", found)
    }


def test_qti_identifiers_belong_to_one_quiz():
    from convzoo.questions.quiz import DEFAULT_SEED, build_quiz

    def built(**options):
        return build_quiz(seed=DEFAULT_SEED, versions=5, count=4, **options)

    first = _qti_identifiers(built(title="Quiz 3"))
    assert first == _qti_identifiers(built(title="Quiz 3"))  # the same quiz again: imported again, it updates
    for other in (built(title="Quiz 4"), built(title="Quiz 3", mc=True), built(title="Quiz 3", difficulty="hard")):
        assert not first & _qti_identifiers(other)  # importing one never overwrites another


def test_moodle_idnumbers_belong_to_one_quiz():
    import xml.etree.ElementTree as ET

    from convzoo.questions.formats import get
    from convzoo.questions.quiz import build_quiz

    def idnumbers(**options):
        root = ET.fromstring(get("moodle").documents(build_quiz(versions=5, count=4, **options))["quiz.moodle.xml"])
        found = [q.findtext("idnumber") for q in root.findall("question") if q.get("type") != "category"]
        assert len(set(found)) == len(found) and all(len(n) <= 100 for n in found)  # Moodle's column
        return set(found)

    assert not idnumbers(title="Quiz 3") & idnumbers(title="Quiz 3", mc=True)  # Moodle would drop repeats


@pytest.mark.skipif(not GIFT_PARSER.exists(), reason="gift-pegjs is not installed (make test installs it with npm)")
def test_a_gift_part_shows_only_its_own_working():
    """A table, a map or a list of strides becomes one GIFT question per blank: each one's feedback works out
    that blank alone, never another blank's answer."""
    import html
    import subprocess

    from convzoo.questions.core import blanked
    from convzoo.questions.formats import get
    from convzoo.questions.quiz import build_quiz

    quiz = build_quiz(
        seed=4,
        count=6,
        versions=2,
        kind_names=("network_table", "zoo_table", "feature_map", "max_pool", "avg_pool", "stride_fit"),
        syllabus="extended",
    )
    script = (
        "const g = require(process.argv[1]); let text = '';"
        "process.stdin.on('data', d => text += d); process.stdin.on('end', () =>"
        " console.log(JSON.stringify(g.parse(text))));"
    )
    done = subprocess.run(
        ["node", "-e", script, str(GIFT_PARSER)],
        input=get("gift").documents(quiz)["quiz.gift.txt"].encode(),
        capture_output=True,
        check=True,
    )
    feedback = {
        q["title"]: html.unescape(q["globalFeedback"]["text"])
        for q in json.loads(done.stdout)
        if q["type"] != "Category"
    }
    for version in quiz.versions:
        for q in version.questions:
            parts = blanked(q).parts
            for n, part in enumerate(parts, start=1):
                shown = feedback[f"{q.id} {q.kind} part {n}"]
                assert shown == "<pre>" + "<br>".join(part.working) + "</pre>", (q.kind, part.label, shown)
                assert part.working and set(part.working) < set(q.solution)
                others = {step for other in parts if other is not part for step in other.working}
                # only a step that answers both blanks of one row ("shape unchanged; params = 0") is shared
                assert all("shape unchanged" in step for step in set(part.working) & others), part.working


# --- what each LMS accepts, read as it reads it (issue 22) ---------------------------------------------------------


def moodle_shortanswer_matches(typed: str, pattern: str) -> bool:
    """Moodle's short answer match (question/type/shortanswer/question.php:98-121, compare_string_with_wildcard, with
    usecase 0): the response trimmed (PARAM_RAW_TRIMMED, line 49, and trim() on line 121), case ignored, an
    unescaped run of '*' any text, '\\*' a literal '*', everything else exact."""
    bits = [re.escape(bit.replace("\\*", "*")) for bit in re.split(r"(?<!\\)\*+", pattern)]
    return re.fullmatch(".*".join(bits), typed.strip(), re.IGNORECASE | re.DOTALL) is not None


def canvas_text_matches(typed: str, answer: str) -> bool:
    """Canvas's short answer and fill-in-multiple-blanks match (app/models/quizzes/quiz_question/
    short_answer_question.rb, matching_answer; fill_in_multiple_blanks_question.rb, matching_answer?): both
    stripped and lower-cased, then equal."""
    return typed.strip().lower() == answer.strip().lower()


# Spellings the README lists as accepted by every exact-matching LMS blank, each with the key it is typed for
LISTED_SPELLINGS = [
    ("32 32 10", [32, 32, 10]),
    ("32*32*10", [32, 32, 10]),
    ("32 × 32 × 10", [32, 32, 10]),
    ("(32, 32, 10)", [32, 32, 10]),
    ("[32, 32, 10]", [32, 32, 10]),
    ("  32X32X10 ", [32, 32, 10]),
    ("does not fit.", "does not fit"),
    ("does not fit!", "does not fit"),
    ("Doesn't fit", "does not fit"),
    ("9.", 9),
    ("18 percent", 18),
    ("18 %", 18),
    ("1 199 882", 1199882),
    ("1,199,882", 1199882),
    ("−3", -3),
    ("2,75", 2.75),
    ("11/4", 2.75),
    (".25", 0.25),
    ("294 912", [294912]),
]


@pytest.mark.parametrize("typed, key", LISTED_SPELLINGS)
def test_every_listed_spelling_is_accepted_where_the_lms_matches_text(typed, key):
    from convzoo.questions.answers import COUNT, PERCENT, SIZE, VALUE, VOLUME, Blank
    from convzoo.questions.lms import moodle_texts

    blank_type = (
        VOLUME
        if isinstance(key, list) or key == "does not fit"
        else PERCENT
        if typed.startswith("18")
        else SIZE
        if key == 9
        else VALUE
        if isinstance(key, float) or key < 0
        else COUNT
    )
    blank = Blank("answer", blank_type, tuple(key) if isinstance(key, list) else key)
    assert blank.is_right(typed)  # what practice and the page accept ...
    if blank.lms_type == "text":  # ... a Moodle short answer (XML, GIFT and cloze blanks alike) accepts too
        assert any(moodle_shortanswer_matches(typed, pattern) for pattern in moodle_texts(blank)), typed
    assert any(canvas_text_matches(typed, text) for text in blank.texts), typed  # and a Canvas text blank


def test_no_moodle_pattern_matches_a_wrong_answer():
    """An escaped '*' is a literal star: 28*28*6 never takes 28x28x16, nor any other volume."""
    from convzoo.questions.answers import VOLUME, Blank
    from convzoo.questions.lms import moodle_texts

    patterns = moodle_texts(Blank("answer", VOLUME, (28, 28, 6)))
    assert "28\\*28\\*6" in patterns
    for wrong in ("28x28x16", "28*28*16", "28 * 28 * 6", "28*28*6 or 28x28x16", "2828*6"):
        assert not any(moodle_shortanswer_matches(wrong, p) for p in patterns), wrong


def _cloze_blanks(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each cloze blank of a question text as Moodle's multianswer parser reads it: its type and its (fraction,
    answer) alternatives (question/type/multianswer/questiontype.php:324-340, ANSWER_ALTERNATIVE_REGEX)."""
    blanks = []
    for kind, body in re.findall(r"\{\d*:(NUMERICAL|SHORTANSWER|MULTICHOICE):(.*?)(?<!\\)\}", html):
        alternatives = []
        for answer in _moodle_cloze_answers(body):
            fraction = re.match(r"=|%(-?[0-9]+)%", answer)
            text = answer[fraction.end() :] if fraction else answer
            alternatives.append(
                (
                    "100" if fraction and fraction.group() == "=" else fraction.group(1) if fraction else "0",
                    text.split(":")[0] if kind == "NUMERICAL" else text,
                )
            )
        blanks.append((kind, alternatives))
    return blanks


def test_every_cloze_blank_of_a_question_is_as_wide_as_the_widest():
    """Moodle sizes a cloze input to its longest answer as stored (question/type/multianswer/renderer.php:298-303;
    a numerical answer stored as the number it reads); every blank that takes typing gets the same width, and the
    0% answer that pads it is never the key."""
    import xml.etree.ElementTree as ET

    from convzoo.questions.formats import get
    from convzoo.questions.quiz import build_quiz

    quiz = build_quiz(
        seed=22,
        count=6,
        versions=8,
        syllabus="extended",
        kind_names=("network_table", "zoo_table", "feature_map", "max_pool", "avg_pool", "stride_fit"),
    )
    root = ET.fromstring(get("moodle").documents(quiz)["quiz.moodle.xml"])
    checked = 0
    for question in root.findall("question"):
        if question.get("type") != "cloze":
            continue
        typed = [
            (kind, alternatives)
            for kind, alternatives in _cloze_blanks(question.findtext("questiontext/text"))
            if kind != "MULTICHOICE"
        ]
        widths = set()
        for kind, alternatives in typed:
            stored = [
                format(float(text), "g")
                if kind == "NUMERICAL" and float(text).is_integer() is False
                else str(int(float(text)))
                if kind == "NUMERICAL"
                else text
                for _, text in alternatives
            ]
            widths.add(max(len(s.strip()) for s in stored))
            right = [text for fraction, text in alternatives if fraction == "100"]
            padding = [text for fraction, text in alternatives if fraction == "0"]
            assert right and len(padding) <= 1 and not set(padding) & set(right)
        assert len(widths) <= 1, (question.findtext("name/text"), widths)
        checked += len(typed) > 1
    assert checked >= 30


def test_the_points_are_where_moodle_and_canvas_read_them():
    """Moodle reads <defaultgrade> for single-answer questions (question/format/xml/format.php:269-270); a cloze
    question's mark is the sum of its blanks' weights (question/type/multianswer/questiontype.php:419, 429, 579)
    and a random question's slot gets 1 (mod/quiz/classes/structure.php:1687), so each slot's category says its
    points. Canvas reads points_possible and the group's points_per_item."""
    import xml.etree.ElementTree as ET
    import zipfile

    from convzoo.questions.formats import get
    from convzoo.questions.lms import qti_zip
    from convzoo.questions.quiz import build_quiz

    quiz = build_quiz(
        seed=22,
        count=6,
        versions=3,
        syllabus="extended",
        kind_names=("stride_fit", "avg_pool", "conv_value", "network_table", "output_size", "max_pool"),
    )
    points = {q.id: q.points for v in quiz.versions for q in v.questions}
    slot_points = {q.slot: q.points for q in quiz.versions[0].questions}
    root = ET.fromstring(get("moodle").documents(quiz)["quiz.moodle.xml"])
    said = {}
    for question in root.findall("question"):
        if question.get("type") == "category":
            slot = int(question.findtext("category/text").rsplit("/", 1)[1].split()[0])
            said[slot] = question.findtext("info/text")
            continue
        name = question.findtext("name/text").split()[0]
        if question.get("type") == "cloze":
            weights = [
                int(n or 1)
                for n in re.findall(
                    r"\{(\d*):(?:NUMERICAL|SHORTANSWER|MULTICHOICE):", question.findtext("questiontext/text")
                )
            ]
            assert set(weights) == {1}  # every blank weighs the same: the score is the share of blanks right
        else:
            assert float(question.findtext("defaultgrade")) == points[name]
    for slot, text in said.items():
        n = slot_points[slot]
        assert f"worth {n} point{'s' if n != 1 else ''} (set the quiz slot's maximum mark to {n})" in text
    archive = zipfile.ZipFile(io.BytesIO(qti_zip(quiz)))
    q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    assessment = next(
        ET.fromstring(archive.read(n))
        for n in archive.namelist()
        if n.endswith(".xml") and "assessment_meta" not in n and n != "imsmanifest.xml"
    )
    for section in assessment.iter(f"{q}section"):
        for item in section.findall(f"{q}item"):
            fields = {
                f.findtext(f"{q}fieldlabel"): f.findtext(f"{q}fieldentry") for f in item.iter(f"{q}qtimetadatafield")
            }
            assert float(fields["points_possible"]) == points[item.get("title").split()[0]]
            assert float(section.findtext(f".//{q}points_per_item")) == points[item.get("title").split()[0]]
