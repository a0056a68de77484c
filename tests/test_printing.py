"""Printing at class scale (issue 16): a 30-student roster with Arabic, Chinese and hostile names, printed by
Chromium (--format pdf --per-student) and typeset by LuaLaTeX (--format tex), then read back as a reader would:
the pages rasterised by pdftoppm (every blank cell a line of handwriting high and a number wide, nothing beyond
the right margin), their text by pdftotext (every name there, in its own script; every student starting on the
front of a sheet of paper; no question split from its table or grids), and the same bytes from another
process."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from convzoo import cli

ARABIC = ["محمد أحمد", "فاطمة الزهراء", "عبد الرحمن يوسف"]
CHINESE = ["王小明", "陈静怡", "张伟"]
HOSTILE = [
    'O\'Brien "Bob" \\ & 100% {x} $y$ #1 _a_ ^b ~c',
    r"\end{document}\input{/etc/passwd}",
    "<b>bold</b> </style> & <script>x</script>",
    "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Senior, of the Very Long Name Family With Many Words",
]
NAMES = ARABIC + CHINESE + HOSTILE + ["Anna Schmidt", "José Núñez"]
STUDENTS = [(f"s{i:03d}", NAMES[i % len(NAMES)]) for i in range(30)]
# the kinds that draw tables and grids (blank cells to write in), strides (boxes to circle) and single answers
KINDS = "conv_value_rgb,max_pool,feature_map,network_table,zoo_table,stride_fit,output_volume,layer_params"
DPI = 96
MARGIN_MM = 16  # the side margins of both engines' pages (templates/quiz.html.j2, quiz.tex.j2)
LINE_PT = 11 * 1.2  # a line of the sheets' 11 pt text
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="pdftoppm/pdftotext (poppler-utils) are not installed",
)
needs_chromium = pytest.mark.skipif(not shutil.which("chromium"), reason="no Chromium to print with")
needs_lualatex = pytest.mark.skipif(not shutil.which("lualatex"), reason="no LuaLaTeX to typeset with")


def write_roster(path: Path, students) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("id", "name"), *students])
    return path


def convzoo(*argv, cwd=None) -> subprocess.CompletedProcess:
    """The command in a process of its own, as an instructor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "convzoo", "quiz", *argv], capture_output=True, text=True, cwd=cwd, timeout=900
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The roster's sheets, once per engine: {"pdf": folder, "tex": folder}."""
    root = tmp_path_factory.mktemp("print")
    roster = write_roster(root / "class.csv", STUDENTS)
    folders = {}
    for fmt, extra in (("pdf", ["--per-student"]), ("tex", ["--paper", "letter"])):
        if not shutil.which("chromium" if fmt == "pdf" else "lualatex"):
            continue
        done = convzoo(
            "--roster",
            str(roster),
            "--secret",
            "s",
            "-n",
            "6",
            "--kinds",
            KINDS,
            "--format",
            fmt,
            "--course",
            "CS396",
            "--duration",
            "60 minutes",
            "--out",
            str(root / fmt),
            *extra,
        )
        assert done.returncode == 0, done.stderr
        folders[fmt] = root / fmt
    return folders


def rasterised(pdf: Path) -> list:
    """The pages as grey levels (numpy arrays, 0 black .. 255 white) at DPI."""
    import numpy

    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), f"{work}/p"], check=True)
        pages = []
        for image in sorted(Path(work).glob("p-*.pgm")):
            data = image.read_bytes()
            _, width, height, _, pixels = data.split(maxsplit=4)
            width, height = int(width), int(height)
            pages.append(numpy.frombuffer(pixels[-width * height :], numpy.uint8).reshape(height, width))
    return pages


