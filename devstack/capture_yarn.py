#!/usr/bin/env python3
"""Record what the YARN topology of devstack/endpoint.sh answers, as raw JSON files.

    python3 devstack/capture_yarn.py --out devstack/samples/yarn [--prefix cluster_]

Livy GET /sessions; the RM's /ws/v1/cluster/{metrics,apps,scheduler,nodes}; and for every
running application, through the RM web proxy (http://<rm>/proxy/<appId>/...), the driver's
/api/v1/applications, /applications/<id>/executors, /stages?status=active and /environment.
Responses are stored as received (pretty-printed), hosts and ports included.
stdlib only; URLs from GLUE_DEVSTACK_LIVY_URL / GLUE_DEVSTACK_YARN_URL or the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.request
from pathlib import Path

LIVY = os.environ.get("GLUE_DEVSTACK_LIVY_URL", "http://127.0.0.1:8998")
YARN = os.environ.get("GLUE_DEVSTACK_YARN_URL", "http://127.0.0.1:8088")


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def save(out: Path, name: str, data) -> None:
    (out / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {out / (name + '.json')}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--prefix", default="", help="prefix of every file name")
    p.add_argument("--livy", default=LIVY)
    p.add_argument("--yarn", default=YARN)
    p.add_argument("--no-apps", action="store_true", help="skip the per-application driver REST")
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    pre = a.prefix
    save(out, f"{pre}livy_sessions", get(f"{a.livy}/sessions"))
    for what in ("metrics", "apps", "scheduler", "nodes"):
        save(out, f"{pre}rm_{what}", get(f"{a.yarn}/ws/v1/cluster/{what}"))
    if a.no_apps:
        return
    running = get(f"{a.yarn}/ws/v1/cluster/apps?states=RUNNING").get("apps") or {}
    for app in running.get("app", []):
        aid, name = app["id"], app["name"]
        base = f"{a.yarn}/proxy/{aid}/api/v1"
        paths = {
            "applications": "/applications",
            "executors": f"/applications/{aid}/executors",
            "stages_active": f"/applications/{aid}/stages?status=active",
            "environment": f"/applications/{aid}/environment",
        }
        for label, path in paths.items():
            try:
                save(out, f"{pre}{name}_{label}", get(base + path))
            except Exception as error:  # an app that ends while we read it
                print(f"{aid} {path}: {error}")


if __name__ == "__main__":
    main()
