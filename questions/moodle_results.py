"""Moodle's own results: the CSV that a Moodle quiz's Results > Responses report downloads, read back into
convzoo's questions.

Moodle slot N is convzoo slot N (the README's import: one random question per slot's category). Which version
Moodle drew for a student's slot is not in the default download; with "Question text" ticked, each
``Question N`` column holds Moodle's plain-text summary of the question, and the version is the one whose text
shares the most words and numbers with it. Responses are as Moodle summarises them: ``-`` for no answer, a
cloze question's blanks as ``part 1: ...; part 2: ...``, a multiple choice's chosen option by its text.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from .grade import AnswersError, GradedQuiz, Sheet, Student, read_csv

NO_RESPONSE = "-"
# the identity fields a Responses download may show, in the order a student is named by the first one filled in
IDENTITIES = ("ID number", "Email address", "Username")


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"[a-z]+|[0-9]+", text.lower()))


def _question_tokens(question) -> Counter:
    """The words and numbers of the question as imported into Moodle (the Moodle XML's question text)."""
    from .lms import question_html

    return _tokens(re.sub(r"<[^>]+>", " ", question_html(question)).replace("&quot;", '"'))


def _likeness(a: Counter, b: Counter) -> float:
    return sum((a & b).values()) / max(1, sum((a | b).values()))


def _parts(text: str, count: int) -> list[str | None]:
    """A cloze response's blanks: 'part 1: 7x7x1; part 2: ; ...' -> ['7x7x1', None, ...]."""
    found = dict(re.findall(r"part (\d+): (.*?)(?=; part \d+:|$)", text))
    return [found.get(str(k + 1), "").strip() or None for k in range(count)]


def _moment(started: str, completed: str) -> tuple:
    """When an attempt started (then finished), as Moodle writes it in English ('29 November 2026  6:04 AM'),
    to order a student's attempts; () where it cannot be read."""
    try:
        return tuple(datetime.strptime(" ".join(text.split()), "%d %B %Y %I:%M %p") for text in (started, completed))
    except ValueError:
        return ()


def read_responses(quiz: GradedQuiz, data: bytes, source: str) -> tuple[list[Student], str, str]:
    """Every finished attempt's responses, each slot read as the version Moodle drew (a student with several
    attempts has several, each with the moment it started: ``grade.by_student`` makes them one); the header
    of Moodle's grade column ('Grade/10.00'); and the identity column the students are first named by (one of
    IDENTITIES; 'ID number' where the download shows none)."""
    rows = read_csv(data, source)
    header = [c.strip() for c in rows[0]]
    place = {h: at for at, h in enumerate(header)}
    grade_header = next((h for h in header if h.startswith("Grade/")), None)
    slots = sorted({q.slot for sheet in quiz.sheets.values() for q in sheet.questions})
    for what in ("Last name", "First name", *(f"Response {n}" for n in slots)):
        if what not in place:
            raise AnswersError(
                f"{source}, row 1: no '{what}' column: expected the CSV of a Moodle quiz's Results > Responses report"
            )
    extra = [h for h in header if re.fullmatch(r"Response (\d+)", h) and int(h.split()[1]) not in slots]
    if extra:
        raise AnswersError(
            f"{source}, row 1, column {place[extra[0]] + 1} ('{extra[0]}'): the quiz has slots "
            f"{slots[0]}-{slots[-1]}; these responses are for another quiz"
        )
    versions = list(quiz.sheets.values())
    texts_given = all(f"Question {n}" in place for n in slots)
    if len(versions) > 1 and not texts_given:
        raise AnswersError(
            f"{source}: no 'Question N' columns, so which version Moodle drew for each student "
            "cannot be told: download the Responses report with 'Question text' ticked"
        )
    at_slot = {
        n: [q_p for sheet in versions for q_p in zip(sheet.questions, sheet.parts) if q_p[0].slot == n] for n in slots
    }
    tokens = {n: [_question_tokens(q) for q, _ in at_slot[n]] for n in slots} if texts_given else {}
    matched: dict[tuple[int, str], tuple] = {}  # (slot, Moodle's question text) -> the version's question: a
    # class sees the same few texts
    # a student is who Moodle names first: ID number, email, username (a column may be there but empty), or name
    idents = [h for h in IDENTITIES if h in place]
    students, sheets = [], {}
    for number, row in enumerate(rows[1:], start=2):
        cell = lambda h: row[place[h]].strip() if h in place and place[h] < len(row) else ""  # noqa: E731, B023
        if not any(c.strip() for c in row) or cell("Last name") == "Overall average":
            continue
        if "Status" in place and cell("Status") not in ("Finished", ""):
            continue  # an attempt in progress or abandoned has no grade yet
        name = f"{cell('First name')} {cell('Last name')}".strip()
        chosen = []
        for n in slots:
            candidates = at_slot[n]
            if texts_given and len(candidates) > 1:
                text = cell(f"Question {n}")
                if (n, text) not in matched:
                    seen = _tokens(text)
                    scores = [_likeness(seen, known) for known in tokens[n]]
                    best = max(scores)
                    if scores.count(best) > 1 or best < 0.5:
                        raise AnswersError(
                            f"{source}, row {number}, column {place[f'Question {n}'] + 1} "
                            f"('Question {n}'): the question text is none of this quiz's versions"
                        )
                    matched[n, text] = candidates[scores.index(best)]
                chosen.append(matched[n, text])
            else:
                chosen.append(candidates[0])
        texts = []
        for (question, parts), n in zip(chosen, slots):
            response = cell(f"Response {n}")
            if len(parts) > 1 and not question.choices:
                texts.append(_parts(response, len(parts)))
            else:
                texts.append([None if response in ("", NO_RESPONSE) else response])
        label = " ".join(q.id for q, _ in chosen)
        if label not in sheets:  # one per draw: its answers read once for all who drew it
            sheets[label] = Sheet(label, [q for q, _ in chosen], [p for _, p in chosen])
        sheet = sheets[label]
        students.append(
            Student(
                next(filter(None, map(cell, idents)), name),
                name,
                sheet.label,
                texts,
                sheet,
                cell(grade_header) if grade_header else None,
                cell("Started") or None,
                _moment(cell("Started"), cell("Completed")),
            )
        )
    if not students:
        raise AnswersError(f"{source}: no finished attempt")
    named = Counter(s.id for s in students)
    if not idents and max(named.values()) > 1:
        twice = next(name for name, times in named.items() if times > 1)
        raise AnswersError(
            f"{source}: {twice} is on {named[twice]} rows and no ID number, email or username tells "
            "two students of one name from one student's attempts; download the Responses report "
            "with an identity field shown"
        )
    return students, f"Moodle {grade_header}" if grade_header else "Moodle grade", (idents or IDENTITIES)[0]
