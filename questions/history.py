"""practice's history, kept on the student's machine, and what it makes of it: which kinds are due again
(Leitner boxes), which named mistakes keep coming back, and the progress ``convzoo progress`` shows.

The history is a JSON Lines file, one answer per line, appended as each is given (a session cut short keeps
what was answered). Pure functions over its records; reading and appending are the only file work here.

Leitner boxes rather than SM-2: a kind is one skill asked in ever new numbers, not one card to recall, and a
box per kind says in one number how well it is held ("box 1" is what went wrong last). A wrong answer (or a
skipped question, or half a table right) puts the kind back in box 1, due at once; a right answer given once
its wait is over moves it up a box, each box waiting longer before the kind is due again (WAIT_DAYS).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HISTORY = "practice-history.jsonl"
WAIT_DAYS = (0, 1, 3, 7, 14)  # how long a kind in box 1, 2, ... waits before it is due again
AGAIN = 2  # a named mistake made this many times (and not put right since) brings a question aimed at it
RECENT = 5  # the answers of a kind that make its trend


def data_folder() -> Path:
    """Where convzoo keeps what it remembers for the user: CONVZOO_DATA_DIR where set, else the platform's
    user data folder (Linux: $XDG_DATA_HOME/convzoo or ~/.local/share/convzoo; macOS: ~/Library/Application
    Support/convzoo; Windows: %LOCALAPPDATA%\\convzoo)."""
    if os.environ.get("CONVZOO_DATA_DIR"):
        return Path(os.environ["CONVZOO_DATA_DIR"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "convzoo"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "convzoo"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "convzoo"


def history_path() -> Path:
    return data_folder() / HISTORY


def answer_record(question, verdict, when: datetime, seed: int) -> dict:
    """One line of the history: when, the session's seed, the question (kind, difficulty, id), what was typed
    (blank by blank; nothing where it was skipped), the score (the share of blanks right) and the named
    mistakes behind the wrong blanks."""
    blanks = verdict.blanks if verdict is not None else ()
    mistakes = [b.mistake.name for b in blanks if b.mistake]
    if verdict is not None and verdict.mistake and not mistakes:
        mistakes = [verdict.mistake.name]
    return {
        "time": when.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "seed": seed,
        "kind": question.kind,
        "difficulty": question.difficulty,
        "question": question.id,
        "typed": [b.typed for b in blanks],
        "score": round(verdict.score, 4) if verdict is not None else 0,
        "skipped": verdict is None,
        "mistakes": sorted(set(mistakes)),
    }


def append(path: Path, record: dict) -> None:
    """One line added to the history, whole (a single write of the line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def read(path: Path) -> tuple[list[dict], int]:
    """The history's records, oldest first, and how many lines could not be read (a line cut short)."""
    if not path.is_file():
        return [], 0
    records, unreadable = [], 0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
                answered_at(record)
                mistakes = record.get("mistakes", [])
                if (
                    not isinstance(record.get("kind"), str)
                    or not isinstance(record.get("score"), (int, float))
                    or not isinstance(mistakes, list)
                    or not all(isinstance(name, str) for name in mistakes)
                ):
                    raise ValueError
            except (ValueError, TypeError, AttributeError):
                unreadable += line.strip() != ""
                continue
            records.append(record)
    return records, unreadable


def answered_at(record: dict) -> datetime:
    """When a record was answered (a time written without its zone is taken as UTC)."""
    when = datetime.fromisoformat(record["time"])
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def answered_on(record: dict) -> date:
    """The day a record was answered, in this machine's time zone (the student's day)."""
    return answered_at(record).astimezone().date()


def answered_right(record: dict) -> bool:
    """Whether a record's answer was right: every blank, and not skipped."""
    return not record.get("skipped") and record["score"] >= 1


@dataclass
class KindState:
    """Where a kind stands: its Leitner box (1: wrong last time), its last answer, and its recent results."""

    box: int
    last: datetime
    answered: int
    right: int
    recent: list[bool]
    wrong_in_a_row: int = 0

    @property
    def due(self) -> datetime:
        return self.last + timedelta(days=WAIT_DAYS[self.box - 1])


def kind_states(records: list[dict]) -> dict[str, KindState]:
    """Each kind answered, replayed through the boxes in the order it was answered."""
    states: dict[str, KindState] = {}
    for record in records:
        right = answered_right(record)
        when = answered_at(record)
        state = states.setdefault(record["kind"], KindState(1, when, 0, 0, []))
        if not right:
            state.box = 1
        elif when >= state.due:  # a box up only where its wait was over: three right in one sitting are one
            state.box = min(state.box + 1, len(WAIT_DAYS))
        state.last, state.answered, state.right = when, state.answered + 1, state.right + right
        state.recent = (state.recent + [right])[-RECENT:]
        state.wrong_in_a_row = 0 if right else state.wrong_in_a_row + 1
    return states


def mistakes_again(records: list[dict]) -> list[tuple[str, str, int]]:
    """(kind, named mistake, times made) for each mistake made AGAIN times or more in a kind that has not been
    answered right since it was last made, the most made first."""
    made: dict[tuple[str, str], int] = {}
    for record in records:
        if answered_right(record):  # put right: what it was made in counts from nothing again
            for key in [k for k in made if k[0] == record["kind"]]:
                del made[key]
        for name in record.get("mistakes", ()):
            made[record["kind"], name] = made.get((record["kind"], name), 0) + 1
    again = [(kind, name, times) for (kind, name), times in made.items() if times >= AGAIN]
    return sorted(again, key=lambda entry: -entry[2])


def due_first(records: list[dict], now: datetime, kinds: list[str]) -> list[str]:
    """The kinds of ``kinds`` that a session should ask first, in order: those with a named mistake made again
    and again, then those answered wrong last time (box 1; the most times wrong in a row first), then the others
    whose wait is over, the longest overdue first. A kind never answered is not due: the rest of the session
    draws it as usual."""
    states = kind_states(records)
    order = [kind for kind, _, _ in mistakes_again(records) if kind in kinds]
    due = [k for k in kinds if k in states and states[k].due <= now]
    order += sorted(due, key=lambda k: (states[k].box != 1, -states[k].wrong_in_a_row, states[k].due, k))
    return list(dict.fromkeys(order))


def streak(records: list[dict], today: date) -> int:
    """Days in a row, up to today (or yesterday, where today has no practice yet), with practice."""
    days = set(map(answered_on, records))
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count, day = count + 1, day - timedelta(days=1)
    return count
