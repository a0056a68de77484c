"""convzoo's Jinja templates: every text, HTML or LaTeX document convzoo writes is rendered from a file here.

Escaping is the template's format's own: HTML templates autoescape, LaTeX ones use the ``tex`` filter,
Markdown ones the ``md`` filter.
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


@cache
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE)),
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, never an empty cell in an answer key
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
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
