"""glue-sessions speed and scale benchmark (budgets: bench/README.md).

    python bench/run.py [--sizes 1,10,100,500,1000] [--quick] [--max-concurrency N]
                        [--package-root DIR] [--json FILE] [--no-naive] [--no-servers]
                        [--no-panel]

For each number of sessions S it prints a table: our poller inside a real Jupyter server
against the endpoint emulator, next to the naive approach (each browser tab polls Livy and every
Spark UI itself), with the budgets of bench/README.md. See bench/README.md for what each row means.

Modules: run.py (this: the options, the driver), worker.py (the measured server, run as
`run.py --worker S`), report.py (the tables), common.py (what they share).

Processes (all on loopback):
    run.py (this, orchestrator)
      |- emulator_server.py   the endpoint: Livy, YARN RM + web proxy, Spark REST (one process
      |                       for the whole run; its CPU is never counted as ours)
      |- run.py --worker S    a real jupyter_server ServerApp with the glue_sessions extension,
      |    |                  driven cycle by cycle; the lag ticker runs on the server's own loop
      |    '- tabs.py         browser tabs reading our snapshot/history API (client CPU apart)
      '- naive.py             the naive tabs, sequential keep-alive requests, json.loads
Numbers are medians over repeated cycles; the machine is shared, so expect noise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

from common import LATENCY
from report import panel_table, summary, table
from worker import run_worker

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = str(HERE.parent)


def control(emulator: str, what: str, **query) -> dict:
    with urlopen(f"{emulator}/__bench/{what}?{urlencode(query)}", timeout=30) as r:
        return json.loads(r.read())


def start_emulator(env: dict) -> tuple[subprocess.Popen, str]:
    """emulator_server.py in a process of its own: the process and the emulator's URL."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "emulator_server.py"), "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("READY "):
        proc.terminate()
        proc.wait()
        raise SystemExit("the emulator did not start")
    return proc, line.split()[1]


def run_json(argv: list[str], env: dict) -> dict:
    done = subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"failed: {' '.join(argv)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_naive(emulator: str, S: int, tabs: int, latency: float, cycles: int, env) -> dict:
    control(emulator, "scenario", count=S)
    control(emulator, "latency", seconds=latency)
    result = run_json(
        [str(HERE / "naive.py"), "--url", emulator, "--tabs", str(tabs), "--cycles", str(cycles)],
        env,
    )
    counts = control(emulator, "requests", clear=1)
    result["requests"] = {k: v / cycles for k, v in counts.items()}
    control(emulator, "latency", seconds=0)
    return result


