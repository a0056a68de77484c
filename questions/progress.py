"""What ``convzoo progress`` prints of practice's history (questions/history.py): pure functions over its
records."""

from __future__ import annotations

from datetime import datetime

from ..zoo.engine import plural
from .history import RECENT, due_first, kind_states, mistakes_again, streak


def _due_in(due: datetime, now: datetime) -> str:
    days = (due - now).total_seconds() / 86400
    return "now" if days <= 0 else f"in {plural(max(1, round(days)), 'day')}"


def progress_lines(records: list[dict], now: datetime, where: str) -> list[str]:
    """The terminal's report: a line of totals and the streak, a table of the kinds (what is due again first),
    a table of the named mistakes (the most made first), and where the history is kept."""
    if not records:
        return [f"convzoo progress: nothing practised yet (convzoo practice keeps each answer in {where})"]
    days = {datetime.fromisoformat(r["time"]).astimezone().date() for r in records}
    today = now.astimezone().date()
    run = streak(records, today)
    lines = [
        f"convzoo progress: {plural(len(records), 'answer')} on {plural(len(days), 'day')}; "
        f"streak: {plural(run, 'day')}" + (" (practised today)" if today in days else "")
    ]
    states = kind_states(records)
    first = due_first(records, now, list(states))
    order = first + sorted((k for k in states if k not in first), key=lambda k: (states[k].box, k))
    width = max(len("kind"), *(len(k) for k in order))
    lines += ["", f"{'kind':<{width}}  answered  right  {f'last {RECENT}':<{RECENT}}  box  due again"]
    for kind in order:
        state = states[kind]
        trend = "".join("✓" if right else "✗" for right in state.recent)
        lines.append(
            f"{kind:<{width}}  {state.answered:>8}  {state.right / state.answered:>5.0%}  {trend:<{RECENT}}  "
            f"{state.box:>3}  {_due_in(state.due, now)}"
        )
    made: dict[str, list] = {}
    for record in records:
        for name in record.get("mistakes", ()):
            entry = made.setdefault(name, [0, set(), ""])
            entry[0] += 1
            entry[1].add(record["kind"])
            entry[2] = record["time"][:10]
    if made:
        again = {name for _, name, _ in mistakes_again(records)}
        width = max(len("named mistake"), *(len(n) for n in made))
        lines += ["", f"{'named mistake':<{width}}  made  last made   in"]
        for name, (times, kinds_made, last) in sorted(made.items(), key=lambda e: (-e[1][0], e[0])):
            mark = "  (asked again first)" if name in again else ""
            lines.append(f"{name:<{width}}  {times:>4}  {last}  {', '.join(sorted(kinds_made))}{mark}")
    lines += ["", f"kept in {where} (delete it to start again; practice --no-history keeps nothing)"]
    return lines
