"""The benchmark's tables: one per S (ours, the budget, the naive tabs), the markdown summary
with a column per S (what bench/README.md shows), and the panel's rows. Pure functions of the
results run.py collects or reads back from a --json file (--report).
"""

from __future__ import annotations

from common import percentile

BUDGETS = {
    "analysis_ms": 20.0,  # at 500 sessions
    "lag_p99_ms": 10.0,
    "wall_s": 2.0,  # at 50 ms latency, 500 sessions
}


def fmt(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, float) and x != x:
        return "n/a"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}"


def verdict(value, limit):
    return "ok" if value < limit else "MISSED"


def panel_table(panel: dict) -> str:
    """The panel's rows: p50 / p95 (ms) of each measure in each workload, and the budget."""
    budget = panel["budget"]
    cases = list(panel["results"])
    lines = [
        f"Panel update with 200 sessions, in a browser (budget: p95 < {budget} ms)",
        "",
        "| measure | " + " | ".join(f"{c}: p50 / p95" for c in cases) + " | budget |",
        "|---|" + "---|" * len(cases) + "---|",
    ]
    measures = [
        ("update", "response -> DOM committed (rows in view)", True),
        ("commit", "React render + commit", False),
        ("settled", "response -> all rows committed", False),
        ("frame", "response -> next frame done", False),
    ]
    for key, label, budgeted in measures:
        cells, worst = [], 0.0
        for c in cases:
            values = [float(v) for v in panel["results"][c].get(key) or []]
            p95 = percentile(values, 0.95)
            worst = max(worst, p95)
            cells.append(f"{fmt(percentile(values, 0.5))} / {fmt(p95)}")
        mark = verdict(worst, budget) if budgeted else "-"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {mark} |")
    lines += ["", panel.get("machine", "")]
    return "\n".join(lines)


