"""What `pip install .` gives a user: one package, `convzoo`, that works from any folder, even one holding files
named like its parts (questions.py, zoo.py, cli.py, templates/).

The wheel is built from the checkout and installed into a fresh target without the checkout on the path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

FORMATS = ("md", "html", "tex", "json", "moodle", "gift", "qti", "selftest", "pdf")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (built,) = out.glob("convzoo-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(environment, console script, an unrelated folder full of look-alikes) for the installed wheel."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path_factory.mktemp("notebook")
    for name in ("questions.py", "zoo.py", "cli.py"):
        (elsewhere / name).write_text("raise SystemExit('the wrong module was imported')\n")
    (elsewhere / "templates").mkdir()
    (elsewhere / "templates" / "__init__.py").write_text("raise SystemExit('the wrong templates were imported')\n")
    # the installed copy and its dependencies, never the checkout
    path = os.pathsep.join([str(target), *[p for p in sys.path if "site-packages" in p]])
    env = {**os.environ, "PYTHONPATH": path}
    return env, target / "bin" / "convzoo", elsewhere


def test_the_wheel_holds_one_package_with_every_folder_and_template_of_the_checkout(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"convzoo"}
    code = [*ROOT.glob("*.py"), *(p for part in ("zoo", "questions", "templates") for p in (ROOT / part).rglob("*"))]
    for path in code:
        if path.is_file() and path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
            assert f"convzoo/{path.relative_to(ROOT).as_posix()}" in names, path
    templates = [p for p in (ROOT / "templates").iterdir() if p.suffix == ".j2"]
    compiled = [n for n in names if n.startswith("convzoo/templates/compiled/") and n.endswith(".cache")]
    assert len(compiled) == len(templates)  # each compiled by the build (templates/__init__.py's precompile)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "convzoo = convzoo.__main__:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _run(installed, *argv, stdin: str = "", module: bool = False) -> subprocess.CompletedProcess:
    env, script, elsewhere = installed
    command = [sys.executable, "-m", "convzoo"] if module else [sys.executable, str(script)]
    return subprocess.run(
        [*command, *argv], cwd=elsewhere, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--version"], "convzoo, version"),
        (["calc", "input 32x32x3, conv 10 5x5 stride 1 pad 2"], "params = (F*F*D1 + 1)*K = (5*5*3 + 1)*10 = 760"),
        (["convolve", "--input", "0 0 0; 0 105 102; 0 103 99", "--kernel", "0 -1 0; -1 5 -1; 0 -1 0"], "320"),
        (["pool", "--input", "3 -1 -3 -1; -3 1 0 -3; -3 -3 0 1; 3 -2 -2 -1", "--size", "2"], "3 0\n3 1"),
        (["zoo", "list"], "lenet5"),
        (["zoo", "summary", "lenet5", "--no-steps"], "Total params: 61,706"),
        (["quiz", "--count", "3"], "answer key"),
        (["quiz", "--count", "3", "--format", "json"], '"versions"'),
        (["practice", "--seed", "1", "--count", "2"], "score: "),
    ],
)
def test_installed_commands_run_from_an_unrelated_folder(installed, argv, expected):
    done = _run(installed, *argv, stdin="0\n0\n")
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
    assert "the wrong" not in done.stdout + done.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_installed_quiz_writes_every_format(installed, fmt, tmp_path):
    if fmt == "pdf" and not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")):
        pytest.skip("no Chromium to print the PDF with (.ci/run installs it)")
    if fmt == "tex" and not shutil.which("lualatex"):
        pytest.skip("no LuaLaTeX to typeset the sheets with (.ci/run installs it)")
    done = _run(installed, "quiz", "--count", "3", "--versions", "2", "--format", fmt, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    written = [p for p in tmp_path.iterdir() if p.is_file()]
    assert written and all(p.stat().st_size > 200 for p in written)


def test_python_m_convzoo(installed):
    done = _run(installed, "--help", module=True)
    assert done.returncode == 0, done.stderr
    assert "convzoo quiz" in done.stdout
    assert _run(installed, "calc", "input 7x7, conv 1 9x9", module=True).returncode == 2


def test_the_installed_package_is_imported_not_the_folders_look_alikes(installed):
    env, _, elsewhere = installed
    code = "import convzoo, convzoo.templates as t; print(convzoo.__file__); print(t.__file__)"
    done = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert all(line.startswith(env["PYTHONPATH"].split(os.pathsep)[0]) for line in done.stdout.splitlines())


def test_python_cli_py_runs_from_a_checkout():
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "calc", "--no-steps", "input 32x32x3, conv 10 5x5"],
        cwd=ROOT.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Total params: 760" in done.stdout