def blank_cells(page, min_width: int = 6) -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of every empty rectangle ruled on all four sides: a blank table or grid cell, an
    answer box's writing space. A row's white run between two dark pixels opens one under a ruled line; the
    same run ends it on a ruled line."""
    import numpy

    dark = page < 230
    cells, open_runs = [], {}
    changed = numpy.flatnonzero((dark[1:] != dark[:-1]).any(axis=1)) + 1  # a row like the one above changes nothing
    for y in changed:
        row = dark[y]
        runs = set()
        for x0 in numpy.flatnonzero(row[:-1] & ~row[1:]) + 1:
            ink = numpy.flatnonzero(row[x0:])
            if ink.size and ink[0] >= min_width:
                runs.add((int(x0), int(x0 + ink[0])))
        for run in [r for r in open_runs if r not in runs]:
            top = open_runs.pop(run)
            if dark[y, run[0] : run[1]].mean() >= 0.9:
                cells.append((run[0], top, run[1] - run[0], y - top))
        for run in runs - set(open_runs):
            if dark[y - 1, run[0] : run[1]].mean() >= 0.9:
                open_runs[run] = y
    return cells


class Blocks(HTMLParser):
    """pdftotext -bbox-layout's pages: per page, its text blocks as (yMin, xMin, first word)."""

    def __init__(self, text: str):
        super().__init__()
        self.pages, self.block, self.in_word = [], None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "page":
            self.pages.append([])
        elif tag == "block":
            self.block = (float(attrs["ymin"]), float(attrs["xmin"]))
        elif tag == "word" and self.block:
            self.in_word = True

    def handle_data(self, data):
        if self.block and self.in_word and data.strip():  # a block's first word
            self.pages[-1].append((*self.block, data.strip()))
            self.block, self.in_word = None, False


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [BIDI_MARKS.sub("", page) for page in text.split("\f")[:-1]]


def sheets(built, fmt) -> Path:
    if fmt not in built:
        pytest.skip(f"no engine for --format {fmt}")
    return built[fmt] / "sheets.pdf"


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "tex"])
def test_every_blank_cell_has_room_to_write_and_nothing_passes_the_right_margin(built, fmt):
    pages = rasterised(sheets(built, fmt))
    line, number = LINE_PT * DPI / 72, 2 * 11 * DPI / 72  # a line high; two em: a number of up to 3 digits
    margin = MARGIN_MM / 25.4 * DPI
    blanks = 0
    for n, page in enumerate(pages, start=1):
        cells = blank_cells(page)
        blanks += len(cells)
        cramped = [c for c in cells if c[3] < line or c[2] < number]
        assert not cramped, f"page {n}: blank cells (x, y, width, height in px at {DPI} dpi) too small: {cramped}"
        ink = (page < 200).any(axis=0).nonzero()[0]
        assert ink.size == 0 or ink.max() <= page.shape[1] - margin + 2, f"page {n}: ink at x={ink.max()} px"
    assert blanks > 30 * 6  # every student's sheet has cells and boxes to write in


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "tex"])
def test_every_student_starts_on_the_front_of_a_sheet_of_paper(built, fmt):
    texts = page_texts(sheets(built, fmt))
    firsts = [n for n, text in enumerate(texts, start=1) if re.search(r"page 1 of \d+", text)]
    assert len(firsts) == len(STUDENTS) and len(texts) % 2 == 0
    assert all(n % 2 == 1 for n in firsts), firsts  # duplex: each front page on the front of a sheet
    for n, (student_id, _) in zip(firsts, STUDENTS):
        assert f"ID: {student_id}" in texts[n - 1]
    if fmt == "pdf":  # each student's own PDF is their pages of the duplex file, less the padding
        for (student_id, _), n, following in zip(STUDENTS, firsts, firsts[1:] + [len(texts) + 1]):
            own = page_texts(next((built["pdf"] / "students").glob(f"*-{student_id}.pdf")))
            assert len(own) in (following - n, following - n - 1) and own[0] == texts[n - 1]


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "tex"])
def test_every_name_prints_in_its_own_script(built, fmt):
    text = " ".join(" ".join(page.split()) for page in page_texts(sheets(built, fmt)))
    for name in ARABIC + CHINESE + HOSTILE[:3]:  # the long one wraps in its box
        assert name in text or " ".join(reversed(name.split())) in text, name
    fonts = subprocess.run(["pdffonts", str(sheets(built, fmt))], capture_output=True, text=True).stdout
    assert "Type 3" not in fonts  # no bitmap fallback: every font is a real one, embedded


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "tex"])
def test_a_question_never_splits_from_its_table_or_grids(built, fmt):
    """Every page but a front page or a blank one starts, under its header, with a question's number."""
    path = sheets(built, fmt)
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    texts = page_texts(path)
    for n, (blocks, text) in enumerate(zip(Blocks(layout).pages, texts), start=1):
        body = sorted(b for b in blocks if b[0] > 55)  # under the running header
        if "Instructions" in text or not body:
            continue
        assert re.fullmatch(r"\d+\.", body[0][2]), f"page {n} starts with {body[0][2]!r}, not a question"


