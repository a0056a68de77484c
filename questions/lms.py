"""What an LMS needs to grade a question: its blanks (questions/answers.py: a number, accepted spellings, a
choice), and the question text with a place for each blank. Moodle XML, GIFT and Canvas QTI are written from these.

How a question is asked follows its kind's answer form, never its answer: a single blank becomes the LMS's
numerical or short-answer type by the blank's type; a table, a map or a list of strides becomes a cloze /
fill-in-multiple-blanks question; with --mc, a multiple-choice question whose wrong options carry the named
mistake as feedback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..templates import gift_escape
from ..zoo.grid import number_text
from .answers import Blank, Blanked
from .core import blanked, kinds
from .parallel import in_batches
from .quiz import DEFAULT_TITLE, Question, Version
from .views import grid_views, table_view


def moodle_texts(part: Blank) -> list[str]:
    """A short answer's spellings as Moodle matches them: '*' is its wildcard (qtype_shortanswer_question::
    compare_string_with_wildcard, question/type/shortanswer/question.php:98-121), a literal one is '\\*'."""
    return [t.replace("*", "\\*") for t in part.texts]


def moodle_width(part: Blank) -> int:
    """The length Moodle sizes a cloze blank's input by: its longest answer as stored (a numerical answer as the
    number it reads, question/type/multianswer/renderer.php:298-303)."""
    if part.lms_type == "number":
        return len(number_text(part.number))
    return max((len(t) for t in moodle_texts(part)), default=0) if part.lms_type == "text" else 0


def moodle_token(part: Blank, width: int = 0) -> str:
    """A cloze (multianswer) blank: {1:NUMERICAL:=32:0}, {1:SHORTANSWER:=a~=b}, {1:MULTICHOICE:=a~b}. ``width``:
    Moodle sizes a blank's input to its longest answer, which would tell a 3 from a -0.25; a 0% answer of that
    many characters (nines, or underscores), where the blank's own answers are shorter, makes every blank of a
    question as wide as its widest (and, longer than the key, it is never the key; Moodle stores nines as the
    whole number they are, of as many digits, up to 18 of them: far wider than any answer)."""
    width = width if width > moodle_width(part) else 0
    if part.lms_type == "number":
        filler = f"~%0%{'9' * width}:0" if width else ""
        return f"{{1:NUMERICAL:={number_text(part.number)}:{number_text(part.tolerance)}{filler}}}"
    if part.lms_type == "choice":
        return (
            "{1:MULTICHOICE:"
            + "~".join(("=" if o == part.correct else "") + cloze_escape(o) for o in part.options)
            + "}"
        )
    filler = f"~%0%{'_' * width}" if width else ""
    return "{1:SHORTANSWER:" + "~".join("=" + cloze_escape(t) for t in moodle_texts(part)) + filler + "}"


def moodle_tokens(parts) -> list[str]:
    """A cloze question's blanks, every one as wide as the widest (moodle_token)."""
    width = max(moodle_width(p) for p in parts)
    return [moodle_token(p, width) for p in parts]


def cloze_escape(text: str) -> str:
    """A cloze answer as Moodle's multianswer parser reads it: it ends an answer at ~ # or }, and turns back
    only \\} and \\# (a backslash before ~ would stay in the text), so ~ is written as the entity &#126;."""
    return text.replace("}", "\\}").replace("#", "\\#").replace("~", "&#126;")


def gift_answer(part: Blank) -> str:
    """The answer block of one part: {#32:0}, {=a =b}, or {=fits ~does not fit}."""
    if part.lms_type == "number":
        return f"#{number_text(part.number)}:{number_text(part.tolerance)}"
    if part.lms_type == "choice":
        return " ".join(("=" if o == part.correct else "~") + gift_escape(o) for o in part.options)
    return " ".join("=" + gift_escape(t) for t in moodle_texts(part))  # GIFT imports into Moodle's short answer


