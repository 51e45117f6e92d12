"""The commit-msg hook: a subject of at most 72 characters in the imperative, a blank line,
then the why, wrapped at 72 (CONTRIBUTING.md).

    python scripts/check_commit_msg.py .git/COMMIT_EDITMSG   # what pre-commit runs
    git log --format=%B -1 | python scripts/check_commit_msg.py -

Exits 1 with what is wrong. Git's own subjects ("Merge ...", "Revert ...", "fixup! ...") pass.
Standard library only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

WIDTH = 72
GIT_OWN = re.compile(r"^(Merge |Revert \"|fixup! |squash! |amend! )")
# Words ending like a past tense, a gerund or a third person that are imperatives all the same.
IMPERATIVE_ANYWAY = {
    "bring",
    "embed",
    "feed",
    "need",
    "seed",
    "shed",
    "speed",
    "string",
    "focus",
    "bias",
    "alias",
    "process",
    "pass",
    "access",
    "address",
    "express",
    "discuss",
    "dismiss",
    "miss",
    "compress",
}


def problems(message: str) -> list[str]:
    lines = [line for line in message.splitlines() if not line.startswith("#")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or not lines[0].strip():
        return ["the subject (first line) is empty"]
    subject = lines[0]
    if GIT_OWN.match(subject):
        return []
    found = []
    if len(subject) > WIDTH:
        found.append(f"the subject has {len(subject)} characters; at most {WIDTH}")
    if subject.rstrip().endswith("."):
        found.append("the subject ends with a period")
    first = re.split(r"\W", subject.strip(), maxsplit=1)[0]
    word = first.lower()
    if first[:1].islower():
        found.append(f"the subject starts with a lower-case word ({first!r})")
    if word not in IMPERATIVE_ANYWAY and (
        word.endswith(("ed", "ing")) or (word.endswith("s") and not word.endswith("ss"))
    ):
        found.append(
            f"the subject starts with {first!r}: say what the commit does as an order "
            '("Show", "Fix", "Add"), not what it did'
        )
    if len(lines) > 1 and lines[1].strip():
        found.append("the second line is not blank (subject, blank line, then the why)")
    for number, line in enumerate(lines[2:], start=3):
        # A URL or a quoted command or log line may not be cut.
        if len(line) > WIDTH and " " in line.strip() and not line.startswith("    "):
            found.append(f"line {number} has {len(line)} characters; wrap the body at {WIDTH}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    message = sys.stdin.read() if argv[1] == "-" else Path(argv[1]).read_text(encoding="utf-8")
    found = problems(message)
    for problem in found:
        print(f"commit message: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
