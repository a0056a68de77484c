"""What ``convzoo grade`` writes: ``grades.csv``, a printable feedback page per student and the class report,
an offline page with its charts inline (matplotlib, imported only here and only when a report is drawn)."""

from __future__ import annotations

import base64
import io
import statistics
from collections.abc import Callable
from typing import cast

from markupsafe import Markup

from ..zoo.errors import ConvzooError
from .choices import LETTERS
from .deliver import save
from .grade import Result, StudentTable, Summary, feedback_name, points_text, short_label, state_of

BINS = 10  # the score distribution in steps of 10%


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})  # no version: the same bytes
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def charts(summary: Summary) -> dict[str, str]:
    """The report's pictures as data: URLs: the score distribution, each slot's facility and discrimination,
    the most frequent misconceptions."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    from matplotlib.figure import Figure

    out = {}
    figure = Figure(figsize=(6.4, 2.8))
    axes = figure.subplots()
    axes.hist(summary.percents, bins=[10 * b for b in range(BINS + 1)], color="#4a78b0", edgecolor="white")
    axes.axvline(summary.mean, color="#c0392b", linestyle="--", label=f"mean {summary.mean:.1f}%")
    axes.set_xlabel("score (%)")
    axes.set_ylabel("students")
    _whole_ticks(axes.yaxis)
    axes.legend(frameon=False)
    figure.tight_layout()
    out["distribution"] = _png(figure)

    figure = Figure(figsize=(6.4, 0.6 + 0.35 * len(summary.slots)))
    axes = figure.subplots()
    labels = [f"Q{s.printed} {s.kind}" if len(s.numbers) == 1 else s.kind for s in summary.slots][::-1]
    y = range(len(labels))
    axes.barh(
        [i + 0.2 for i in y], [s.facility for s in summary.slots][::-1], height=0.4, color="#4a78b0", label="facility"
    )
    axes.barh(
        [i - 0.2 for i in y],
        [s.discrimination or 0 for s in summary.slots][::-1],
        height=0.4,
        color="#e59a3a",
        label="discrimination",
    )
    axes.set_yticks(list(y), labels)
    axes.set_xlim(min(0, *(s.discrimination or 0 for s in summary.slots)), 100)
    axes.set_xlabel("%")
    axes.legend(frameon=False, loc="lower right", fontsize="small")
    figure.tight_layout()
    out["questions"] = _png(figure)

    top = summary.misconceptions[:10][::-1]
    if top:
        figure = Figure(figsize=(6.4, 0.6 + 0.32 * len(top)))
        axes = figure.subplots()
        axes.barh(range(len(top)), [m.students for m in top], color="#c0392b")
        axes.set_yticks(range(len(top)), [m.name for m in top])
        axes.set_xlabel("students")
        _whole_ticks(axes.xaxis)
        figure.tight_layout()
        out["misconceptions"] = _png(figure)
    return out


def _whole_ticks(axis) -> None:
    """Ticks at whole numbers only (students are counted), on the axis' own tick locator (a MaxNLocator)."""
    from matplotlib.ticker import MaxNLocator

    cast(MaxNLocator, axis.get_major_locator()).set_params(integer=True)