def question_html(question, tokens: list[str] | None = None) -> str:
    """The question's text as HTML, with ``tokens[i]`` in the place of part i where the answer has several
    parts (None: the plain question, blanks left empty)."""
    from markupsafe import Markup

    from ..templates import render

    shape = blanked(question)
    tokens = [Markup(t) for t in tokens] if tokens else None
    cells = shape.cells if tokens else {}
    return render(
        "lms_question.html.j2",
        q=question,
        table_view=table_view,
        grid_views=grid_views,
        cells=cells,
        parts=shape.parts,
        tokens=tokens,
        listed=bool(tokens) and not shape.cells,
        token=lambda where: tokens[cells[where]] if tokens else "",
    )


def _solution_html(steps) -> str:
    from markupsafe import escape

    return f"<pre>{escape(chr(10).join(steps))}</pre>"


def quiz_identity(quiz) -> str:
    """What tells this quiz from every other in an LMS: a digest of its title, seed and content (so of every
    option it was built with). Two different quizzes never share it, even with the same seed and number of
    versions; the same quiz built twice has the same one, so importing it again updates it."""
    import hashlib
    import json

    # the questions alone: an export's identity is what it was before quiz.json recorded how they were drawn
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
    # json.dumps(quiz.to_dict(drawing=False), sort_keys=True, ...), its versions encoded over the cores:
    # '{"seed": ..., "title": ..., "versions": [' + the versions, ', ' between them + ']}' ("versions" sorts last)
    texts = {
        version.version: text
        for batch, done in in_batches(quiz.versions, lambda versions: [encode(v.to_dict(False)) for v in versions])
        for version, text in zip(batch, done)
    }
    digest = hashlib.sha256(encode({**quiz.head(drawing=False), "versions": []})[:-2].encode())
    digest.update(", ".join(texts[version.version] for version in quiz.versions).encode())
    digest.update(b"]}")
    return digest.hexdigest()[:16]


def category_name(title: str) -> str:
    """The quiz's category as Moodle will name it: on one line (a newline would break GIFT's lines), without
    the tags Moodle strips from names, never empty, and never 'top', which Moodle's importer skips below the
    top level (the quiz's questions would land outside their own category)."""
    name = " ".join(re.sub(r"<[^>\s][^>]*>", "", title).split())
    if not name:  # an empty title, or only markup: the default title's category
        return DEFAULT_TITLE
    return f"{name} (quiz)" if name == "top" else name


def category_path(title: str, slot: int, kind: str) -> str:
    """$course$/top/<title>/<slot>, written as Moodle's exporter writes it (question/format.php): a '/' inside
    a name doubled, and a space before a leading or after a trailing '/', which the importer trims again."""
    name = category_name(title).replace("/", "//")
    name = (" " if name.startswith("/") else "") + name + (" " if name.endswith("/") else "")
    return f"$course$/top/{name}/{slot:02d} {kind}"


def gift_category(path: str) -> str:
    """A $CATEGORY: line's text: Moodle's GIFT importer reads it raw but for backslash escapes (a backslash is
    written twice; `\\n` would become a placeholder), and never unescapes : = # ~ { }."""
    return path.replace("\\", "\\\\")


@dataclass(frozen=True)
class Entry:
    """One version's question of a slot, as every export sees it."""

    version: Version
    question: Question
    shape: Blanked
    form: str  # "choices" (--mc), "number" or "text" (one blank), "blanks" (several: cloze, fill-in)


def _form(question) -> str:
    return "choices" if question.choices else kinds()[question.kind].form.lms


def by_slot(quiz) -> list[tuple[Question, list[Entry]]]:
    """(slot 1's question in the first version, every version's entry for slot 1), then slot 2, ...: each export
    gives a slot its own category or question group."""
    slots: dict[int, list[Entry]] = {}
    for version in quiz.versions:
        for q in version.questions:
            shape = blanked(q)
            slots.setdefault(q.slot, []).append(Entry(version, q, shape, _form(q)))
    return [(slots[n][0].question, slots[n]) for n in sorted(slots)]


