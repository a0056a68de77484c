"""Regrading: what the examiner changes on the command line, an answer also accepted (``--accept``) or a question
out of every total (``--drop``)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..answers import Unreadable
from .columns import short_label
from .marking import chosen_option
from .quiz_file import AnswersError, GradedQuiz, Sheet

_TARGET = re.compile(r"\s*(?:[Qq](\d+)|([A-Za-z]+):(\d+))(?:\s+(.*?))?\s*")
TARGETS = "a slot as Q7 (its question in every version) or a version's question as B:3 (question 3 on B's sheet)"


def _printed(places: list[tuple[Sheet, int]]) -> str:
    """Questions as their sheets number them, as --accept and --drop name them: 'A:3, B:5, C:2, ...'."""
    return ", ".join(f"{sheet.label}:{index + 1}" for sheet, index in places[:8]) + (", ..." if len(places) > 8 else "")


def _targets(quiz: GradedQuiz, spec: str, option: str) -> tuple[list[tuple[Sheet, int]], str, str | None]:
    """The questions that ``spec`` names, as (sheet, index on it); what they are, in words; the blank named after
    them, if any. 'Q7' is slot 7 in every version (Moodle's question 7), 'B:3' question 3 of version B's sheet."""
    found = _TARGET.fullmatch(spec)
    if not found:
        raise AnswersError(f"{option} '{spec}': name {TARGETS}")
    slot, label, number, blank = found.groups()
    if slot:
        places = [
            (sheet, i) for sheet in quiz.sheets.values() for i, q in enumerate(sheet.questions) if q.slot == int(slot)
        ]
        if not places:
            slots = sorted({q.slot for sheet in quiz.sheets.values() for q in sheet.questions})
            raise AnswersError(f"{option} '{spec}': the quiz has no slot {int(slot)} (slots {slots[0]}-{slots[-1]})")
        return places, f"slot {int(slot)} ({_printed(places)})", blank
    sheet = quiz.sheets.get(label.upper())
    if sheet is None:
        labels = list(quiz.sheets)
        raise AnswersError(
            f"{option} '{spec}': the quiz has no version {label} (versions {labels[0]}"
            f"{'-' + labels[-1] if len(labels) > 1 else ''})"
        )
    if not 1 <= int(number) <= len(sheet.questions):
        raise AnswersError(f"{option} '{spec}': version {sheet.label}'s sheet has questions 1-{len(sheet.questions)}")
    return [(sheet, int(number) - 1)], f"version {sheet.label}'s question {int(number)}", blank


def _blank_index(question, parts, name: str | None, option: str, spec: str, where: str) -> int:
    """Which blank of the question ``name`` names ('row 3 shape', 'blank 2'); the only one where it names none."""
    if name is None:
        if len(parts) == 1 or question.choices:
            return 0
        raise AnswersError(
            f"{option} '{spec}': {where} has {len(parts)} blanks: name one after the question, "
            f"as the answer sheet's columns do ('{short_label(parts[0].label)}' or 'blank 1')"
        )
    wanted = " ".join(name.lower().split())
    place = re.fullmatch(r"blank (\d+)", wanted)
    if place and 1 <= int(place.group(1)) <= len(parts):
        return int(place.group(1)) - 1
    for k, blank in enumerate(parts):
        if wanted in (short_label(blank.label).lower(), blank.label.lower()):
            return k
    raise AnswersError(
        f"{option} '{spec}': {where} has no blank '{name}' (its blanks: "
        f"{', '.join(short_label(b.label) for b in parts[:6])}{', ...' if len(parts) > 6 else ''})"
    )


def regrade(quiz: GradedQuiz, accept: list[str], drop: list[str]) -> GradedQuiz:
    """The quiz with the examiner's changes: each ``accept`` ('Q7=28x28x6', 'B:3 row 2 shape=12x12x6') an answer
    also marked right in the blank it names, read as that blank reads answers (for --mc, an option's letter in a
    version's question); each ``drop`` ('Q7', 'B:3') questions out of every total. Its notes say what changed;
    anything that names no question or cannot be read is refused in one line."""
    sheets = {
        label: replace(sheet, parts=list(sheet.parts), verdicts={}, blank_results={})
        for label, sheet in quiz.sheets.items()
    }
    changed = replace(quiz, sheets=sheets, notes=list(quiz.notes))
    for given in accept:
        spec, equals, typed = given.rpartition("=")
        if not equals or not spec.strip() or not typed.strip():
            raise AnswersError(
                f"--accept '{given}': give the question and the answer to accept, as 'Q7=28x28x6' ({TARGETS})"
            )
        places, what, name = _targets(changed, spec, "--accept")
        for sheet, index in places:
            sheet, where = sheets[sheet.label], _printed([(sheet, index)])
            question, parts = sheet.questions[index], sheet.parts[index]
            k = _blank_index(question, parts, name, "--accept", given, where)
            answer = typed.strip()
            if question.choices:
                text, option = chosen_option(question, answer)
                if (
                    option is not None and text is not None and text != " ".join(answer.split())
                ):  # a letter: one version's option
                    if len(places) > 1:
                        raise AnswersError(
                            f"--accept '{given}': a letter names an option of one version's question;"
                            f" give VERSION:N={answer} (as B:3={answer}) or the option's answer"
                        )
                    answer = text
            try:
                value = parts[k].read(answer)
            except Unreadable as err:
                raise AnswersError(f"--accept '{given}': {where} ({short_label(parts[k].label)}): {err}") from None
            sheet.parts[index] = parts[:k] + (replace(parts[k], accepted=(*parts[k].accepted, value)),) + parts[k + 1 :]
        blank = f", blank '{name}'" if name else ""
        changed.notes.append(f"--accept {given.strip()}: {typed.strip()} is also marked right in {what}{blank}")
    dropped = set(quiz.dropped)
    for given in drop:
        places, what, name = _targets(changed, given, "--drop")
        if name:
            raise AnswersError(f"--drop '{given}': a question is dropped whole; name {TARGETS}")
        dropped.update(sheet.questions[index].id for sheet, index in places)
        changed.notes.append(f"--drop {given.strip()}: {what} is out of every student's total")
    emptied = next((sheet for sheet in sheets.values() if all(q.id in dropped for q in sheet.questions)), None)
    if emptied is not None:
        raise AnswersError(f"--drop {' --drop '.join(drop)}: no question of version {emptied.label} is left to mark")
    changed.dropped = frozenset(dropped)
    return changed
