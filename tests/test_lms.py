"""Into the instructor's LMS and onto paper: per-student versions from a roster, Moodle XML, GIFT, Canvas QTI, PDF."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import cli

HOSTILE = "<b>&</b> 100% {a:b} ~ = # \\ $x$"


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(f'id,name,email\ns001,"{HOSTILE}",a@example.org\ns002,Ada Lovelace,b@example.org\n',
                    encoding="utf-8")
    return path


def quiz(capsys, *argv) -> tuple[int, str, str]:
    status = cli.main(["quiz", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_a_roster_gives_each_student_a_version_and_a_roster_key(capsys, tmp_path, roster):
    status, out, err = quiz(capsys, "--roster", str(roster), "--secret", "s3cret", "--format", "json", "-n", "4",
                            "--out", str(tmp_path / "q"))
    assert status == 0 and err == ""
    document = json.loads((tmp_path / "q" / "quiz.json").read_text(encoding="utf-8"))
    assert [v["student"] for v in document["versions"]] == [{"id": "s001", "name": HOSTILE},
                                                            {"id": "s002", "name": "Ada Lovelace"}]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "q" / "roster-key.csv").read_text(encoding="utf-8"))))
    assert [(r["id"], r["name"], r["version"]) for r in rows] == [("s001", HOSTILE, "A"), ("s002", "Ada Lovelace", "B")]
    for row, version in zip(rows, document["versions"]):  # the answers as numbered on the student's own sheet
        assert [row[str(n)] for n in range(1, 5)] == [q["answer_text"] for q in version["questions"]]


def test_same_roster_and_secret_give_the_same_files_another_secret_other_versions(capsys, tmp_path, roster):
    def run(secret, name):
        assert quiz(capsys, "--roster", str(roster), "--secret", secret, "--format", "json", "-n", "6",
                    "--out", str(tmp_path / name))[0] == 0
        return files(tmp_path / name)

    first = run("one", "a")
    assert run("one", "b") == first
    other = run("two", "c")
    versions = [json.loads(f["quiz.json"])["versions"] for f in (first, other)]
    assert [v["seed"] for v in versions[0]] != [v["seed"] for v in versions[1]]


def test_the_secret_can_come_from_the_environment_and_without_one_there_is_a_warning(capsys, tmp_path, roster,
                                                                                    monkeypatch):
    status, _, err = quiz(capsys, "--roster", str(roster), "--format", "json", "--out", str(tmp_path / "a"))
    assert status == 0 and err.startswith("convzoo: warning: no --secret")
    monkeypatch.setenv("CONVZOO_SECRET", "one")
    status, _, err = quiz(capsys, "--roster", str(roster), "--format", "json", "--out", str(tmp_path / "b"))
    assert status == 0 and err == ""
    assert quiz(capsys, "--roster", str(roster), "--secret", "one", "--format", "json",
                "--out", str(tmp_path / "c"))[0] == 0
    assert files(tmp_path / "b") == files(tmp_path / "c")


@pytest.mark.parametrize("content, message", [
    (b"name,email\nAda,a@b\n", "row 1: no 'id' column"),
    (b"id,name\n7,Ada\n7,Grace\n", "row 3: id '7' is already on row 2"),
    (b"", "the roster is empty"),
    (b"id,name\n", "the roster has a header but no students"),
    (b"id,name\n1,Ada\n2,\xff\xfe\n", "row 3: not UTF-8 text"),
])
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
