#!/usr/bin/env python3
"""One minilivy session's pyspark driver (devstack/minilivy.py starts one per session).

It runs the session's statements (pyspark code, SQL) in a SparkSession made with the session's
conf, and writes what happens to the pipe minilivy gave it, one JSON event a line: the session
is up (its app id and Spark UI), a statement's progress and its output, as Livy's repl would.

Usage (by minilivy.py only): minilivy_driver.py --session-id N --result-fd FD --conf JSON
"""

from __future__ import annotations

import argparse
import ast
import collections
import contextlib
import io
import json
import os
import sys
import threading
import traceback

SQL_MAX_ROWS = 1000  # livy.rsc.sql.num-rows


def driver(args) -> None:
    out = os.fdopen(args.result_fd, "w", buffering=1, encoding="utf-8")
    out_lock = threading.Lock()

    def emit(ev: dict) -> None:
        with out_lock:
            out.write(json.dumps(ev) + "\n")

    conf = json.loads(args.conf)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    for k, v in conf.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    try:
        from pyspark.sql import SQLContext

        sql_context = SQLContext(sc, spark)
    except Exception:
        sql_context = None
    emit({"event": "ready", "appId": sc.applicationId, "uiUrl": sc.uiWebUrl})

    user_ns = {"__name__": "__main__", "spark": spark, "sc": sc, "sqlContext": sql_context}
    queue: collections.deque = collections.deque()
    cond = threading.Condition()
    cancelled: set = set()
    stopping = threading.Event()

    def progress_loop(sid: int, done: threading.Event) -> None:
        tracker = sc.statusTracker()
        last = None
        while not done.wait(1.0):
            try:
                total = finished = 0
                for jid in tracker.getJobIdsForGroup(str(sid)):
                    job = tracker.getJobInfo(jid)
                    for stg in job.stageIds if job else []:
                        info = tracker.getStageInfo(stg)
                        if info:
                            total += info.numTasks
                            finished += info.numCompletedTasks
                p = round(finished / total, 4) if total else 0.0
                if p != last:
                    emit({"event": "progress", "id": sid, "progress": p})
                    last = p
            except Exception:
                pass

    def run_python(code: str, n: int) -> dict:
        buf = io.StringIO()
        old = sys.stdout
        sys.stdout = buf
        try:
            tree = ast.parse(code, "<stdin>", "exec")
            last = tree.body[-1] if tree.body else None
            if isinstance(last, ast.Expr):
                tree.body = tree.body[:-1]
                exec(compile(tree, "<stdin>", "exec"), user_ns)
                value = eval(compile(ast.Expression(last.value), "<stdin>", "eval"), user_ns)
                if value is not None:
                    print(repr(value))
            else:
                exec(compile(tree, "<stdin>", "exec"), user_ns)
        except BaseException:
            et, ev, tb = sys.exc_info()
            sys.stdout = old
            lines = traceback.format_exception(et, ev, tb)
            # drop this function's frame, as fake_shell.py does with its own
            lines = lines[:1] + [ln for ln in lines[1:] if __file__ not in ln]
            return {
                "status": "error",
                "execution_count": n,
                "ename": et.__name__,
                "evalue": str(ev),
                "traceback": lines,
            }
        finally:
            sys.stdout = old
        text = buf.getvalue()
        if text.endswith("\n"):
            text = text[:-1]
        return {"status": "ok", "execution_count": n, "data": {"text/plain": text}}

    def run_sql(code: str, n: int) -> dict:
        try:
            df = spark.sql(code)
            rows = [list(r) for r in df.take(SQL_MAX_ROWS)]
            data = {"schema": json.loads(df.schema.json()), "data": rows}
            return {
                "status": "ok",
                "execution_count": n,
                "data": {"application/json": json.loads(json.dumps(data, default=str))},
            }
        except Exception as e:
            return {
                "status": "error",
                "execution_count": n,
                "ename": type(e).__name__,
                "evalue": str(e),
                "traceback": traceback.format_exception(type(e), e, e.__traceback__),
            }

    def worker() -> None:
        while True:
            with cond:
                while not queue and not stopping.is_set():
                    cond.wait()
                if stopping.is_set():
                    return
                msg = queue.popleft()
            sid = msg["id"]
            if sid in cancelled:
                emit({"event": "result", "id": sid, "cancelled": True, "output": None})
                continue
            emit({"event": "started", "id": sid})
            sc.setJobGroup(str(sid), f"livy statement {sid}", interruptOnCancel=True)
            done = threading.Event()
            threading.Thread(target=progress_loop, args=(sid, done), daemon=True).start()
            kind = msg.get("kind") or "pyspark"
            if kind in ("pyspark", "python"):
                output = run_python(msg["code"], sid)
            elif kind == "sql":
                output = run_sql(msg["code"], sid)
            else:
                output = {
                    "status": "error",
                    "execution_count": sid,
                    "ename": "NotImplementedError",
                    "evalue": f"minilivy runs pyspark and sql statements only, not {kind}",
                    "traceback": [],
                }
            done.set()
            emit({"event": "result", "id": sid, "output": output, "cancelled": sid in cancelled})

    t = threading.Thread(target=worker, daemon=True)
    t.start()
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        op = msg.get("op")
        if op == "run":
            with cond:
                queue.append(msg)
                cond.notify()
        elif op == "cancel":
            cancelled.add(msg["id"])
            with contextlib.suppress(Exception):
                sc.cancelJobGroup(str(msg["id"]))
        elif op == "stop":
            break
    # stdin closed (server gone) or stop: end the Spark app so its executors go back
    stopping.set()
    with cond:
        cond.notify_all()
    try:
        spark.stop()
    finally:
        os._exit(0)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--session-id", type=int, required=True)
    p.add_argument("--result-fd", type=int, required=True)
    p.add_argument("--conf", required=True)
    p.add_argument("--marker", default=None, help="the devstack's token, for finding its processes")
    driver(p.parse_args(argv))


if __name__ == "__main__":
    main()
