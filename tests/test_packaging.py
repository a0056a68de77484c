"""`pip install .` gives a working `convzoo` from any directory, templates included."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out),
         str(ROOT)],
        check=True, capture_output=True, cwd=out,
    )
    (built,) = out.glob("convzoo-*.whl")
    return built


def test_the_wheel_carries_the_code_the_templates_and_the_command(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("cli.py", "zoo/engine.py", "zoo/models/lenet.py", "questions/__init__.py",
                   "templates/summary.txt.j2"):
        assert needed in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "convzoo = cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not any(n.startswith("tests/") for n in names)


def test_installed_convzoo_runs_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    script = target / "bin" / "convzoo"
    run = subprocess.run([sys.executable, str(script), "zoo", "summary", "lenet5", "--no-steps"],
                         cwd=elsewhere, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Total params: 61,706" in run.stdout
    where = subprocess.run([sys.executable, "-c", "import templates; print(templates.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert where.stdout.startswith(str(target))  # the installed copy, not the checkout
