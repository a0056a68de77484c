"""How varied a roster's questions are: distinct questions per slot, per kind and difficulty, for a class of 200.

Each kind gets one slot at each difficulty; a roster of 200 students (ids s1 ... s200) gets one version each, as
`convzoo quiz --roster` draws them. A question is distinct when what the student reads differs (its prompt, table
or matrices); the answers column counts distinct keys. Target: at least 20 distinct questions per slot for every
kind in the lecture's syllabus.

Run: python benchmarks/question_variety.py [--students 200] [--syllabus lecture|extended]
"""

from __future__ import annotations

import argparse

from convzoo.questions.core import syllabus_kinds
from convzoo.questions.quiz import Settings, draw

TARGET = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--syllabus", default="lecture", choices=("lecture", "extended"))
    args = parser.parse_args()
    names = syllabus_kinds(args.syllabus)
    students = tuple((f"s{i}", f"Student {i}") for i in range(1, args.students + 1))
    table: dict[str, dict[str, tuple[int, int]]] = {name: {} for name in names}
    for difficulty in ("easy", "medium", "hard"):
        settings = Settings(
            count=len(names),
            kind_names=tuple(names),
            difficulty=difficulty,
            students=students,
            secret="variety",
            syllabus=args.syllabus,
        )
        quiz = draw(settings)
        for name in names:
            asked = [q for q in quiz if q.kind == name]
            table[name][difficulty] = (len({q.content() for q in asked}), len({q.answer_text for q in asked}))
    print(f"distinct questions (distinct answers) per slot, {args.students} students, syllabus {args.syllabus}")
    print(f"{'kind':<18}{'easy':>12}{'medium':>12}{'hard':>12}")
    for name in names:
        cells = "".join(f"{f'{q} ({a})':>12}" for q, a in (table[name][d] for d in ("easy", "medium", "hard")))
        print(f"{name:<18}{cells}")
    fewest = min(q for row in table.values() for q, _ in row.values())
    print(f"fewest distinct questions in a slot: {fewest} (target at least {TARGET})")


if __name__ == "__main__":
    main()
