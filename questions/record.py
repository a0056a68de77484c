"""quiz.json as the quiz's whole record: everything ``grade`` needs, held in the file (each blank's key, type and
named mistakes; points; choices; what the LMS showed), under a digest of the file's content.

``grade`` reads a record without drawing a question again, so a quiz.json graded by a later convzoo is marked
as the convzoo that wrote it would have marked it. The format is versioned (``"record": RECORD``): a later
convzoo reads every earlier record format.

``"mistakes"`` lists each named mistake once, [name, explanation]; a blank's ``"mistakes"`` refer to them by
place. Each question is one line of the file, its values canonical JSON.

The digest (``"digest"``, last in the file):
- ``sha256``: the SHA-256 of the file's content without the digest, as canonical JSON (keys sorted, no spaces,
  UTF-8), so a whitespace-only change (a pretty-printer) keeps it, and any change to a value does not;
- ``fields``, and ``versions`` (one string per version): 4 hex digits of the SHA-256 of each field, in the
  order of TOP_FIELDS, then for each version VERSION_FIELDS and each of its questions QUESTION_FIELDS. They
  only serve to name the first field that differs where ``sha256`` does not match.
It tells an edited file from what convzoo wrote; it is not a signature (anyone with convzoo can write a quiz).
"""

from __future__ import annotations

import hashlib
import json

from ..zoo.errors import ConvzooError
from .answers import BLANK_TYPES, VALUE, Blank, Blanked
from .core import Choice, Wrong, blanked
from .parallel import in_batches

RECORD = 1  # the record's format; bump it (and keep reading the earlier ones) when what a record holds changes
# The fields of record format 1, in the order their digests are written: a file's field digests are read in this
# order, so these lists are part of the format (a new field is a new format).
TOP_FIELDS = ("record", "title", "seed", "syllabus", "networks", "mistakes")
VERSION_FIELDS = ("version", "seed", "student")
QUESTION_FIELDS = (
    "id",
    "slot",
    "kind",
    "prompt",
    "answer",
    "answer_text",
    "solution",
    "spec",
    "points",
    "difficulty",
    "tags",
    "table",
    "data",
    "choices",
    "redraw",
    "grids",
    "blanks",
    "whole_mistakes",
)
FIELD_DIGEST = 4  # hex digits per field: enough to name a field; the whole file's SHA-256 decides

_ABSENT = b""  # not JSON, so a field left out never digests as any value
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _canonical(value) -> str:
    """``value`` as canonical JSON. A whole number is written by its repr, as the encoder writes it, without the
    encoder made for each call (a class's record encodes hundreds of thousands of small values)."""
    return int.__repr__(value) if type(value) is int else _encode(value)


class RecordError(ConvzooError):
    """A quiz.json that cannot be graded as it stands; the message names the file and the field."""


# -- writing ------------------------------------------------------------------------------------------------------


def _value(v):
    return list(v) if isinstance(v, tuple) else v


def blank_record(blank: Blank, cell: tuple | None, named: dict) -> dict:
    """What quiz.json records of a blank: its label, type and key, its tolerance and named mistakes where it has
    them (each as [its answer, its place in ``named``, the quiz's named mistakes]), and its cell in the question's
    table or grid where it has one."""
    out = {"label": blank.label, "type": blank.type.name, "key": _value(blank.key)}
    if blank.tolerance:
        out["tolerance"] = blank.tolerance
    if blank.mistakes:
        out["mistakes"] = [[_value(w.value), named[w.name, w.explanation]] for w in blank.mistakes]
    if cell is not None:
        out["cell"] = list(cell)
    return out


def question_record(question, named: dict) -> dict:
    """What a question adds to quiz.json for grade: its grids (what the LMS showed, to tell its versions apart)
    and its blanks."""
    shape = blanked(question)
    where = {index: cell for cell, index in shape.cells.items()}
    out = {"grids": question.grids} if question.grids is not None else {}
    out["blanks"] = [blank_record(blank, where.get(i), named) for i, blank in enumerate(shape.parts)]
    if shape.wholes:  # a whole map a named mistake makes: [the map, its place in ``named``]
        out["whole_mistakes"] = [[w.value, named[w.name, w.explanation]] for w in shape.wholes]
    return out


