"""Marking what students answered, by job:

- ``quiz_file``: the quiz as graded, read back from ``quiz.json`` (or taken from a freshly drawn quiz);
- ``columns``: the answer sheet's columns (the answers template and the answers form);
- ``answer_files``: the students' answers read from those files (Moodle's Responses: ``moodle_results``);
- ``marking``: verdicts, points with partial credit, named mistakes, Moodle's attempts made one grade;
- ``regrading``: what the examiner changes on the command line (``--accept``, ``--drop``);
- ``summary``: the class's statistics;
- ``tables``: grades.csv, a file with a row per student (the LMS gradebooks are laid out the same way).

Pure functions and plain data: reading files lives at the command line's edge (``commands/grade.py``), the
report in ``questions/grade_report.py``, and writing it in ``questions/deliver.py``. The names the command and
the reports use are here.
"""

from .answer_files import Student, read_answer_file, read_answers, read_csv, read_form, set_absent
from .columns import FORM, TEMPLATE, answers_form, answers_template, question_columns, sheet_blanks, short_label
from .marking import Marked, Result, by_student, mark
from .quiz_file import AnswersError, GradedQuiz, Sheet, graded_from_drawn, read_quiz
from .regrading import regrade
from .summary import Summary, feedback_name, points_text, state_of, summarize
from .tables import StudentTable, grades_table

__all__ = [
    "FORM",
    "TEMPLATE",
    "AnswersError",
    "GradedQuiz",
    "Marked",
    "Result",
    "Sheet",
    "Student",
    "StudentTable",
    "Summary",
    "answers_form",
    "answers_template",
    "by_student",
    "feedback_name",
    "grades_table",
    "graded_from_drawn",
    "mark",
    "points_text",
    "question_columns",
    "read_answer_file",
    "read_answers",
    "read_csv",
    "read_form",
    "read_quiz",
    "regrade",
    "set_absent",
    "sheet_blanks",
    "short_label",
    "state_of",
    "summarize",
]