def run_panel() -> dict | None:
    """The panel's update time in a browser (ui-tests/tests/perf.spec.ts, tag @perf, against a
    real Jupyter server with the built extension): its raw results, or None when it cannot run
    here (no jlpm or ui-tests not installed: `bash scripts/setup.sh`)."""
    ui = HERE.parent / "ui-tests"
    jlpm = shutil.which("jlpm")
    if not jlpm or not (ui / "node_modules").is_dir():
        print("  skipped: needs jlpm and ui-tests/node_modules (bash scripts/setup.sh)", flush=True)
        return None
    with tempfile.TemporaryDirectory(prefix="glue-panel-") as scratch:
        out = Path(scratch) / "panel.json"
        env = dict(os.environ, CI="true", GLUE_SESSIONS_PERF_JSON=str(out))
        done = subprocess.run(
            [jlpm, "playwright", "test", "-g", "@perf"],
            cwd=ui,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if done.returncode or not out.exists():
            print(f"  failed (exit {done.returncode}): run it alone to see why:", flush=True)
            print("  cd ui-tests && CI=true jlpm playwright test -g @perf", flush=True)
            return None
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,500,1000")
    parser.add_argument("--quick", action="store_true", help="sizes 1,10,100 and fewer repeats")
    parser.add_argument("--max-concurrency", type=int, default=0, help="0: the extension's default")
    parser.add_argument("--package-root", default=None, help="import glue_sessions from here")
    parser.add_argument("--json", default=None, help="also write raw results to this file")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive comparison")
    parser.add_argument(
        "--no-servers", action="store_true", help="skip bench/servers.py (N servers, one endpoint)"
    )
    parser.add_argument(
        "--no-panel", action="store_true", help="skip the panel's update time in a browser"
    )
    parser.add_argument("--report", default=None, help="print the tables of a --json file, no run")
    parser.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--emulator", default="", help=argparse.SUPPRESS)
    parser.add_argument("--reps", type=int, default=7, help=argparse.SUPPRESS)
    parser.add_argument("--wall-reps", type=int, default=5, help=argparse.SUPPRESS)
    parser.add_argument("--gets", type=int, default=100, help=argparse.SUPPRESS)
    args = parser.parse_args()

    root = args.package_root or os.environ.get("GLUE_SESSIONS_ROOT") or DEFAULT_ROOT
    if args.report:
        saved = json.loads(Path(args.report).read_text())
        naives = {int(k): v for k, v in saved["naive"].items()}
        for r in saved["results"]:
            print(f"\n{table(r, naives.get(r['sessions']))}")
        print("\nSummary (markdown):\n")
        print(summary(saved["results"], naives))
        if saved.get("panel"):
            print(f"\n{panel_table(saved['panel'])}")
        return
    if args.worker:  # worker.py imports glue_sessions when it runs: from root, put first here
        sys.path.insert(0, root)
        print(json.dumps(asyncio.run(run_worker(args))))
        return

    sizes = (
        [1, 10, 100]
        if args.quick and args.sizes == parser.get_default("sizes")
        else [int(s) for s in args.sizes.split(",")]
    )
    env = dict(os.environ, GLUE_SESSIONS_ROOT=os.path.abspath(root), JUPYTER_NO_CONFIG="1")
    scratch = tempfile.mkdtemp(prefix="glue-bench-")
    for name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR"):
        env[name] = os.path.join(scratch, name.lower())
    emulator_proc, emulator = start_emulator(env)
    try:
        import platform

        print(
            f"glue-sessions benchmark: package {root}; python {platform.python_version()}; "
            f"{os.cpu_count()} CPUs; max_concurrency "
            f"{args.max_concurrency or 'default'}; latency {int(LATENCY * 1000)} ms for wall rows",
            flush=True,
        )
        results, naives = [], {}
        for S in sizes:
            reps = 3 if args.quick else (5 if S >= 500 else 7)
            wall_reps = 2 if args.quick else (3 if S >= 500 else 5)
            gets = 20 if args.quick else (30 if S >= 500 else 100)
            started = time.time()
            r = run_json(
                [
                    __file__,
                    "--worker",
                    str(S),
                    "--emulator",
                    emulator,
                    "--reps",
                    str(reps),
                    "--wall-reps",
                    str(wall_reps),
                    "--gets",
                    str(gets),
                    "--max-concurrency",
                    str(args.max_concurrency),
                ],
                env,
            )
            results.append(r)
            naive = None
            if not args.no_naive:
                naive = {}
                for tabs in (1, 10):
                    cpu = run_naive(emulator, S, tabs, 0.0, 1 if S >= 500 else 3, env)
                    slow = run_naive(emulator, S, tabs, LATENCY, 1, env)
                    cpu["wall_50ms"] = slow["wall_seconds"]
                    naive[str(tabs)] = cpu
                naives[S] = naive
            print(f"\n{table(r, naive)}\n  ({time.time() - started:.0f} s)", flush=True)
        print("\nSummary (markdown):\n")
        print(summary(results, naives))
    finally:
        emulator_proc.terminate()
        emulator_proc.wait()
    panel = None
    if not args.no_panel:  # the panel's update time, in a browser
        print("\nPanel update with 200 sessions (ui-tests, @perf; about 2 min):", flush=True)
        panel = run_panel()
        if panel:
            print(f"\n{panel_table(panel)}", flush=True)
    if args.json:
        saved = {"results": results, "naive": naives, "panel": panel}
        Path(args.json).write_text(json.dumps(saved, indent=1))
    if not args.no_servers:  # the endpoint's load from N servers, idle and watched
        print("\nLoad on the endpoint from N servers (bench/servers.py):\n", flush=True)
        quick = ["--quick"] if args.quick else []
        subprocess.run([sys.executable, str(HERE / "servers.py"), *quick], env=env, check=True)


if __name__ == "__main__":
    main()
