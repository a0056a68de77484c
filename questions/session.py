"""``convzoo practice``: one question at a time, graded blank by blank, with the likely mistake, hints and the
worked solution. Input and output are passed in (``ask`` and ``say``), so the command line gives it the
terminal and a test can give it anything.

An answer that cannot be read (empty, a word where a number belongs, a map row of the wrong length) is asked
again and costs nothing; ``?`` gives a hint for the blank being asked, ``s`` skips with the answer and the
worked solution; ``q``, Ctrl-C or the end of input end the session with the score.
"""

from __future__ import annotations

from collections.abc import Callable

from .answers import Unreadable
from .practice import check, hint, items, read_item
from .views import grid_views, table_view


class Quit(Exception):
    """q, Ctrl-C or the end of input: stop asking and show the score."""


def question_text(q, number: int, width: int, answer_only: bool = False) -> str:
    """The question as the terminal shows it: the prompt, then its table (headed, rows numbered, the layer
    column wrapped to the terminal's width) or grids; with ``answer_only``, its table filled in from the key."""
    import textwrap

    from ..templates import render

    t = table_view(q, answer_only)
    widths, lines = [], []
    if t:
        texts = [[cell["text"] or "___" for cell in row] for row in t["rows"]]
        widths = [max(len(c) for c in [column, *(row[i] for row in texts)]) for i, column in enumerate(t["columns"])]
        # the layer column gives way: what the other columns, the row numbers and the gaps leave of the width
        widths[0] = max(12, min(widths[0], width - 1 - 7 - sum(w + 2 for w in widths[1:])))

        def line(number: str, cells: list[str]) -> str:
            return ("   " + number.rjust(3) + " " + "  ".join(c.ljust(w) for c, w in zip(cells, widths))).rstrip()

        lines.append(line("row", t["columns"]))
        for n, row in enumerate(texts, start=1):
            for k, part in enumerate(textwrap.wrap(row[0], widths[0]) or [""]):
                lines.append(line(str(n) if k == 0 else "", [part, *(row[1:] if k == 0 else [""] * len(row[1:]))]))
    cells = [text for g in grid_views(q, False) for row in g["rows"] for text, _ in row]
    return render(
        "practice_question.txt.j2",
        q=q,
        number=number,
        table=t,
        lines=lines,
        grid_views=grid_views,
        widths=widths,
        width=width,
        cell_width=max((len(c) for c in cells), default=1) + 2,
        answer_only=answer_only,
    )


def _answer(q, width: int) -> str:
    """The key as the student reads it: a table as a table, anything else as text."""
    if q.table is not None and len(items(q)) > 1:
        return "\n" + question_text(q, 0, width, answer_only=True).rstrip("\n")
    return q.answer_text


def _solution(q, say) -> None:
    say("  worked solution:")
    for step in q.solution:
        say(f"    {step}")
    say("")


def ask_question(q, number: int, ask: Callable[[str], str], say: Callable[[str], None], width: int = 80):
    """Ask one question; its Verdict, or None when skipped."""
    say(question_text(q, number, width).rstrip("\n"))
    typed_items = []
    for item in items(q):
        while True:
            typed = ask(f"  {item[0]} (? hint, s skip, q quit) ")
            command = typed.strip().lower()
            if command in ("q", "quit", "exit"):
                raise Quit
            if command == "?":
                say(f"  hint: {hint(q, item)}")
                continue
            if command == "s":
                say(f"  skipped. The answer: {_answer(q, width)}")
                _solution(q, say)
                return None
            try:
                read_item(q, item, typed)
            except Unreadable as err:
                say(f"  {err}; try again")
                continue
            typed_items.append(typed)
            break
    verdict = check(q, typed_items)
    if verdict:
        say("  correct!")
    elif len(verdict.blanks) == 1:
        say(f"  not quite. The answer: {q.answer_text}")
        if verdict.mistake:
            say(f"  likely mistake: {verdict.mistake.described}")
    else:
        right = sum(b.right for b in verdict.blanks)
        say(f"  not quite: {right} of {len(verdict.blanks)} blanks right. The answer: {_answer(q, width)}")
        for b in verdict.blanks:
            if not b.right:
                mistake = f"; likely mistake: {b.mistake.described}" if b.mistake else ""
                say(f"    {b.label}: you wrote {b.typed.strip()}, the answer is {b.answer}{mistake}")
    _solution(q, say)
    return verdict


def run(
    questions,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    width: int = 80,
    answered: Callable[[object, object], None] | None = None,
) -> dict:
    """Ask the questions in turn; {kind: [points, asked]}, points being the share of blanks right.
    ``answered(question, verdict)`` is told of each question as it is answered (its Verdict; None: skipped)."""
    score: dict[str, list] = {}
    try:
        for number, q in enumerate(questions, start=1):
            verdict = ask_question(q, number, ask, say, width)
            if answered is not None:
                answered(q, verdict)
            tally = score.setdefault(q.kind, [0, 0])
            tally[0] += verdict.score if verdict is not None else 0  # a wrong Verdict is false, yet scores
            tally[1] += 1
    except Quit:
        pass
    return score


def score_lines(score: dict) -> list[str]:
    def points(value) -> str:
        return f"{value:.2f}".rstrip("0").rstrip(".")

    asked = sum(t[1] for t in score.values())
    right = sum(t[0] for t in score.values())
    return [f"score: {points(right)} of {asked}"] + [
        f"  {kind}: {points(good)} of {total}" for kind, (good, total) in sorted(score.items())
    ]