def _distribution(summary: Summary) -> list[tuple[str, int]]:
    counts = [0] * BINS
    for p in summary.percents:
        counts[min(int(p // 10), BINS - 1)] += 1
    return [(f"{10 * b}-{10 * b + 10}%" if b < BINS - 1 else "90-100%", c) for b, c in enumerate(counts)]


def report_html(
    title: str, summary: Summary, source: str, pictures: dict[str, str], ranked_rows: str, below_rows: str
) -> str:
    """The class report: ``pictures`` its charts (``charts(summary)``), ``ranked_rows`` and ``below_rows`` the rows
    of the students by score and of those below the threshold, each student's from ``student_rows``."""
    from ..templates import render

    percents = summary.percents
    facts = {
        "students": len(percents),
        "mean": summary.mean,
        "median": summary.median,
        "sd": statistics.stdev(percents) if len(percents) > 1 else 0.0,
        "lowest": min(percents),
        "highest": max(percents),
    }
    return render(
        "grade_report.html.j2",
        title=title,
        source=source,
        facts=facts,
        s=summary,
        charts=pictures,
        bins=_distribution(summary),
        points=points_text,
        letters=LETTERS,
        below_rows=Markup(below_rows),
        ranked_rows=Markup(ranked_rows),
    )


def student_rows(results: list[Result], threshold: float) -> list[tuple[str, str]]:
    """Each student's rows of the report's tables: among every student (with their named mistakes), and among
    those below ``threshold`` percent (with the questions they left empty; '' for a student not below)."""
    return [
        (
            _student_row(r, student_mistakes(r)),
            _student_row(r, unanswered(r)) if r.percent < threshold else "",
        )
        for r in results
    ]


def _student_row(result: Result, last: str) -> str:
    """A student's row of the report's tables (every student, and those below the threshold), its last cell
    ``last``: joined here, not by the template, since a large class has a hundred thousand of them."""
    student = result.student
    return (
        f'  <tr><td><a href="{_escaped(feedback_name(student.id))}">{_escaped(student.id)}</a></td>'
        f"<td>{_escaped(student.name)}</td>\n      <td>{_escaped(student.version)}</td>"
        f'<td class="n">{_escaped(points_text(result.total))} / {result.max_points}</td>\n'
        f'      <td class="n">{result.percent:.1f}%</td>\n      <td>{_escaped(last)}</td></tr>\n'
    )


def _escaped(text: str) -> str:
    """``markupsafe.escape(text)`` as a plain string, the same characters replaced the same way, without making
    a Markup of each of a large class's hundreds of thousands of cells."""
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    )


def unanswered(result) -> str:
    """The questions a student left every blank of empty, by their numbers: '3, 7'."""
    return ", ".join(str(m.number) for m in result.marked if all(b.state == "empty" for b in m.verdict.blanks))


def student_mistakes(result) -> str:
    """A student's named mistakes, each with the questions it was made in: 'forgot the bias (Q3, Q7)'."""
    found: dict[str, list[str]] = {}
    for m in result.marked:
        if m.mistakes:  # most marks have none
            for wrong in m.mistakes:
                numbers = found.setdefault(wrong.name, [])
                if f"Q{m.number}" not in numbers:
                    numbers.append(f"Q{m.number}")
    return "; ".join(f"{name} ({', '.join(numbers)})" for name, numbers in found.items())


def feedback_page(title: str, result, parts: dict | None = None) -> bytes:
    """A student's printable feedback page, as UTF-8. ``parts``: the parts of pages already written: each
    question's, by the question and the verdict, and each blank's rows, by what they say (a class gives the same
    few answers, and a part is written once for all who gave the same), a question's text around its points and
    rows (_question_shell), and the page around them (_page_shell); a page is its parts' bytes joined."""
    from markupsafe import Markup, escape

    from ..templates import render

    parts = {} if parts is None else parts

    def rows(blanks) -> Markup:
        many = len(blanks) > 1
        out = []
        for b in blanks:
            text = parts.get((id(b), many))  # a blank's result is one object for all who typed the same
            if text is None:
                said = (
                    "blank",
                    many,
                    b.label,
                    b.state,
                    b.typed,
                    b.answer,
                    b.mistake and b.mistake.described,
                    b.message,
                )
                if said not in parts:
                    parts[said] = render(
                        "grade_feedback_blank.html.j2", b=b, many=many, state=state_of, blank_name=short_label
                    )
                text = parts[id(b), many] = parts[said]
            out.append(text)
        return Markup("".join(out))

    def section(m) -> bytes:
        seen = id(m)  # one Marked for all who typed the same on a sheet; live for the whole run
        text = parts.get(seen)
        if text is None:
            whole = id(m.whole) if m.whole else None
            shape = ("question", id(m.question), m.number, m.dropped, m.verdict.correct, len(m.verdict.blanks), whole)
            if shape not in parts:
                parts[shape] = None if m.question.choices else _question_shell(m)
            shell = parts[shape]
            if shell is None:  # multiple choice: a few options, each written once
                written = render(
                    "grade_feedback_question.html.j2",
                    m=m,
                    points=points_text,
                    state=state_of,
                    letters=LETTERS,
                    rows=rows,
                )
            else:
                values = {"points": escape(points_text(m.points)), "rows": rows(m.verdict.blanks)}
                written = "".join(values[piece] if k % 2 else piece for k, piece in enumerate(shell))
            text = parts[seen] = written.encode("utf-8")
        return text

    if result.attempts:  # a Moodle student's several attempts (a few in a class): the page written in full

        def sections(marked) -> Markup:
            return Markup(b"".join(section(m) for m in marked).decode("utf-8"))

        return render(
            "grade_feedback.html.j2", title=title, r=result, points=points_text, percent=_percent, sections=sections
        ).encode("utf-8")
    student = result.student
    shell = ("page", bool(student.name))
    if shell not in parts:
        parts[shell] = [
            piece if k % 2 else piece.encode("utf-8") for k, piece in enumerate(_page_shell(bool(student.name)))
        ]
    values = {
        "title": escape(title),
        "name": escape(student.name),
        "id": escape(student.id),
        "version": escape(student.version),
        "total": escape(points_text(result.total)),
        "max_points": escape(result.max_points),
        "percent": escape(_percent(result.percent)),
    }
    page = []
    for k, piece in enumerate(parts[shell]):
        if not k % 2:
            page.append(piece)
        elif piece == "sections":
            page += [section(m) for m in result.marked]
        else:
            page.append(values[piece].encode("utf-8"))
    return b"".join(page)


def _percent(value: float) -> str:
    return f"{value:.1f}"


def _marker(name: str):
    from markupsafe import Markup

    return Markup(f"\0{name}\0")  # a NUL: in no template's text


def _question_shell(m) -> list[str] | None:
    """A question's part of the feedback pages with a marker where a student's points and blank rows go, split
    at the markers (its text and the names alternate), for all who answered it with the same verdict's shape
    (right or not, the named mistake of the whole map); None where its text holds a marker's NUL itself. A
    large class's answers give many verdicts: each filled in by joining strings, not written by the template."""
    from types import SimpleNamespace

    from ..templates import render

    stand_in = SimpleNamespace(
        number=m.number,
        question=m.question,
        dropped=m.dropped,
        points=_marker("points"),
        verdict=SimpleNamespace(correct=m.verdict.correct, blanks=m.verdict.blanks),
        whole=m.whole,
        choice=None,
    )
    pieces = render(
        "grade_feedback_question.html.j2",
        m=stand_in,
        points=lambda value: value,
        state=state_of,
        letters=LETTERS,
        rows=lambda blanks: _marker("rows"),
    ).split("\0")
    return pieces if all(piece in ("points", "rows") for piece in pieces[1::2]) else None


def _page_shell(named: bool) -> list[str]:
    """A feedback page without attempts, written once with a marker where each of a student's values goes, and
    split at the markers: its text and the names of the values alternate. Filling it in is joining strings,
    where a page written in full for each of a large class's students took most of grade's time."""
    from types import SimpleNamespace

    from ..templates import render

    student = SimpleNamespace(name=_marker("name") if named else "", id=_marker("id"), version=_marker("version"))
    stand_in = SimpleNamespace(
        student=student,
        total=_marker("total"),
        max_points=_marker("max_points"),
        percent=_marker("percent"),
        attempts=[],
        marked=[],
    )
    return render(
        "grade_feedback.html.j2",
        title=_marker("title"),
        r=stand_in,
        points=str,
        percent=str,
        sections=lambda marked: _marker("sections"),
    ).split("\0")


def report_files(
    title: str,
    results: list[Result],
    source: str,
    tables: list[StudentTable],
    threshold: float,
    summarize: Callable[[], Summary],
) -> tuple[list[str], Callable[[Callable[[int], str]], None]]:
    """The files grade writes from the marks: their names (the first table's, grades.csv, report.html,
    feedback/ID.html per student, then the other tables') and ``write(path_of)``, which writes the file names[k]
    at path_of(k), each page as it is made: a large class's pages are never all in memory at once.
    ``summarize()`` gives the class's summary (``threshold``: its --below), worked out while the pages are
    written."""
    from .parallel import in_batches

    first, *more = tables
    names = [first.name, "report.html"] + [feedback_name(result.student.id) for result in results]
    names += [table.name for table in more]
    taken: dict[str, int] = {}
    for i, name in enumerate(names[2 : 2 + len(results)]):  # 8 hex digits of two ids alike: never silent
        if name.casefold() in taken:
            raise ConvzooError(
                f"students {results[taken[name.casefold()]].student.id!r} and "
                f"{results[i].student.id!r} would share the page {name}"
            )
        taken[name.casefold()] = i

    def write(path_of: Callable[[int], str]) -> None:
        def pages(batch: list[int]) -> list[tuple[str, ...]]:
            """The batch's pages written; each of its students' lines of the tables, then rows of the report."""
            parts: dict = {}  # feedback_page's cache of written parts, shared by the batch's pages
            for i in batch:
                save(path_of(i + 2), feedback_page(title, results[i], parts))
            students = [results[i] for i in batch]
            return list(zip(*(table.lines(students) for table in tables), *zip(*student_rows(students, threshold))))

        summarized: list[tuple[Summary, dict[str, str]]] = []

        def figures() -> None:
            summary = summarize()
            summarized.append((summary, charts(summary)))

        # the pages of a large class over the cores, each worker writing its own and making its students' lines
        # of the tables and the report; the class's statistics and the report's charts (its slowest part) here
        # meanwhile. Forked workers see the results: only the lines travel back
        made: list[tuple[str, ...]] = [()] * len(results)  # each student's, in the class's order
        for batch, done in in_batches(list(range(len(results))), pages, figures):
            for i, student in zip(batch, done):
                made[i] = student
        *lines, ranked_rows, below_rows = map(list, zip(*made))
        summary, pictures = summarized[0]
        at = {id(r): i for i, r in enumerate(results)}
        ranked = "".join([ranked_rows[at[id(r)]] for r in summary.ranked])
        below = "".join([below_rows[at[id(r)]] for r in summary.below])
        save(path_of(0), first.text(lines[0]))
        save(path_of(1), report_html(title, summary, source, pictures, ranked, below))
        for k, table in enumerate(more):
            save(path_of(2 + len(results) + k), table.text(lines[1 + k]))

    return names, write


def terminal_summary(summary: Summary) -> list[str]:
    """The lines ``grade`` prints: the class's mean and median, the three most frequent misconceptions."""
    from ..zoo.engine import plural

    absent = f" ({plural(len(summary.absent), 'absent student')} left out)" if summary.absent else ""
    lines = [
        f"graded {plural(len(summary.results), 'student')}: mean {summary.mean:.1f}%, "
        f"median {summary.median:.1f}%{absent}"
    ]
    if summary.misconceptions:
        lines.append("most frequent misconceptions:")
        lines += [
            f"  {m.name}: {plural(m.students, 'student')} "
            f"({', '.join(m.places[:6])}{', ...' if len(m.places) > 6 else ''})"
            for m in summary.misconceptions[:3]
        ]
    else:
        lines.append("no named misconception in the answers")
    below = summary.below
    threshold = points_text(summary.threshold)
    if below:
        shown = ", ".join(f"{r.student.id} ({r.percent:.1f}%)" for r in below[:8])
        lines.append(f"{plural(len(below), 'student')} below {threshold}%: {shown}{', ...' if len(below) > 8 else ''}")
    else:
        lines.append(f"no student below {threshold}%")
    if summary.unreadable:
        lines.append(
            f"{plural(len(summary.unreadable), 'answer')} could not be read (marked wrong; listed in the report)"
        )
    return lines + [f"changed: {change}" for change in summary.changes]