def _named(quiz) -> dict[tuple[str, str], int]:
    """Each named mistake of the quiz's blanks, (name, explanation), numbered in the order they first appear."""
    named: dict[tuple[str, str], int] = {}
    for question in quiz.questions:
        shape = blanked(question)
        for wrong in [w for blank in shape.parts for w in blank.mistakes] + list(shape.wholes):
            named.setdefault((wrong.name, wrong.explanation), len(named))
    return named


def _head(quiz, named: dict) -> dict:
    """What the record holds before the versions: ``mistakes`` lists each named mistake once, as [name,
    explanation], and blanks refer to them by place (a class's quiz names the same few thousands of times)."""
    return {"record": RECORD, **quiz.head(), "mistakes": [list(pair) for pair in named]}


def _version_record(version, named: dict) -> dict:
    out = version.to_dict()
    for fields, question in zip(out["questions"], version.questions):
        fields.update(question_record(question, named))
    return out


def document(quiz) -> dict:
    """The quiz as quiz.json records it, without its digest."""
    named = _named(quiz)
    return {**_head(quiz, named), "versions": [_version_record(version, named) for version in quiz.versions]}


def _encoded(fields: dict) -> dict[str, str]:
    """Each field's value as canonical JSON."""
    return {name: _canonical(value) for name, value in fields.items()}


def _field_digests(encoded: dict[str, str], names) -> str:
    return "".join(
        hashlib.sha256(encoded[n].encode() if n in encoded else _ABSENT).hexdigest()[:FIELD_DIGEST] for n in names
    )


def _object(encoded: dict[str, str]) -> str:
    """The canonical JSON of an object whose fields are already encoded (what _canonical gives for the object)."""
    return "{" + ",".join(f"{_canonical(n)}:{encoded[n]}" for n in sorted(encoded)) + "}"


def _sha256(content: dict) -> str:
    return hashlib.sha256(_canonical({k: v for k, v in content.items() if k != "digest"}).encode()).hexdigest()


def _version_json(version, named: dict) -> tuple[str, str, str]:
    """A version as the file lays it out (a question per line), its field digests and its canonical JSON, from
    one encoding of each field."""
    record = _version_record(version, named)
    head = _encoded({name: value for name, value in record.items() if name != "questions"})
    questions = [_encoded(question) for question in record["questions"]]
    digests = _field_digests(head, VERSION_FIELDS) + "".join(_field_digests(q, QUESTION_FIELDS) for q in questions)
    canonical = _object({**head, "questions": "[" + ",".join(map(_object, questions)) + "]"})
    block = f'{{{_inline(head)}, "questions": {_listed([f"{{{_inline(q)}}}" for q in questions], 2)}}}'
    return block, digests, canonical


def quiz_json(quiz) -> str:
    """quiz.json's text (see ``quiz_record``)."""
    return quiz_record(quiz)[0]


def quiz_record(quiz) -> tuple[str, str]:
    """quiz.json's text and the SHA-256 it records (which --scannable's pages carry). The text: the record and its
    digest, one line per question, named mistake and version digest. Within a line, values are canonical JSON
    (keys sorted): the same JSON, however it is laid out. The versions are encoded over the cores where there are
    many (a 1,000-version quiz is written in seconds)."""
    named = _named(quiz)
    head = _head(quiz, named)
    top = _encoded(head)
    by_label: dict[str, tuple[str, str, str]] = {}
    for batch, done in in_batches(quiz.versions, lambda versions: [_version_json(v, named) for v in versions]):
        by_label.update(zip((version.version for version in batch), done))
    blocks, digests, canonical = zip(*(by_label[version.version] for version in quiz.versions))
    whole = _object({**top, "versions": "[" + ",".join(canonical) + "]"})
    digest = {"sha256": hashlib.sha256(whole.encode()).hexdigest(), "fields": _field_digests(top, TOP_FIELDS)}
    lines = [
        f'  "mistakes": {_listed(list(map(_canonical, head["mistakes"])), 1)}'
        if name == "mistakes"
        else f"  {_canonical(name)}: {top[name]}"
        for name in top
    ]
    lines.append(f'  "versions": {_listed(list(blocks), 1)}')
    versions = _listed(list(map(_canonical, digests)), 1)
    lines.append(f'  "digest": {{{_inline(_encoded(digest))}, "versions": {versions}}}')
    return "{\n" + ",\n".join(lines) + "\n}\n", digest["sha256"]


