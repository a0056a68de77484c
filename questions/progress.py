"""What ``convzoo progress`` shows of practice's history (questions/history.py), in the terminal and as an
offline page with a chart: pure functions over its records."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..zoo.engine import plural
from .history import RECENT, answered_on, answered_right, due_first, kind_states, mistakes_again, streak

# the chart's lines, one per kind: colours told apart by people with the common colour blindnesses (Okabe-Ito)
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
CHART_W, CHART_H, MARGIN = 640, 240, 40


def _due_in(due: datetime, now: datetime) -> str:
    days = (due - now).total_seconds() / 86400
    return "now" if days <= 0 else f"in {plural(max(1, round(days)), 'day')}"


def report(records: list[dict], now: datetime) -> dict:
    """The history summed up: answers, days, the streak, each kind (what is due again first, then by box) and
    each named mistake (the most made first)."""
    days = {answered_on(r) for r in records}
    today = now.astimezone().date()
    states = kind_states(records)
    first = due_first(records, now, list(states))
    order = first + sorted((k for k in states if k not in first), key=lambda k: (states[k].box, k))
    kinds = [
        {
            "kind": kind,
            "answered": states[kind].answered,
            "share": states[kind].right / states[kind].answered,
            "recent": "".join("✓" if right else "✗" for right in states[kind].recent),
            "box": states[kind].box,
            "due": _due_in(states[kind].due, now),
        }
        for kind in order
    ]
    made: dict[str, dict] = {}
    for record in records:
        for name in record.get("mistakes", ()):
            entry = made.setdefault(name, {"name": name, "made": 0, "kinds": set(), "last": ""})
            entry["made"] += 1
            entry["kinds"].add(record["kind"])
            entry["last"] = answered_on(record).isoformat()
    again = {name for _, name, _ in mistakes_again(records)}
    mistakes = [
        {**entry, "kinds": ", ".join(sorted(entry["kinds"])), "again": entry["name"] in again}
        for entry in sorted(made.values(), key=lambda e: (-e["made"], e["name"]))
    ]
    return {
        "answers": len(records),
        "days": len(days),
        "streak": streak(records, today),
        "today": today in days,
        "kinds": kinds,
        "mistakes": mistakes,
    }


def headline(summary: dict) -> str:
    return (
        f"{plural(summary['answers'], 'answer')} on {plural(summary['days'], 'day')}; "
        f"streak: {plural(summary['streak'], 'day')}" + (" (practised today)" if summary["today"] else "")
    )


def progress_lines(records: list[dict], now: datetime, where: str) -> list[str]:
    """The terminal's report: a line of totals and the streak, a table of the kinds, a table of the named
    mistakes, and where the history is kept."""
    if not records:
        return [f"convzoo progress: nothing practised yet (convzoo practice keeps each answer in {where})"]
    summary = report(records, now)
    lines = [f"convzoo progress: {headline(summary)}"]
    width = max(len("kind"), *(len(k["kind"]) for k in summary["kinds"]))
    lines += ["", f"{'kind':<{width}}  answered  right  {f'last {RECENT}':<{RECENT}}  box  due again"]
    for k in summary["kinds"]:
        lines.append(
            f"{k['kind']:<{width}}  {k['answered']:>8}  {k['share']:>5.0%}  {k['recent']:<{RECENT}}  "
            f"{k['box']:>3}  {k['due']}"
        )
    if summary["mistakes"]:
        width = max(len("named mistake"), *(len(m["name"]) for m in summary["mistakes"]))
        lines += ["", f"{'named mistake':<{width}}  made  last made   in"]
        for m in summary["mistakes"]:
            again = "  (asked again first)" if m["again"] else ""
            lines.append(f"{m['name']:<{width}}  {m['made']:>4}  {m['last']}  {m['kinds']}{again}")
    lines += ["", f"kept in {where} (delete it to start again; practice --no-history keeps nothing)"]
    return lines


def chart(records: list[dict]) -> dict:
    """The page's chart of mastery over time: for each kind, on each day it was practised, the share right of
    its last RECENT answers at the day's end, as SVG points on a CHART_W x CHART_H plot (days along, 0 to 100%
    up), with the axes' labels."""
    first, last = min(map(answered_on, records)), max(map(answered_on, records))
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(MARGIN + (day - first).days / span * (CHART_W - 2 * MARGIN), 1)

    def y(share: float) -> float:
        return round(CHART_H - MARGIN - share * (CHART_H - 2 * MARGIN), 1)

    recent: dict[str, list[bool]] = {}
    by_kind: dict[str, dict[date, list[bool]]] = {}
    for record in records:
        answers = recent.setdefault(record["kind"], [])
        answers[:] = (answers + [answered_right(record)])[-RECENT:]
        by_kind.setdefault(record["kind"], {})[answered_on(record)] = answers[:]
    series = [
        {
            "kind": kind,
            "colour": COLOURS[n % len(COLOURS)],
            "points": [
                (x(day), y(sum(last) / len(last)), f"{day.isoformat()}: {sum(last)} of the last {len(last)} right")
                for day, last in sorted(days.items())
            ],
        }
        for n, (kind, days) in enumerate(sorted(by_kind.items()))
    ]
    ticks = sorted({first, last} | ({first + timedelta(days=span // 2)} if span > 1 else set()))
    return {
        "width": CHART_W,
        "height": CHART_H,
        "margin": MARGIN,
        "series": series,
        "days": [(x(day), day.isoformat()) for day in ticks],
        "shares": [(y(share), f"{share:.0%}") for share in (0, 0.5, 1)],
    }


def progress_page(records: list[dict], now: datetime, where: str) -> str:
    """The offline page: the totals and streak, the chart of each kind's share right by day, and the tables."""
    from ..templates import render

    summary = report(records, now)
    return render(
        "progress.html.j2",
        summary=summary,
        headline=headline(summary),
        chart=chart(records),
        where=where,
        recent=RECENT,
    )
