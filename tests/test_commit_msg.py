"""The commit-msg hook (scripts/check_commit_msg.py) and the history it guards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from check_commit_msg import problems  # noqa: E402

BODY = "\n\nWhy it was needed, wrapped at seventy-two characters or fewer.\n"


@pytest.mark.parametrize(
    "message",
    [
        "Show sessions waiting for a driver" + BODY,
        "Fix the panel's bar" + BODY,
        "Address review notes",
        "Bring the devstack up once"
        + BODY
        + "\n    a quoted command line may be longer than seventy-two characters, as it is\n",
        "Merge branch 'http-client' into main and a lot more words beyond the width",
        'Revert "Show sessions waiting for a driver"',
        "See https://example.org/"
        + BODY
        + "https://example.org/a/very/long/url/that/cannot/be/cut/anywhere/at/all/really\n",
        "Poll every endpoint\n\n# a comment line git removes is no problem, even when it is long\n",
    ],
)
def test_good_messages_pass(message):
    assert problems(message) == []


@pytest.mark.parametrize(
    ("message", "wrong"),
    [
        ("x" * 73, "73 characters"),
        ("Show the panel.", "period"),
        ("show the panel", "lower-case"),
        ("Added the panel", "as an order"),
        ("Fixes the panel", "as an order"),
        ("Showing the panel", "as an order"),
        ("Show the panel\nwith no blank line", "not blank"),
        ("Show the panel\n\n" + "word " * 20, "wrap the body"),
        ("", "empty"),
    ],
)
def test_bad_messages_are_refused_with_the_reason(message, wrong):
    found = problems(message)
    assert any(wrong in problem for problem in found), found


def test_the_hook_exits_1_with_the_reason(tmp_path):
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Added things.\n")
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_commit_msg.py"), str(message)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "period" in run.stderr and "as an order" in run.stderr