def _inline(encoded: dict[str, str]) -> str:
    return ", ".join(f"{_canonical(name)}: {value}" for name, value in encoded.items())


def _listed(items: list[str], depth: int) -> str:
    """A JSON list, an item per line."""
    inner, outer = "  " * (depth + 1), "  " * depth
    return f"[\n{inner}" + f",\n{inner}".join(items) + f"\n{outer}]" if items else "[]"


# -- checking ----------------------------------------------------------------------------------------------------


def shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _question_at(version: dict, index: int) -> str:
    label = version.get("version") if isinstance(version, dict) else None
    return f"version {label if isinstance(label, str) else '?'}'s question {index + 1}"


def check_digest(content: dict, source: str) -> None:
    """Refuse, naming the first field that differs, a record whose content is not what convzoo wrote."""
    recorded = content.get("digest")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("sha256"), str):
        raise RecordError(f"{source}: its digest is missing or not what convzoo writes; the file was edited")
    if _sha256(content) == recorded["sha256"]:
        return
    edited = (
        "differs from what convzoo wrote: the file was edited after the quiz was made (quiz.json's digest "
        "no longer matches). Change marking with grade --accept or --drop, not in quiz.json"
    )
    extra = next((k for k in content if k not in (*TOP_FIELDS, "versions", "digest")), None)
    if extra is not None:
        raise RecordError(f"{source}: field '{extra}' {edited}")
    first = _first_differing(content, TOP_FIELDS, recorded.get("fields"))
    if first:
        raise RecordError(f"{source}: field '{first}' {edited}")
    versions, digests = content.get("versions"), recorded.get("versions")
    if not isinstance(versions, list) or not isinstance(digests, list) or len(versions) != len(digests):
        raise RecordError(f"{source}: field 'versions' {edited}")
    for version, digests_of in zip(versions, digests):
        if not isinstance(version, dict) or not isinstance(digests_of, str):
            raise RecordError(f"{source}: field 'versions' {edited}")
        where = f"version {version.get('version')!s:.20}"
        extra = next((k for k in version if k not in (*VERSION_FIELDS, "questions")), None)
        if extra is not None:
            raise RecordError(f"{source}: {where}, field '{extra}' {edited}")
        head = len(VERSION_FIELDS) * FIELD_DIGEST
        first = _first_differing(version, VERSION_FIELDS, digests_of[:head])
        if first:
            raise RecordError(f"{source}: {where}, field '{first}' {edited}")
        questions, size = version.get("questions"), len(QUESTION_FIELDS) * FIELD_DIGEST
        if not isinstance(questions, list) or len(questions) * size != len(digests_of) - head:
            raise RecordError(f"{source}: {where}, field 'questions' {edited}")
        for index, question in enumerate(questions):
            at = f"{source}: {_question_at(version, index)}"
            if not isinstance(question, dict):
                raise RecordError(f"{at} {edited}")
            extra = next((k for k in question if k not in QUESTION_FIELDS), None)
            if extra is not None:
                raise RecordError(f"{at}, field '{extra}' {edited}")
            start = head + index * size
            first = _first_differing(question, QUESTION_FIELDS, digests_of[start : start + size])
            if first:
                raise RecordError(f"{at}, field '{first}' {edited}")
    raise RecordError(
        f"{source}: its content does not match its digest (the digest itself was edited); the file "
        "was edited after the quiz was made"
    )


def _first_differing(fields: dict, names, digests) -> str | None:
    """The first of ``names`` whose digest is not the recorded one (all of them where none is recorded)."""
    found = _field_digests(_encoded({n: fields[n] for n in names if n in fields}), names)
    if not isinstance(digests, str) or len(digests) != len(found):
        return names[0]
    return next(
        (
            name
            for n, name in enumerate(names)
            if found[n * FIELD_DIGEST : (n + 1) * FIELD_DIGEST] != digests[n * FIELD_DIGEST : (n + 1) * FIELD_DIGEST]
        ),
        None,
    )


# -- reading -----------------------------------------------------------------------------------------------------


