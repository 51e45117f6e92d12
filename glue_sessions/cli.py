"""``glue-sessions`` command line.

Owns: the arguments of ``glue-sessions configure-sparkmagic`` and its exit codes. Never: edits
sparkmagic's config itself (`sparkmagic_config` does) or talks to the endpoint.
"""

from __future__ import annotations

import argparse
import sys

from .kernel import labels
from .kernel.sparkmagic_config import SparkmagicConfigError, configure_sparkmagic, undo_sparkmagic


def _configure_sparkmagic(args: argparse.Namespace) -> int:
    try:
        if args.undo:
            change = undo_sparkmagic(args.config, dry_run=args.dry_run)
        else:
            owner_labels = None
            if args.owner_label is not None:
                owner = args.owner_label or None  # a bare --owner-label: user@host
                owner_labels = labels.settings_for(owner, args.label_notebook)
            elif args.label_notebook:
                print("glue-sessions: --label-notebook needs --owner-label", file=sys.stderr)
                return 2
            change = configure_sparkmagic(
                args.config, dry_run=args.dry_run, owner_labels=owner_labels
            )
    except (SparkmagicConfigError, OSError) as e:
        print(f"glue-sessions: {e}", file=sys.stderr)
        return 2
    print(change.message)
    if change.backup is not None and change.changed:
        print(f"backup: {change.backup}")
    if change.changed and not change.dry_run:
        print("Restart running sparkmagic kernels for this to take effect.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glue-sessions",
        description="Executor shares of the Livy sessions on a shared Spark endpoint.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser(
        "configure-sparkmagic",
        help="install (or --undo) the kernel hook in sparkmagic's config.json",
        description=(
            "Set sparkmagic's events_handler_class to glue_sessions.kernel_hook."
            "KernelSessionRecorder so that the server knows which notebook created which "
            "Livy session. Every other key is kept and a previous handler is chained to. "
            "Default file: $SPARKMAGIC_CONF_DIR/config.json or ~/.sparkmagic/config.json."
        ),
    )
    p.add_argument("--config", metavar="PATH", help="sparkmagic config.json to edit")
    p.add_argument("--undo", action="store_true", help="restore the previous configuration")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.add_argument(
        "--owner-label",
        nargs="?",
        const="",
        metavar="OWNER",
        help=(
            "label the Livy sessions this instance's kernels create with an owner (default "
            "user@host), readable by every glue-sessions panel on the endpoint"
        ),
    )
    p.add_argument(
        "--label-notebook",
        action="store_true",
        help="with --owner-label: also label each session with its notebook's path",
    )
    p.set_defaults(func=_configure_sparkmagic)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
