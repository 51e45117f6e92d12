"""(Re-)apply the kernel hook in sparkmagic's config, after checking the kernels can load it.

Owns: finding the sparkmagic kernelspecs (a kernelspec whose argv runs a
``sparkmagic.kernels`` module), asking each one's own Python whether it can import
``glue_sessions.kernel_hook``, and then calling
:func:`glue_sessions.kernel.sparkmagic_config.configure_sparkmagic` for each sparkmagic config file
whose kernels all can. A config file used by a kernel that cannot import the hook is left
alone and the kernel is named in the result (sparkmagic fails to load such a kernel's magics).

Used by the SageMaker lifecycle script (``python -m glue_sessions.reapply``) and, when
``GlueSessions.reapply_sparkmagic_hook`` is on, by the server at each start (in a thread),
so that a tool that rewrites the config (AWS Glue's notebook script copies its own
config.json over it) does not silently remove the hook.

Never: touches a config file other than the one given or the kernelspecs' own
(``SPARKMAGIC_CONF_DIR`` in a kernelspec's env), installs anything, runs a kernel's Python
with a shell or without a timeout, or follows text from a kernelspec other than as an argv.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .kernel import labels
from .kernel.sparkmagic_config import (
    SparkmagicConfigError,
    configure_sparkmagic,
    sparkmagic_config_path,
)
from .kernel_hook import HANDLER_CLASS

HOOK_MODULE = HANDLER_CLASS.rsplit(".", 1)[0]
CHECK_TIMEOUT = 60.0
# jupyter_client.manager.KernelManager.format_kernel_cmd replaces these with sys.executable
_JUPYTER_CLIENT_PYTHONS = {
    "python",
    f"python{sys.version_info[0]}",
    f"python{sys.version_info[0]}.{sys.version_info[1]}",
}


@dataclass(frozen=True)
class SparkmagicKernel:
    name: str
    python: str  # argv[0] as Jupyter resolves it ("" when not found)
    config: Path  # the sparkmagic config.json this kernel reads


@dataclass
class ReapplyResult:
    lines: list[str] = field(default_factory=list)  # what to log, one line each
    changed: list[Path] = field(default_factory=list)
    left_alone: list[Path] = field(default_factory=list)
    errors: int = 0


def sparkmagic_kernels(
    default_config: Path, kernel_dirs: list[str] | None = None
) -> list[SparkmagicKernel]:
    """The kernelspecs that run sparkmagic, as seen by this Python's jupyter_client."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    if kernel_dirs is not None:
        manager.kernel_dirs = kernel_dirs
    found = []
    for name in sorted(manager.find_kernel_specs()):
        try:
            spec = manager.get_kernel_spec(name)
        except (NoSuchKernel, ValueError, OSError):
            continue
        argv = [a for a in spec.argv if isinstance(a, str)]
        if not any(a.startswith("sparkmagic.kernels") for a in argv[1:]):
            continue
        env = spec.env or {}
        path = env.get("PATH") or os.environ.get("PATH", "")
        if argv[0] in _JUPYTER_CLIENT_PYTHONS:  # jupyter_client runs these with its own Python
            python = sys.executable
        elif os.path.isabs(argv[0]):
            python = argv[0]
        else:
            python = shutil.which(argv[0], path=path) or ""
        config = default_config
        if env.get("SPARKMAGIC_CONF_DIR") or env.get("SPARKMAGIC_CONF_FILE"):
            conf_dir = env.get("SPARKMAGIC_CONF_DIR") or str(default_config.parent)
            conf_file = env.get("SPARKMAGIC_CONF_FILE") or "config.json"
            config = Path(os.path.expanduser(conf_dir)) / conf_file
        found.append(SparkmagicKernel(name, python, config))
    return found


def can_import_hook(python: str, timeout: float = CHECK_TIMEOUT) -> tuple[bool, str]:
    """Whether ``python`` (a kernel's interpreter) imports the hook, and why not."""
    if not python:
        return False, "its Python was not found"
    try:
        done = subprocess.run(
            [python, "-c", f"import {HOOK_MODULE}"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            cwd="/",
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"{python} did not run: {type(error).__name__}"
    if done.returncode == 0:
        return True, ""
    last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return False, f"{python}: {last[0][:200]!r}"


def reapply(
    config: str | os.PathLike[str] | None = None,
    *,
    check_kernels: bool = True,
    kernel_dirs: list[str] | None = None,
    timeout: float = CHECK_TIMEOUT,
    owner_labels: dict[str, Any] | None = None,
) -> ReapplyResult:
    """Install the hook in ``config`` (default: the one sparkmagic reads) and in the configs
    of the sparkmagic kernelspecs, each only when every kernel reading it can import it; with
    `owner_labels` (`kernel.labels.settings_for`) the kernels also label their sessions."""
    result = ReapplyResult()
    default = sparkmagic_config_path(config)
    kernels = sparkmagic_kernels(default, kernel_dirs) if check_kernels else []
    configs: dict[Path, list[str]] = {default: []}  # config -> kernels that cannot load the hook
    for kernel in kernels:
        ok, why = can_import_hook(kernel.python, timeout)
        configs.setdefault(kernel.config, [])
        if ok:
            result.lines.append(f"kernel {kernel.name}: imports {HOOK_MODULE}")
        else:
            configs[kernel.config].append(kernel.name)
            result.lines.append(f"kernel {kernel.name} cannot import {HOOK_MODULE} ({why})")
    for path, lacking in configs.items():
        if lacking:
            result.left_alone.append(path)
            result.lines.append(
                f"{path} left alone: kernel(s) {', '.join(lacking)} read it and cannot load the "
                f"hook; install glue-sessions into their Python to map their sessions"
            )
            continue
        try:
            change = configure_sparkmagic(path, owner_labels=owner_labels)
        except (SparkmagicConfigError, OSError) as error:
            result.errors += 1
            result.lines.append(f"ERROR: {path}: {error}")
            continue
        result.lines.append(change.message)
        if change.changed:
            result.changed.append(path)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m glue_sessions.reapply",
        description="Check that the sparkmagic kernels can import the kernel hook, then set it "
        "in their sparkmagic config (exit 0: done or already set, 1: some config left alone "
        "or failed).",
    )
    parser.add_argument("--config", metavar="PATH", help="sparkmagic config.json")
    parser.add_argument(
        "--no-kernel-check", action="store_true", help="write the hook without asking kernels"
    )
    parser.add_argument("--owner-label", metavar="OWNER", help="label sessions with this owner")
    parser.add_argument(
        "--label-notebook", action="store_true", help="and with their notebook's path"
    )
    args = parser.parse_args(argv)
    owner_labels = None
    if args.owner_label:
        owner_labels = labels.settings_for(args.owner_label, args.label_notebook)
    result = reapply(args.config, check_kernels=not args.no_kernel_check, owner_labels=owner_labels)
    for line in result.lines:
        print(line)
    return 1 if result.errors or result.left_alone else 0


if __name__ == "__main__":
    sys.exit(main())
