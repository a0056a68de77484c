"""Moodle's grading methods for a student's several attempts at a quiz (mod/quiz: QUIZ_GRADEHIGHEST,
QUIZ_ATTEMPTFIRST, QUIZ_ATTEMPTLAST, QUIZ_GRADEAVERAGE): the highest grade of the finished attempts, the first's,
the last's, or their mean. The first is Moodle's default. A module of its own, so that ``grade --attempts``
offers them without loading the marker when the command line starts."""

ATTEMPTS = ("highest", "first", "last", "mean")
