"""A class graded from its record to its files, ``convzoo grade``'s one call: the quiz's record read back and
regraded (--accept, --drop), the answers read (typed, or Moodle's Responses) and marked, several attempts made
one grade, and grades.csv, the feedback pages, the report and the LMS grade files written into the report's
folder, all or none (questions/deliver.py's writer). The command reads the named files; this reads no file."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .attempts import ATTEMPTS
from .collector import collector_paused
from .deliver import check_out, write_files
from .grade import (
    GradedQuiz,
    Summary,
    by_student,
    grades_table,
    mark,
    read_answer_file,
    read_csv,
    read_quiz,
    regrade,
    set_absent,
    summarize,
)
from .grade_report import report_files
from .gradebooks import canvas_table, moodle_table, read_emails


@dataclass(frozen=True)
class Named:
    """A file named on the command line, read: its path (as the messages name it) and its content."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Grading:
    """What the examiner asked for: the record (``quiz.json``'s path and text), the answers (typed, or Moodle's
    Responses where ``moodle``), and the options of ``convzoo grade``."""

    record: str
    record_text: str
    answers: Named
    moodle: bool = False
    attempts: str = ATTEMPTS[0]
    secret: str = ""
    absent: tuple[str, ...] = ()
    below: float = 50
    roster: Named | None = None
    accept: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()


def grade_class(grading: Grading, out: str, force: bool = False) -> Summary:
    """Mark the class and write its files into ``out`` (none already there is replaced without ``force``);
    the class's summary."""
    quiz = regrade(
        read_quiz(grading.record_text, grading.record, grading.secret), list(grading.accept), list(grading.drop)
    )
    # a class's answers, marks and pages are millions of small objects, none garbage until the run ends: no
    # collection passes over them while they are made, read or written (each would look at all made so far),
    # in the page workers too
    with collector_paused():
        return _graded(quiz, grading, out, force)


def _graded(quiz: GradedQuiz, grading: Grading, out: str, force: bool) -> Summary:
    """grade_class's work on the quiz read back."""
    path, data = grading.answers.path, grading.answers.data
    heading, identity = None, "ID number"
    if grading.moodle:
        from .moodle_results import read_responses

        students, heading, identity = read_responses(quiz, data, path)
    else:
        students = read_answer_file(quiz, data, path)
    students, away = set_absent(quiz, students, list(grading.absent), path)
    roster = grading.roster
    emails = read_emails(read_csv(roster.data, roster.path), roster.path, [s.id for s in students]) if roster else None
    results = by_student([mark(student, quiz.dropped) for student in students], grading.attempts, path)
    tables = [
        grades_table(results, away, heading),
        moodle_table(results, quiz.title, identity, emails),
        canvas_table(results, quiz.title, identity, emails),
    ]
    done: list[Summary] = []

    def summary() -> Summary:  # worked out here while the workers write the pages
        done.append(summarize(results, away, grading.below, quiz.notes))
        return done[0]

    names, write = report_files(quiz.title, results, os.path.basename(path), tables, grading.below, summary)
    check_out(out, names, force)
    write_files(out, {}, (names, write))
    return done[0]
