"""The templates compiled into the wheel (templates/compiled/, written by its build): the installed package uses
them, they hold the very code Jinja compiles from the source, and they can never give stale output or fail a
command: a template changed, a file cut short or unreadable, or no such folder, and the template is compiled
from its source as it always was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from convzoo import templates

NAMES = sorted(templates.environment().list_templates(extensions=["j2"]))


def compiled_at_run_time(env) -> list[str]:
    """The names of the templates that ``env`` compiles from now on (filled as it does)."""
    names: list[str] = []
    compile_ = env.compile

    def counting(source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return compile_(source, name, filename, *args, **kwargs)

    env.compile = counting
    return names


def test_the_installed_package_uses_every_template_compiled_into_it():
    env = templates.make_environment(templates.HERE, templates.PRECOMPILED)
    compiled = compiled_at_run_time(env)
    for name in NAMES:
        env.get_template(name)
    assert compiled == []
    assert len(list(templates.PRECOMPILED.glob("*.cache"))) == len(NAMES) > 20


def test_the_compiled_code_is_the_code_jinja_compiles_from_the_source():
    env = templates.environment()
    for name in NAMES:
        source, filename, _ = env.loader.get_source(env, name)
        code = env.bytecode_cache.get_bucket(env, name, filename, source).code
        assert code is not None and code == env.compile(source, name, name), name


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the templates with one of the tests' own, compiled as the wheel's build compiles them."""
    copy = tmp_path / "templates"
    shutil.copytree(templates.HERE, copy, ignore=shutil.ignore_patterns("compiled", "__pycache__", "*.py"))
    (copy / "probe.md.j2").write_text("{% for w in words %}first {{ w|md }}\n{% endfor %}", encoding="utf-8")
    templates.precompile(copy, copy / "compiled")
    return copy


def render_probe(folder: Path, compiled: Path | None = None) -> tuple[str, list[str]]:
    env = templates.make_environment(folder, compiled or folder / "compiled")
    names = compiled_at_run_time(env)
    return env.get_template("probe.md.j2").render(words=["a_b", "c"]), names


def test_a_template_changed_after_it_was_compiled_is_compiled_afresh(folder):
    assert render_probe(folder) == ("first a\\_b\nfirst c\n", [])
    (folder / "probe.md.j2").write_text("{% for w in words %}second {{ w }}\n{% endfor %}", encoding="utf-8")
    assert render_probe(folder) == ("second a_b\nsecond c\n", ["probe.md.j2"])


@pytest.mark.parametrize("damage", ["garbage", "cut short", "empty", "a folder"])
def test_a_damaged_compiled_template_is_compiled_from_its_source(folder, damage):
    for path in (folder / "compiled").iterdir():
        data = path.read_bytes()
        path.unlink()
        if damage == "a folder":
            path.mkdir()
        else:
            damaged = {"garbage": b"\x00not jinja" * 50, "cut short": data[: len(data) // 2], "empty": b""}
            path.write_bytes(damaged[damage])
    assert render_probe(folder) == ("first a\\_b\nfirst c\n", ["probe.md.j2"])


def test_no_compiled_folder_or_an_unusable_one_is_no_error_and_nothing_is_written(folder, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    before = sorted(p.name for p in (folder / "compiled").iterdir())
    for compiled in (tmp_path / "missing", a_file):
        assert render_probe(folder, compiled) == ("first a\\_b\nfirst c\n", ["probe.md.j2"])
    assert not (tmp_path / "missing").exists()
    assert sorted(p.name for p in (folder / "compiled").iterdir()) == before  # read only, always
