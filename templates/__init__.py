"""convzoo's Jinja templates: every text, HTML or LMS document convzoo writes is rendered from a file here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE)),
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, never an empty cell in an answer key
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
    )


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