def test_the_same_roster_gives_the_same_bytes_in_another_process(tmp_path):
    engines = [fmt for fmt, tool in (("pdf", "chromium"), ("tex", "lualatex")) if shutil.which(tool)]
    if not engines:
        pytest.skip("neither Chromium nor LuaLaTeX is installed")
    roster = write_roster(tmp_path / "class.csv", STUDENTS[:2])
    for fmt in engines:
        runs = []
        for run in ("a", "b"):
            extra = ["--per-student"] if fmt == "pdf" else []
            done = convzoo(
                "--roster",
                str(roster),
                "--secret",
                "s",
                "-n",
                "2",
                "--kinds",
                "network_table,max_pool",
                "--format",
                fmt,
                "--out",
                str(tmp_path / f"{fmt}-{run}"),
                *extra,
            )
            assert done.returncode == 0, done.stderr
            runs.append(
                {
                    p.relative_to(tmp_path / f"{fmt}-{run}"): p.read_bytes()
                    for p in (tmp_path / f"{fmt}-{run}").rglob("*")
                    if p.is_file()
                }
            )
        # sheets, keys, roster-key.csv, quiz.json, answers-template.csv and answers-by-sheet.csv, and the marking
        # key and the students' PDFs, or the .tex files
        assert runs[0] == runs[1] and len(runs[0]) == (7 + 2 if fmt == "pdf" else 8)


def test_the_html_sheet_has_a_front_page_answer_boxes_and_headers_that_escape_names(tmp_path, capsys):
    roster = write_roster(tmp_path / "class.csv", [("s1", HOSTILE[2]), ("s2", ARABIC[0])])
    status = cli.main(
        [
            "quiz",
            "--roster",
            str(roster),
            "--secret",
            "s",
            "-n",
            "4",
            "--kinds",
            KINDS,
            "--format",
            "html",
            "--out",
            str(tmp_path / "out"),
            "--course",
            "CS396",
            "--paper",
            "letter",
        ]
    )
    assert status == 0, capsys.readouterr().err
    page = (tmp_path / "out" / "sheets.html").read_text(encoding="utf-8")
    style = page[page.index("<style>") + len("<style>") : page.index("</style>")]
    assert "size: letter" in style and "<" not in style and "counter(pages)" in style
    assert page.count('class="front"') == 2 and page.count("<h2>Instructions</h2>") == 2
    assert page.count('class="scores"') == 2 and 'class="box"' in page


def test_per_student_needs_a_roster_and_pdf(capsys, tmp_path):
    status = cli.main(["quiz", "--per-student", "--format", "pdf", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "--roster" in err and not (tmp_path / "x").exists()


def test_tex_without_lualatex_is_refused_before_any_output(capsys, tmp_path, monkeypatch):
    from convzoo.questions import latex

    monkeypatch.setattr(latex, "ENGINE", "no-such-lualatex")
    status = cli.main(["quiz", "--format", "tex", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "apt-get install texlive-luatex" in err
    assert not (tmp_path / "x").exists()


@needs_lualatex
def test_a_latex_failure_is_exit_1_with_the_engines_first_error(capsys, tmp_path, monkeypatch):
    from convzoo.templates import environment

    monkeypatch.setitem(environment().filters, "tex", str)  # a title that reaches LaTeX unescaped
    status = cli.main(
        [
            "quiz",
            "-n",
            "1",
            "--kinds",
            "layer_params",
            "--format",
            "tex",
            "--title",
            r"\nosuchmacro",
            "--out",
            str(tmp_path),
        ]
    )
    out, err = capsys.readouterr()
    assert status == 1 and out == "" and err.count("\n") == 1, err
    assert "Undefined control sequence" in err and "sheets.tex" in err
    assert list(tmp_path.iterdir()) == []


@needs_chromium
def test_a_long_temporary_folder_path_still_prints(tmp_path):
    """Chromium's sockets go in the print's temporary folder; under a long TMPDIR (macOS's /var/folders/...) their
    paths would pass a Unix socket's 107 bytes and Chromium would abort."""
    long_tmp = Path(tempfile.mkdtemp(prefix="convzoo-" + "x" * 40, dir="/tmp"))
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "convzoo",
                "quiz",
                "--count",
                "1",
                "--format",
                "pdf",
                "--out",
                str(tmp_path / "exam"),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "TMPDIR": str(long_tmp)},
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "exam" / "sheets.pdf").read_bytes().startswith(b"%PDF")
        assert list(long_tmp.iterdir()) == []  # nothing left where the user's TMPDIR points
    finally:
        shutil.rmtree(long_tmp, ignore_errors=True)
