#!/usr/bin/env python3
"""The demo's contention, driven partly from real notebooks so that their hints show it.

    python devstack/demo_notebooks.py --jupyter http://127.0.0.1:8888 --notebooks DIR

Writes two sparkmagic notebooks into DIR, then, once the Jupyter server answers:
- a session through Livy, as another notebook instance would, that takes every executor (the
  hog; its job runs about an hour with --tasks 3600);
- small-job.ipynb: its kernel (a kernel of the demo's server, which JupyterLab attaches to when
  the notebook is opened) starts a session before the hog takes every executor, then runs a
  small job that waits (its hint: starving, and who holds the executors);
- cannot-start.ipynb: its kernel asks for a session once the cluster is full; on YARN its
  driver's container finds no room (its hint: cannot start, and who holds the endpoint).
On YARN the queue's AM-resource limit is lifted first, through YARN's REST API, so that what
keeps that notebook out is the hog, not the limit (a 6-vcore queue at 0.5 admits 3 drivers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import scenario as livy
from jupyter_kernels import JupyterServer, execute, open_notebook

AM_PERCENT = "yarn.scheduler.capacity.maximum-am-resource-percent"
KERNEL = {"name": "pysparkkernel", "display_name": "PySpark", "language": "python"}
NOTEBOOKS = {
    "small-job.ipynb": [
        "# A small job on a shared endpoint\n"
        "The demo ran these cells when it started. The first started this notebook's Livy "
        "session; the second waits for executors that another session holds: see the hint in "
        "the toolbar, and the Spark executor sharing panel.",
        "print(spark.version)",
        livy.SMALL_CODE,
    ],
    "cannot-start.ipynb": [
        "# A notebook that cannot start\n"
        'The demo ran this cell when the endpoint was full: sparkmagic shows "Starting Spark '
        "application\" while YARN has no container for the session's driver. The hint in the "
        "toolbar says who holds the endpoint.",
        "spark.range(10).count()",
    ],
}


def notebook(cells: list[str]) -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": cell}
            if cell.startswith("# ")
            else {
                "cell_type": "code",
                "metadata": {},
                "source": cell,
                "outputs": [],
                "execution_count": None,
            }
            for cell in cells
        ],
        "metadata": {"kernelspec": KERNEL, "language_info": {"name": "pyspark"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def say(t0: float, message: str) -> None:
    print(f"[{time.time() - t0:6.1f}s] {message}", flush=True)


async def wait_for_server(server: JupyterServer, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            await server.fetch("api", "status")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1)


def every_slot_taken(hog: int, yarn_url: str, master_ui: str) -> bool:
    """The hog has executors and nothing is free."""
    if yarn_url:
        metrics = livy.get_json(f"{yarn_url}/ws/v1/cluster/metrics")["clusterMetrics"]
        apps = {a["name"]: a for a in livy.yarn_apps(yarn_url)}
        held = apps.get(f"livy-session-{hog}", {}).get("runningContainers", 0) - 1
        return held > 0 and metrics["availableVirtualCores"] == 0
    master = livy.master_json(master_ui)
    return master["coresused"] >= master["cores"]


async def run(args: argparse.Namespace) -> int:
    t0 = time.time()
    folder = Path(args.notebooks)
    folder.mkdir(parents=True, exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        (folder / name).write_text(json.dumps(notebook(cells), indent=1) + "\n")
    server = JupyterServer(args.jupyter, args.token)
    await wait_for_server(server)
    if args.yarn_url:
        livy.set_scheduler_conf(args.yarn_url, AM_PERCENT, "1.0")
        say(t0, "YARN: maximum-am-resource-percent 1.0 (only the hog keeps drivers out)")

    hog = livy.create_session(livy=args.livy)
    small = await open_notebook(server.fetch, "small-job.ipynb", KERNEL["name"])
    say(t0, f"session {hog} (the hog) created; small-job.ipynb starting its session")
    started, _ = await asyncio.gather(
        execute(server.ws_connect, small, NOTEBOOKS["small-job.ipynb"][1]),
        asyncio.to_thread(livy.wait_state, hog, {"idle"}, 600, args.livy),
    )
    say(t0, f"small-job.ipynb: {started.strip().splitlines()[-1] if started.strip() else ''}")
    livy.submit(hog, livy.HOG_CODE.format(tasks=args.tasks, sleep=1.0), livy=args.livy)
    deadline = time.monotonic() + 240
    while not every_slot_taken(hog, args.yarn_url, args.master_ui) and time.monotonic() < deadline:
        await asyncio.sleep(2)
    say(t0, "the hog holds every executor")
    await execute(server.ws_connect, small, NOTEBOOKS["small-job.ipynb"][2], wait=False)
    say(t0, "small-job.ipynb: its job waits for executors")
    blocked = await open_notebook(server.fetch, "cannot-start.ipynb", KERNEL["name"])
    await execute(server.ws_connect, blocked, NOTEBOOKS["cannot-start.ipynb"][1], wait=False)
    say(t0, "cannot-start.ipynb: asked for a session the endpoint has no room for")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jupyter", required=True, help="the demo's Jupyter server")
    p.add_argument("--token", default="")
    p.add_argument("--notebooks", required=True, help="the server's root directory")
    p.add_argument("--tasks", type=int, default=3600, help="the hog's one-second tasks")
    p.add_argument("--livy", default=livy.LIVY_URL)
    p.add_argument("--yarn-url", default=livy.YARN_URL)
    p.add_argument("--master-ui", default=livy.MASTER_UI)
    return asyncio.run(run(p.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