def item_name(version, question) -> str:
    student = f" {version.student['id']}" if version.student else ""
    return f"{question.id}{student} {question.kind}"


MOODLE_TYPES = {"choices": "multichoice", "number": "numerical", "text": "shortanswer", "blanks": "cloze"}


def _made(slotted: list[tuple[Question, list[Entry]]], make: Callable[[Entry], Any]) -> dict[int, Any]:
    """``make(entry)`` for every entry of the slots, by the entry's id: each question written on its own, over
    the cores for a class's quiz (the batches hold this process's entries, so their ids hold)."""
    entries = [e for _, slot_entries in slotted for e in slot_entries]
    return {
        id(e): made
        for batch, out in in_batches(entries, lambda batch: [make(e) for e in batch])
        for e, made in zip(batch, out)
    }


def _moodle_item(e: Entry, identity: str) -> dict:
    """A version's question as Moodle XML's template writes it."""
    q, part = e.question, e.shape.parts[0]
    tokens = moodle_tokens(e.shape.parts) if e.form == "blanks" else None
    return {
        "type": MOODLE_TYPES[e.form],
        "name": item_name(e.version, q),
        "points": q.points,
        "solution": _solution_html(q.solution),
        "idnumber": f"{identity}-{e.version.version}-{q.slot}",  # unique in its category
        "choices": q.choices,
        "texts": moodle_texts(part),
        "tolerance": number_text(part.tolerance),
        "number": number_text(part.number) if part.number is not None else None,
        "html": question_html(q, tokens),
    }


def moodle_xml(quiz) -> str:
    from markupsafe import escape

    from ..templates import render

    identity, slotted = quiz_identity(quiz), by_slot(quiz)
    items = _made(slotted, lambda e: _moodle_item(e, identity))
    slots = []
    for first, slot_entries in slotted:
        # the description is HTML: the title in it is text, escaped once for HTML (and again, by the template,
        # for XML)
        # Moodle gives a random question's quiz slot a maximum mark of 1 (mod/quiz/classes/structure.php:1687), and
        # a cloze question the sum of its blanks' weights whatever its defaultgrade (its XML importer reads none:
        # question/format/xml/format.php:492-566): the points are said where the teacher sets the slot's mark
        points = f"{first.points} point{'s' if first.points != 1 else ''}"
        info = (
            f"Slot {first.slot} of {escape(category_name(quiz.title))}: one version per question, worth {points} "
            f"(set the quiz slot's maximum mark to {first.points})"
        )
        slots.append(
            {
                "category": category_path(quiz.title, first.slot, first.kind),
                "info": str(info),
                "items": [items[id(e)] for e in slot_entries],
            }
        )
    return render("quiz.moodle.xml.j2", slots=slots)


def _one_line(html: str) -> str:
    return " ".join(html.split())


def _gift_items(e: Entry) -> list[dict]:
    """A version's question as GIFT's template writes it: one item, or one per part where it has several."""
    from markupsafe import escape

    q, name = e.question, item_name(e.version, e.question)
    solution = _one_line(_solution_html(q.solution).replace("\n", "<br>"))
    html = _one_line(question_html(q))
    if e.form == "choices":
        assert q.choices is not None  # _form: "choices" only where the question has them
        answer = " ".join(
            ("=" if c.correct else "~") + gift_escape(c.text) + "#" + gift_escape(c.feedback) for c in q.choices
        )
        return [{"name": name, "html": html, "answer": answer, "solution": solution}]
    if e.form != "blanks":
        return [{"name": name, "html": html, "answer": gift_answer(e.shape.parts[0]), "solution": solution}]
    # one GIFT question per part (GIFT has one answer block per question), whose feedback works out that part
    # alone: the whole solution would give away every other part's answer
    return [
        {
            "name": f"{name} part {n}",
            "answer": gift_answer(part),
            "solution": _one_line(_solution_html(part.working).replace("\n", "<br>")),
            "html": f"{html} <p><b>{escape(part.label)}</b>?</p>",
        }
        for n, part in enumerate(e.shape.parts, start=1)
    ]