def table(r: dict, naive: dict | None) -> str:
    """The rows of one S: metric, ours, budget, naive 1 tab, naive 10 tabs, naive/ours."""
    S = r["sessions"]
    cpu, wall, req = r["cpu"], r["wall"], r["requests"]
    t1, t10 = r["tabs"]["1"], r["tabs"]["10"]
    lag, stress = r["lag"], r["lag_stress"]
    g200, g304 = r["get"]["200"], r["get"]["304"]
    hg, he = r["history_get"], r["history_get_etag"]
    n1 = naive and naive["1"]
    ms = 1000  # seconds to milliseconds
    ours_cpu_ms = cpu["cpu"] * ms
    ours10_cpu_ms = ours_cpu_ms + 10 * g200["server_cpu_ms"]
    budget_500 = S == 500

    def of(tabs: str, path: str, scale: float = 1):
        """The naive run's number at a dotted path (tabs: "1" or "10"), scaled; None without."""
        if not naive:
            return None
        value = naive[tabs]
        for key in path.split("."):
            value = value[key]
        return value if scale == 1 else value * scale

    def ratio(a, b):
        return f"{a / b:,.1f}x" if a and b else "-"

    def vs(path: str, scale: float = 1, digits: int = 1, tabs=("1", "10"), ours=None):
        """The naive 1-tab and 10-tab cells ("" for a count not in tabs), then naive/ours for
        the first of tabs when ours is given."""
        cells = [fmt(of(n, path, scale), digits) if n in tabs else "" for n in ("1", "10")]
        return (*cells, "" if ours is None else ratio(of(tabs[0], path, scale), ours))

    def lag_cells(x):
        return (
            f"{fmt(x['p50'], 2)}/{fmt(x['p99'], 1)}/{fmt(x['max'], 0)}",
            f"p99 < 10: {verdict(x['p99'], BUDGETS['lag_p99_ms'])}",
        )

    def counts(statuses):
        return ",".join(f"{k}x{v}" for k, v in statuses.items())

    endpoint1, endpoint10 = (t["endpoint_requests_per_cycle"] for t in (t1, t10))
    wall_budget = f"< 2 s: {verdict(wall['wall'], BUDGETS['wall_s'])}"
    analysis_budget = f"< 20 ms: {verdict(cpu['analysis'] * ms, BUDGETS['analysis_ms'])}"
    block = hg.get("longest_block_ms")
    # (metric, ours, budget, naive 1 tab, naive 10 tabs, naive/ours); missing cells are empty
    rows = [
        ("endpoint requests / cycle: Livy", fmt(req["livy"]), "1 list call", *vs("requests.livy")),
        (
            "endpoint requests / cycle: Spark",
            fmt(req["spark"]),
            "only where needed",
            *vs("requests.spark"),
        ),
        ("endpoint requests / cycle: cluster", fmt(req["cluster"]), "", "0", "0"),
        (
            "endpoint requests / cycle, 1 tab open",
            fmt(endpoint1),
            "",
            *vs("requests.total", tabs=("1",), ours=endpoint1),
        ),
        (
            "endpoint requests / cycle, 10 tabs open",
            fmt(endpoint10),
            "= 1 tab: " + ("ok" if endpoint10 <= endpoint1 else "MISSED"),
            *vs("requests.total", tabs=("10",), ours=endpoint10),
        ),
        ("  (snapshot API reads by the 10 tabs)", fmt(t10["snapshot_reads"])),
        (
            "cycle wall @50 ms latency (s)",
            fmt(wall["wall"], 2),
            wall_budget if budget_500 else "< 2 s @500",
            *vs("wall_50ms", digits=2, ours=wall["wall"]),
        ),
        ("cycle wall @0 latency (s)", fmt(cpu["wall"], 3), "", *vs("wall_seconds", digits=3)),
        (
            "CPU / cycle (ms), server [naive: tabs]",
            fmt(ours_cpu_ms),
            "",
            *vs("cpu_seconds", ms, ours=ours_cpu_ms),
        ),
        (
            "CPU / cycle with 10 tabs reading (ms)",
            fmt(ours10_cpu_ms),
            "",
            *vs("cpu_seconds", ms, tabs=("10",), ours=ours10_cpu_ms),
        ),
        (
            "CPU / session / cycle (us)",
            fmt(cpu["cpu"] / S * 1e6, 0),
            "",
            fmt(n1 and n1["cpu_seconds"] / S * 1e6, 0),
        ),
        ("  fetch = total - parse - analysis (ms)", fmt(cpu["fetch"] * ms)),
        ("    of which JSON decode (ms)", fmt(cpu["json"] * ms)),
        ("    of which publish: dumps + ETag (ms)", fmt(cpu["publish"] * ms)),
        ("    of which notebook index (ms)", fmt(cpu["notebooks"] * ms, 2)),
        ("  parse (ms)", fmt(cpu["parse"] * ms)),
        (
            "  analysis (ms)",
            fmt(cpu["analysis"] * ms),
            analysis_budget if budget_500 else "< 20 ms @500",
        ),
        ("loop lag @50 ms p50/p99/max (ms)", *lag_cells(lag)),
        ("loop lag @0 latency p50/p99/max (ms)", *lag_cells(stress)),
        ("snapshot size (bytes)", fmt(r["snapshot_bytes"])),
        (
            "snapshot GET 200: client / server CPU (ms)",
            f"{fmt(g200['median_ms'], 2)} / {fmt(g200['server_cpu_ms'], 2)}",
        ),
        (
            "snapshot GET 304 (unchanged): client / server CPU (ms)",
            f"{fmt(g304['median_ms'], 2)} / {fmt(g304['server_cpu_ms'], 2)}",
            "304s: " + counts(g304["statuses"]),
        ),
        ("history ring, 1 h = 720 cycles (MB, tracemalloc)", fmt(r["history_bytes"] / 2**20, 2)),
        ("server RSS with 1 h of history (MB)", fmt(r["rss_mb"], 0)),
        (
            "history GET, 1 h: bytes / server CPU ms / loop block ms",
            f"{fmt(hg['body_bytes'])} / {fmt(hg['server_cpu_ms'], 1)} / {fmt(block, 1)}",
            "blocks the loop" if (block or 0) > 10 else "",
        ),
        (
            "history GET again (If-None-Match): server CPU ms",
            fmt(he["server_cpu_ms"], 1),
            counts(he["statuses"]),
        ),
    ]
    rows = [(*row, *[""] * (6 - len(row))) for row in rows]

    header = ("metric", "ours", "budget", "naive 1 tab", "naive 10 tabs", "naive/ours")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        f"S = {S} sessions  (states {r['states']}; statuses {r['statuses']}; "
        f"YARN, {r['workers']} workers)",
        "  ".join(h.ljust(w) for h, w in zip(header, widths)),
        "  ".join("-" * w for w in widths),
    ]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    return "\n".join(lines)


