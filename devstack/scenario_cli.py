"""The commands of devstack/scenario.py's CLI: a contention scenario, what runs, and raw captures.

    python devstack/scenario.py contention [--tasks 600] [--cleanup]
    python devstack/scenario.py list | snapshot | delete-all
    python devstack/scenario.py capture --out devstack/samples

Run them through scenario.py (its `main` calls `main` here); they drive Livy, the Spark master
and the YARN ResourceManager with scenario.py's functions. Stdlib only, like scenario.py, which
it imports with devstack/ on sys.path (the directory of the script being run).
"""

from __future__ import annotations

import argparse
import json
import os
import time

from scenario import (
    CACHE_CODE,
    HOG_CODE,
    LIVY_URL,
    MASTER_UI,
    SMALL_CODE,
    YARN_URL,
    app_for_session,
    create_session,
    delete_session,
    driver_api,
    executors_held,
    get_json,
    kill_apps_left_by_livy,
    list_sessions,
    master_json,
    session_log,
    submit,
    wait_state,
    wait_statement,
    yarn_snapshot,
)


def _wait_for(pred, timeout: float, what: str, every: float = 1.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


def snapshot(livy: str = LIVY_URL, master_ui: str = MASTER_UI) -> str:
    lines = []
    m = master_json(master_ui)
    lines.append(f"master: cores {m['coresused']}/{m['cores']} used")
    apps = {a["name"]: a for a in m.get("activeapps", [])}
    for s in list_sessions(livy):
        app = apps.get(s.get("name") or f"livy-session-{s['id']}")
        extra = ""
        if app:
            extra = f"  app {app['id']} {app['state']} cores {app['cores']}"
            try:
                stages = driver_api(app["id"], "/stages?status=active", master_ui)
                pending = sum(
                    x["numTasks"]
                    - x["numActiveTasks"]
                    - x["numCompleteTasks"]
                    - x["numFailedTasks"]
                    for x in stages
                )
                running = sum(x["numActiveTasks"] for x in stages)
                held = executors_held(app["id"], master_ui)
                extra += f" executors {held} running {running} pending {pending}"
            except Exception as e:
                extra += f" (driver API: {e})"
        lines.append(f"session {s['id']:>3} {s['state']:<8} {s['kind']:<8}{extra}")
    return "\n".join(lines)


def contention(args) -> int:
    livy, master_ui, yarn_url = args.livy, args.master_ui, args.yarn_url
    t0 = time.time()

    def say(msg):
        print(f"[{time.time() - t0:6.1f}s] {msg}", flush=True)

    names = ("hog", "small", "cacher")
    ids = {}
    for n in names:
        ids[n] = create_session(
            livy=livy, name=f"{args.name_prefix}{n}" if args.name_prefix else None
        )
        say(f"created session {ids[n]} ({n})")
    for n in names:
        wait_state(ids[n], {"idle"}, timeout=300, livy=livy)
        say(f"session {ids[n]} ({n}) idle")
    app_name = {n: (f"{args.name_prefix}{n}" if args.name_prefix else None) for n in names}

    # The cacher goes first: its cached blocks pin the executors it got, and it then sits idle.
    cache = submit(ids["cacher"], CACHE_CODE, livy=livy)
    r = wait_statement(ids["cacher"], cache, timeout=300, livy=livy)
    say(f"cacher: cached a DataFrame and is now idle, pinning its executors ({r['state']})")

    hog = submit(ids["hog"], HOG_CODE.format(tasks=args.tasks, sleep=args.sleep), livy=livy)
    say(f"hog: submitted {args.tasks} tasks of {args.sleep}s (statement {hog})")
    if yarn_url:

        def vcores_free() -> int:
            metrics = get_json(f"{yarn_url}/ws/v1/cluster/metrics")["clusterMetrics"]
            return metrics["availableVirtualCores"]

        _wait_for(lambda: vcores_free() == 0, 180, "every vcore in use")
    else:
        _wait_for(lambda: app_for_session(ids["hog"], master_ui, app_name["hog"]), 60, "hog app")
        total = master_json(master_ui)["cores"]
        _wait_for(lambda: master_json(master_ui)["coresused"] >= total, 120, "every core in use")
    say("hog holds the executors the cacher does not")

    small = submit(ids["small"], SMALL_CODE, livy=livy)
    say(f"small: submitted 6 tasks (statement {small}): it waits with no executor")
    time.sleep(5)
    print(yarn_snapshot(livy, yarn_url) if yarn_url else snapshot(livy, master_ui), flush=True)

    if args.no_wait:
        say("leaving the sessions running (--no-wait)")
        return 0
    r = wait_statement(ids["small"], small, timeout=args.tasks * args.sleep + 300, livy=livy)
    say(f"small finished: {r['output']}")
    r = wait_statement(ids["hog"], hog, timeout=args.tasks * args.sleep + 300, livy=livy)
    say(f"hog finished: {r['output']}")
    print(yarn_snapshot(livy, yarn_url) if yarn_url else snapshot(livy, master_ui), flush=True)
    if args.cleanup:
        for n in names:
            delete_session(ids[n], livy=livy)
        say("sessions deleted")
    else:
        say(
            f"sessions {sorted(ids.values())} left running (the cacher pins its executors); "
            "delete them with: scenario.py delete-all"
        )
    return 0


def capture(args) -> int:
    """Save raw responses (Livy sessions and log, master /json/, each app's executors/stages)."""
    os.makedirs(args.out, exist_ok=True)

    def save(name, obj):
        with open(os.path.join(args.out, name), "w") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")
        print("wrote", os.path.join(args.out, name))

    sessions = get_json(f"{args.livy}/sessions")
    save("livy_sessions.json", sessions)
    for i, s in enumerate(sessions["sessions"]):
        log = session_log(s["id"], 200, args.livy)
        save(f"livy_log_{s['id']}.json", log)
        if i == 0:
            save("livy_log.json", log)
    m = master_json(args.master_ui)
    save("master_json.json", m)
    for app in m.get("activeapps", []):
        name = app["name"]
        save(f"executors_{name}.json", driver_api(app["id"], "/executors", args.master_ui))
        save(
            f"stages_active_{name}.json",
            driver_api(app["id"], "/stages?status=active", args.master_ui),
        )
    if m.get("activeapps"):
        app = m["activeapps"][0]
        save(
            "applications.json", get_json(f"{args.master_ui}/proxy/{app['id']}/api/v1/applications")
        )
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Drive the devstack Livy endpoint")
    p.add_argument("--livy", default=LIVY_URL)
    p.add_argument("--master-ui", default=MASTER_UI)
    p.add_argument("--yarn-url", default=YARN_URL, help="the YARN topology's ResourceManager")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("contention", help="one session hogs every executor, two others wait")
    c.add_argument("--tasks", type=int, default=600)
    c.add_argument("--sleep", type=float, default=1.0)
    c.add_argument(
        "--name-prefix", default="", help="give sessions names (their apps are then named so)"
    )
    c.add_argument("--no-wait", action="store_true", help="return once contention is set up")
    c.add_argument("--cleanup", action="store_true", help="delete the sessions at the end")
    sub.add_parser("list", help="GET /sessions")
    sub.add_parser(
        "snapshot", help="sessions with their apps, executors, running and pending tasks"
    )
    sub.add_parser(
        "delete-all", help="delete every session (on YARN, and the apps Livy left behind)"
    )
    cap = sub.add_parser("capture", help="save raw responses as JSON files")
    cap.add_argument(
        "--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "samples")
    )
    args = p.parse_args(argv)
    if args.cmd == "contention":
        return contention(args)
    if args.cmd == "list":
        print(json.dumps(list_sessions(args.livy), indent=2))
    elif args.cmd == "snapshot":
        if args.yarn_url:
            print(yarn_snapshot(args.livy, args.yarn_url))
        else:
            print(snapshot(args.livy, args.master_ui))
    elif args.cmd == "delete-all":
        for s in list_sessions(args.livy):
            delete_session(s["id"], args.livy)
            print("deleted", s["id"])
        if args.yarn_url:
            for app_id in kill_apps_left_by_livy(args.yarn_url, args.livy):
                print("killed", app_id, "(left by Livy)")
    elif args.cmd == "capture":
        return capture(args)
    return 0
