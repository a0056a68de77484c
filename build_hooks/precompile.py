"""The wheel's build_py (pyproject.toml's cmdclass): setuptools' own, then every template compiled into the
built package's ``templates/compiled/`` (templates/__init__.py's ``precompile``), so that a command does not
compile its templates each time it starts.

Not part of the package: setuptools loads this file to build it. Without Jinja at hand the wheel is built
without the compiled templates, and works as a checkout does, compiling each template when it is first used.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        self._precompiled = [] if self.editable_mode else self._precompile()

    def _precompile(self) -> list[str]:
        templates = Path(self.build_lib, "convzoo", "templates")
        shutil.rmtree(templates / "compiled", ignore_errors=True)  # an earlier build's: never shipped
        if importlib.util.find_spec("jinja2") is None:
            self.warn("jinja2 is not importable here: the templates will be compiled when a command uses them")
            return []
        spec = importlib.util.spec_from_file_location("_convzoo_templates", templates / "__init__.py")
        assert spec is not None and spec.loader is not None  # a .py file always has a spec and a loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return [os.fspath(path) for path in module.precompile(templates, templates / "compiled")]

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *getattr(self, "_precompiled", [])]