def summary(results: list[dict], naives: dict) -> str:
    """One markdown table, a column per S (what the README shows)."""
    naives = {int(k): v for k, v in naives.items()}
    sizes = [r["sessions"] for r in results]

    def row(metric, budget, *parts):
        """Each part is a function of (result, naive) -> text; "-" where there is no data."""
        cells = []
        for r in results:
            texts = []
            for part in parts:
                try:
                    texts.append(part(r, naives.get(r["sessions"])))
                except (KeyError, TypeError):
                    texts.append("-")
            cells.append(" / ".join(texts))
        return f"| {metric} | {budget} | " + " | ".join(cells) + " |"

    def cell(path: str, scale: float = 1, digits: int = 1, naive: bool = False):
        """The number at a dotted path of the result (of the naive run: naive=True), scaled."""

        def text(r, n):
            value = n if naive else r
            for key in path.split("."):
                value = value[key]
            return fmt(value if scale == 1 else value * scale, digits)

        return text

    def lag(x):
        return f"{fmt(x['p50'], 1)} / {fmt(x['p99'], 1)} / {fmt(x['max'], 0)}"

    ms = 1000  # seconds to milliseconds
    lines = [
        "| metric | budget | " + " | ".join(f"S={S}" for S in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
        row(
            "Livy / Spark / cluster requests per cycle",
            "Livy: 1 list call",
            *(cell(f"requests.{peer}") for peer in ("livy", "spark", "cluster")),
        ),
        row(
            "endpoint requests per cycle with 10 tabs: ours / naive",
            "ours(10) = ours(1)",
            cell("tabs.10.endpoint_requests_per_cycle", digits=0),
            cell("10.requests.total", digits=0, naive=True),
        ),
        row(
            "cycle wall @50 ms latency (s): ours / naive tab",
            "< 2 s at S=500",
            cell("wall.wall", digits=2),
            cell("1.wall_50ms", naive=True),
        ),
        row(
            "CPU per cycle (ms): ours / naive 1 tab / naive 10 tabs",
            "",
            cell("cpu.cpu", ms),
            cell("1.cpu_seconds", ms, naive=True),
            cell("10.cpu_seconds", ms, digits=0, naive=True),
        ),
        row(
            "CPU per session per cycle (us)",
            "",
            lambda r, n: fmt(r["cpu"]["cpu"] / r["sessions"] * 1e6, 0),
        ),
        row(
            "fetch / parse / analysis (ms per cycle)",
            "analysis < 20 ms at S=500",
            *(cell(f"cpu.{part}", ms) for part in ("fetch", "parse", "analysis")),
        ),
        row(
            "of fetch: JSON decode / publish (ms)",
            "",
            cell("cpu.json", ms),
            cell("cpu.publish", ms),
        ),
        row("loop lag p50 / p99 / max @50 ms (ms)", "p99 < 10 ms", lambda r, n: lag(r["lag"])),
        row("loop lag p50 / p99 / max @0 ms, stress (ms)", "", lambda r, n: lag(r["lag_stress"])),
        row("snapshot size (bytes)", "", cell("snapshot_bytes")),
        row(
            "snapshot GET server CPU (ms): 200 / 304",
            "",
            *(cell(f"get.{code}.server_cpu_ms", digits=2) for code in ("200", "304")),
        ),
        row(
            "1 h of history (MB) / server RSS (MB)",
            "",
            cell("history_bytes", 2**-20),
            cell("rss_mb", digits=0),
        ),
        row(
            "history GET of 1 h: server CPU first / again (ms)",
            "",
            cell("history_get.server_cpu_ms"),
            cell("history_get_etag.server_cpu_ms"),
        ),
        row(
            "history GET of 1 h: longest loop block (ms)", "", cell("history_get.longest_block_ms")
        ),
    ]
    return "\n".join(lines)