def gift(quiz) -> str:
    """GIFT text of the whole quiz (Moodle's and many other LMSs' plain-text question format)."""
    from ..templates import render

    slotted = by_slot(quiz)
    items = _made(slotted, _gift_items)
    slots = [
        {
            "category": gift_category(category_path(quiz.title, first.slot, first.kind)),
            "items": [item for e in entries for item in items[id(e)]],
        }
        for first, entries in slotted
    ]
    versions = len(quiz.versions)
    return render(
        "quiz.gift.j2",
        title=" ".join(quiz.title.split()),
        slots=slots,
        versions=versions,
        count=len(quiz.versions[0].questions),
    )


def qti_zip(quiz) -> bytes:
    """A Canvas-importable QTI 1.2 package: imsmanifest.xml and the assessment, one question group per slot."""
    import io
    import zipfile

    from ..templates import render

    ident = f"convzoo_{quiz_identity(quiz)}"
    slots: list[dict[str, Any]] = []
    for first, entries in by_slot(quiz):
        items = []
        for e in entries:
            q, parts = e.question, e.shape.parts
            item_id = f"{ident}_{e.version.version}_{q.slot}"
            item = {
                "ident": item_id,
                "name": item_name(e.version, q),
                "points": q.points,
                "solution": _solution_html(q.solution),
                "choices": None,
                "answer_ids": None,
                "html": question_html(q),
            }
            if e.form == "choices":
                assert q.choices is not None  # _form: "choices" only where the question has them
                choices = [
                    {"ident": f"{item_id}_c{n}", "text": c.text, "feedback": c.feedback, "correct": c.correct}
                    for n, c in enumerate(q.choices, start=1)
                ]
                item.update(type="multiple_choice_question", choices=choices, answer_ids=[c["ident"] for c in choices])
            elif e.form == "number":
                item.update(
                    type="numerical_question",
                    number=number_text(parts[0].number),
                    low=number_text(parts[0].number - parts[0].tolerance),
                    high=number_text(parts[0].number + parts[0].tolerance),
                )
            elif e.form == "text":
                item.update(type="short_answer_question", texts=parts[0].texts)
            else:
                names = [f"b{n}" for n in range(1, len(parts) + 1)]
                blanks = [
                    {
                        "name": name,
                        "answers": [
                            {"ident": f"{item_id}_{name}_{k}", "text": text}
                            for k, text in enumerate(part.texts, start=1)
                        ],
                    }
                    for name, part in zip(names, parts)
                ]
                item.update(
                    type="fill_in_multiple_blanks_question",
                    blanks=blanks,
                    share=f"{100 / len(names):.2f}",
                    html=question_html(q, [f"[{name}]" for name in names]),
                )
            items.append(item)
        slots.append(
            {
                "ident": f"{ident}_slot{first.slot}",
                "title": f"{first.slot:02d} {first.kind}",
                "points": first.points,
                "items": items,
            }
        )
    points = f"{sum(slot['points'] for slot in slots):.1f}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("imsmanifest.xml", render("qti_manifest.xml.j2", ident=ident, title=quiz.title)),
            (f"{ident}/{ident}.xml", render("qti_assessment.xml.j2", ident=ident, title=quiz.title, slots=slots)),
            (
                f"{ident}/assessment_meta.xml",
                render(
                    "qti_meta.xml.j2",
                    ident=ident,
                    title=quiz.title,
                    points=points,
                    description=f"{len(slots)} questions, one of {len(quiz.versions)} versions each, "
                    "with worked solutions (convzoo)",
                ),
            ),
            ("non_cc_assessments/", ""),
        ):
            info = zipfile.ZipInfo(name, date_time=(2022, 1, 1, 0, 0, 0))  # a fixed date: byte-identical zips
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()
