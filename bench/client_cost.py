"""CPU per request of HTTP clients the poller could use, against emulator_server.py.

    python bench/client_cost.py [--requests 1000] [--concurrency 8] [--package-root DIR]
        [--only SUBSTRING]

Why: almost all of a cycle's CPU is spent fetching (see run.py), about 0.4 ms per request with
tornado's SimpleAsyncHTTPClient, which opens a new TCP connection for every request (it sends
"Connection: close") and resolves the host in a thread each time. This compares, on the same
1000 Spark executors answers (json.loads included):
  - tornado SimpleAsyncHTTPClient, as JsonFetcher used it before its pool;
  - the same with a resolver that caches (what its CachingResolver did);
  - a keep-alive pool on tornado's own HTTP1Connection (a prototype, not production code);
  - httpx.AsyncClient (keep-alive, pure Python);
  - aiohttp.ClientSession (keep-alive, C parser llhttp), when aiohttp is importable: as it
    comes, and tuned for this job (no cookie jar, no environment look-ups, one session, a
    connection limit per host, DNS cached);
  - glue_sessions' JsonFetcher (keep-alive pool on an asyncio protocol; since issue 24 its
    answers are parsed by llhttp through httptools), imported from --package-root when given
    (e.g. a worktree of an older commit, to measure the hand-written parser beside it);
  - http.client with one keep-alive connection, sequential (the naive tab's client).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

from tornado import httputil
from tornado.http1connection import HTTP1Connection, HTTP1ConnectionParameters
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.netutil import DefaultLoopResolver, Resolver
from tornado.tcpclient import TCPClient

HERE = Path(__file__).resolve().parent


class CachedResolver(Resolver):
    def initialize(self):
        self.inner = DefaultLoopResolver()
        self.cache = {}

    async def resolve(self, host, port, family=socket.AF_UNSPEC):
        key = (host, port, family)
        if key not in self.cache:
            self.cache[key] = await self.inner.resolve(host, port, family)
        return self.cache[key]


class _Body(httputil.HTTPMessageDelegate):
    def __init__(self):
        self.chunks, self.headers = [], None

    def headers_received(self, start_line, headers):
        self.headers = headers

    def data_received(self, chunk):
        self.chunks.append(chunk)


class KeepAlivePool:
    """Prototype: idle keep-alive streams per (host, port), reused request after request."""

    def __init__(self, size: int):
        self.idle: dict = {}
        self.tcp = TCPClient(resolver=CachedResolver())
        self.semaphore = asyncio.Semaphore(size)
        self.params = HTTP1ConnectionParameters(decompress=True, max_body_size=64 << 20)

    async def get(self, url: str) -> bytes:
        u = urlsplit(url)
        key = (u.hostname, u.port or 80)
        async with self.semaphore:
            streams = self.idle.setdefault(key, [])
            stream = streams.pop() if streams else None
            if stream is None or stream.closed():
                stream = await self.tcp.connect(*key)
            conn = HTTP1Connection(stream, True, self.params)
            path = u.path + (f"?{u.query}" if u.query else "")
            conn.write_headers(
                httputil.RequestStartLine("GET", path, "HTTP/1.1"),
                httputil.HTTPHeaders({"Host": u.netloc, "Accept": "application/json"}),
            )
            conn.finish()
            body = _Body()
            await conn.read_response(body)
            if not stream.closed() and body.headers.get("Connection", "").lower() != "close":
                streams.append(stream)
            return b"".join(body.chunks)


async def measure(get, urls, concurrency, decode=True):
    semaphore = asyncio.Semaphore(concurrency)

    async def one(url):
        async with semaphore:
            body = await get(url)
            return json.loads(body) if decode else body  # JsonFetcher decodes itself

    await asyncio.gather(*[one(u) for u in urls[:20]])  # warm up
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*[one(u) for u in urls])
    return time.process_time() - cpu, time.perf_counter() - wall


def tornado_get(resolver=None, concurrency=8):
    kw = {"resolver": resolver} if resolver else {}
    client = AsyncHTTPClient(force_instance=True, max_clients=concurrency, **kw)

    async def get(url):
        response = await client.fetch(HTTPRequest(url, headers={"Accept": "application/json"}))
        return response.body

    return get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--package-root", default=str(HERE.parent), help="glue_sessions from")
    parser.add_argument("--only", default="", help="run the variants whose name has this")
    args = parser.parse_args()
    emulator = subprocess.Popen(
        [sys.executable, str(HERE / "emulator_server.py")],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        base = emulator.stdout.readline().split()[1]
        urlopen(f"{base}/__bench/scenario?count=500").read()
        apps = [f"application_1764000000000_{i + 1:04d}" for i in range(500)]
        urls = [f"{base}/proxy/{a}/api/v1/applications/{a}/executors" for a in apps]
        urls = (urls * (args.requests // len(urls) + 1))[: args.requests]

        async def httpx_run():
            import httpx

            limits = httpx.Limits(max_connections=args.concurrency)
            async with httpx.AsyncClient(limits=limits) as client:

                async def get(url):
                    return (await client.get(url, headers={"Accept": "application/json"})).content

                return await measure(get, urls, args.concurrency)

        async def aiohttp_run():
            import aiohttp  # optional: pip install aiohttp (not a dependency of glue_sessions)

            connector = aiohttp.TCPConnector(limit=args.concurrency)
            async with aiohttp.ClientSession(connector=connector) as client:

                async def get(url):
                    headers = {"Accept": "application/json"}
                    async with client.get(url, headers=headers) as response:
                        return await response.read()

                return await measure(get, urls, args.concurrency)

        async def aiohttp_tuned_run():
            import aiohttp

            connector = aiohttp.TCPConnector(
                limit=args.concurrency,
                limit_per_host=args.concurrency,
                ttl_dns_cache=60,
                keepalive_timeout=55,
            )
            async with aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
                raise_for_status=False,
                skip_auto_headers=("User-Agent",),
            ) as client:
                headers = {"Accept": "application/json"}

                async def get(url):
                    async with client.get(url, headers=headers, allow_redirects=False) as answer:
                        return await answer.read()

                return await measure(get, urls, args.concurrency)

        async def fetcher_run():
            sys.path.insert(0, args.package_root)
            from glue_sessions.client.http import JsonFetcher

            fetcher = JsonFetcher(max_concurrency=args.concurrency)
            try:
                return await measure(fetcher.get_json, urls, args.concurrency, decode=False)
            finally:
                fetcher.close()

        async def pool_run():
            return await measure(KeepAlivePool(args.concurrency).get, urls, args.concurrency)

        variants = {
            "tornado SimpleAsyncHTTPClient (JsonFetcher before)": lambda: measure(
                tornado_get(None, args.concurrency), urls, args.concurrency
            ),
            "  + caching resolver": lambda: measure(
                tornado_get(CachedResolver(), args.concurrency), urls, args.concurrency
            ),
            "tornado HTTP1Connection keep-alive pool (prototype)": pool_run,
            "httpx.AsyncClient keep-alive": httpx_run,
            "glue_sessions JsonFetcher (asyncio protocol; --package-root)": fetcher_run,
            "aiohttp.ClientSession keep-alive": aiohttp_run,
            "aiohttp.ClientSession keep-alive, tuned": aiohttp_tuned_run,
        }
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            del variants["aiohttp.ClientSession keep-alive"]
            del variants["aiohttp.ClientSession keep-alive, tuned"]
        for name, make in variants.items():
            if args.only not in name:
                continue
            runs = [asyncio.run(make()) for _ in range(args.repeat)]
            cpu = statistics.median(r[0] for r in runs) / args.requests * 1e6
            wall = statistics.median(r[1] for r in runs)
            print(f"{name:55s} {cpu:6.0f} us CPU/request   wall {wall:5.2f} s")

        import http.client

        runs = []
        for _ in range(args.repeat):
            conn = http.client.HTTPConnection(urlsplit(base).netloc)
            cpu = time.process_time()
            for url in urls:
                conn.request("GET", urlsplit(url).path, headers={"Accept": "application/json"})
                json.loads(conn.getresponse().read())
            runs.append(time.process_time() - cpu)
        cpu = statistics.median(runs) / args.requests * 1e6
        print(f"{'http.client keep-alive, sequential (naive tab)':55s} {cpu:6.0f} us CPU/request")
    finally:
        emulator.terminate()
        emulator.wait()


if __name__ == "__main__":
    main()