def _blank(entry, at: str, named: list) -> Blank:
    if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
        raise RecordError(f"{at} is {shown(entry)}, not a blank of convzoo's record")
    where = f"{at} ('{entry['label']}')"
    declared = entry.get("type")
    blank_type = BLANK_TYPES.get(declared) if isinstance(declared, str) else None
    if blank_type is None:
        raise RecordError(f"{where}: type {shown(entry.get('type'))} is not one of {', '.join(BLANK_TYPES)}")
    key = entry.get("key")
    if not blank_type.holds(key):
        raise RecordError(f"{where}: key {shown(key)} is not {blank_type.expected}")
    tolerance = entry.get("tolerance", 0)
    if type(tolerance) not in (int, float) or not 0 <= tolerance < 1:
        raise RecordError(f"{where}: tolerance {shown(tolerance)} is not a number from 0 to 1")
    mistakes = entry.get("mistakes", [])
    if not isinstance(mistakes, list) or not all(
        isinstance(m, list) and len(m) == 2 and blank_type.holds(m[0]) and type(m[1]) is int and 0 <= m[1] < len(named)
        for m in mistakes
    ):
        raise RecordError(
            f"{where}: mistakes {shown(mistakes)} are not [answer, the mistake's place in 'mistakes'] pairs"
        )
    return Blank(
        entry["label"],
        blank_type,
        tuple(key) if isinstance(key, list) else key,
        tolerance,
        tuple(Wrong(m[0], *named[m[1]]) for m in mistakes),
    )


def _cell(entry, at: str) -> tuple | None:
    cell = entry.get("cell")
    if cell is None:
        return None
    if not (
        isinstance(cell, list)
        and len(cell) == 3
        and isinstance(cell[0], str)
        and all(type(c) is int and c >= 0 for c in cell[1:])
    ):
        raise RecordError(f"{at}: cell {shown(cell)} is not [grid, row, column]")
    return tuple(cell)


def named_mistakes(entries, source: str) -> list[tuple[str, str]]:
    """The record's named mistakes, [name, explanation] each."""
    if not isinstance(entries, list) or not all(
        isinstance(m, list) and len(m) == 2 and all(isinstance(t, str) for t in m) for m in entries
    ):
        raise RecordError(f"{source}: 'mistakes' is {shown(entries)}, not a list of [name, explanation] pairs")
    return [tuple(m) for m in entries]


def recorded_blanks(question: dict, at: str, named: list) -> Blanked:
    """A question's blanks as its record holds them, and the whole answers its named mistakes make (``named``:
    the record's named mistakes)."""
    entries, wholes = question.get("blanks"), question.get("whole_mistakes", [])
    if not isinstance(entries, list) or not entries:
        raise RecordError(f"{at}, field 'blanks' is {shown(entries)}, not a list of blanks")
    if not isinstance(wholes, list) or not all(
        isinstance(w, list)
        and len(w) == 2
        and isinstance(w[0], list)
        and all(isinstance(row, list) and all(VALUE.holds(v) for v in row) for row in w[0])
        and sum(map(len, w[0])) == len(entries)
        and type(w[1]) is int
        and 0 <= w[1] < len(named)
        for w in wholes
    ):
        raise RecordError(
            f"{at}, field 'whole_mistakes' is {shown(wholes)}, not [a whole answer, the mistake's place "
            "in 'mistakes'] pairs"
        )
    parts, cells = [], {}
    for index, entry in enumerate(entries):
        where = f"{at}, blank {index + 1}"
        parts.append(_blank(entry, where, named))
        cell = _cell(entry, where)
        if cell is not None:
            cells[cell] = index
    return Blanked(tuple(parts), cells, tuple(Wrong(w[0], *named[w[1]]) for w in wholes))


def recorded_choices(entries, at: str) -> list[Choice] | None:
    """A multiple-choice question's options (None for an open question)."""
    if entries is None:
        return None
    if (
        not isinstance(entries, list)
        or not entries
        or not all(
            isinstance(c, dict)
            and isinstance(c.get("text"), str)
            and isinstance(c.get("correct"), bool)
            and isinstance(c.get("feedback"), str)
            for c in entries
        )
        or not any(c["correct"] for c in entries)
    ):
        raise RecordError(
            f"{at}, field 'choices' is {shown(entries)}, not options with text, correct and "
            "feedback, one of them correct"
        )
    return [Choice(c["text"], c["correct"], c["feedback"]) for c in entries]
