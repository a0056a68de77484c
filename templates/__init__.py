"""convzoo's Jinja templates: every text, HTML or LaTeX document convzoo writes is rendered from a file here
(but for calc's and zoo summary's plain table, which zoo/report.py lays out, so that calc starts without Jinja).

Escaping is the template's format's own: HTML templates autoescape, LaTeX ones use the ``tex`` filter,
Markdown ones the ``md`` filter.

Compiling a template takes Jinja milliseconds to tens of milliseconds, as long as the rest of a quick command.
So the wheel carries every template compiled: its build (build_hooks/precompile.py) runs ``precompile`` into
``compiled/``, which ``environment()`` reads and never writes. Code there is used only for the very template
source, Jinja, Python and environment it was compiled for; anything else (a checkout, a template changed) is
compiled from the source as it always was, to the same code.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_TEX_PATTERN = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#|~$^])")
# a run of right-to-left words (Arabic, Hebrew, Syriac, Thaana...; the spaces and digits between them included)
_RTL_RUN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc](?:[\s\d\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]*"
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])?"
)


def tex_escape(text) -> str:
    """Plain text made safe for LaTeX (LuaLaTeX, templates/quiz.tex.j2): each special character typeset as
    itself, and each right-to-left run set right to left (a roster's Arabic names)."""
    escaped = _TEX_PATTERN.sub(lambda m: _TEX_SPECIALS[m.group()], str(text))
    return _RTL_RUN.sub(lambda m: r"{\textdir TRT " + m.group() + "}", escaped)


def css_string(text) -> str:
    """Text as a quoted CSS string (a page header's content): every character but letters, digits and spaces
    as a hex escape, so no quote, backslash or '</style>' in a student's name can end it. (The space after each
    escape ends it, and CSS drops it: a space that follows in the text stays.)"""
    from markupsafe import Markup

    return Markup('"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in str(text)) + '"')


def md_escape(text) -> str:
    """Plain text made safe for Markdown: punctuation backslash-escaped, HTML's three specials as entities."""
    text = _MD_PUNCTUATION.sub(r"\\\1", str(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def gift_escape(text) -> str:
    """GIFT text: ~ = # { } : and backslash are written with a backslash before them."""
    return "".join("\\" + c if c in "~=#{}:\\" else c for c in str(text))


def cdata(text):
    """Text as an XML CDATA section, taken as it is by the XML template; ']]>' inside is split across two."""
    from markupsafe import Markup

    return Markup("<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>")


PRECOMPILED = HERE / "compiled"  # every template compiled, when the wheel is built (see precompile)


@cache
def environment():
    """The templates here, read with the code compiled into the wheel where it is there for them."""
    return make_environment(HERE, PRECOMPILED)


def make_environment(templates: Path, compiled: Path):
    """A Jinja environment for the templates in folder ``templates``, reading what ``precompile`` compiled
    into folder ``compiled``."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=_precompiled(compiled),
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, never an empty cell in an answer key
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the package's templates do not change while it runs: no stat of the file per render
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2", "xml", "xml.j2"), default_for_string=False
        ),
    )
    env.filters["tex"] = tex_escape
    env.filters["md"] = md_escape
    env.filters["cdata"] = cdata
    env.filters["gift"] = gift_escape
    env.filters["css_string"] = css_string
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)


def precompile(templates: Path = HERE, compiled: Path = PRECOMPILED) -> list[Path]:
    """Compile every template in folder ``templates`` into folder ``compiled``, where the environment finds it
    (the wheel's build runs this on the package it builds); the files written."""
    env = make_environment(templates, compiled)
    compiled.mkdir(parents=True, exist_ok=True)
    written = []
    for name in env.list_templates(extensions=["j2"]):
        source, _, _ = env.loader.get_source(env, name)
        bucket = env.bytecode_cache.get_bucket(env, name, None, source)
        bucket.code = env.compile(source, name, name)  # named by the template alone: no build folder in the wheel
        written.append(compiled / f"{bucket.key}.cache")
        with open(written[-1], "wb") as handle:
            bucket.write_bytecode(handle)
    return written


def _precompiled(compiled: Path):
    """A Jinja bytecode cache that reads the code in folder ``compiled`` and writes nothing. A template's code
    there is found by its name, this module's source and Jinja's version; Jinja takes it only if it was compiled
    from the same source (a checksum) under the same Python (a magic number). Anything else (no such folder, a
    file unreadable or not for this template) has the template compiled from its source, as without the cache:
    the same code either way."""
    import hashlib

    import jinja2

    try:
        with open(__file__, "rb") as handle:  # the environment's settings and filters: a change misses the cache
            environment_key: str | None = hashlib.sha1(handle.read() + jinja2.__version__.encode()).hexdigest()
    except OSError:  # (a package in a zip): nothing read
        environment_key = None

    class Precompiled(jinja2.BytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return hashlib.sha1(f"{environment_key}|{name}".encode()).hexdigest()

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if environment_key is None:
                return
            try:
                with open(compiled / f"{bucket.key}.cache", "rb") as handle:
                    bucket.load_bytecode(handle)  # left empty if another source or Python made it
            except Exception:  # none there (a checkout), unreadable, cut short: the template is compiled
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            pass  # read only: a template compiled at run time is not kept

    return Precompiled()
