"""The served app under load, as raw HTTP clients see it (httpx, asyncio), with the server's
own CPU time per request beside the latency: gradio_client spends ~85 ms of its own CPU on a
call here and would measure itself.

A stroke is one read of the pad's drawing (a POST to /read, as the page sends it); a /predict
is an upload and one queued call, or one POST of the image's bytes. Each client sends its
requests one after another in a session of its own, as the page and gradio_client keep one;
the server's CPU comes from /proc/PID/stat.
"""

import asyncio
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

TICKS = os.sysconf("SC_CLK_TCK")
# Paddle, imported by the app's modules, turns on INFO logging: httpx would then log every
# request the clients make, a line each, on the same cores as the server measured.
logging.getLogger("httpx").setLevel(logging.WARNING)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and of the processes it started (replicas, HAProxy)
    so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS + sum(cpu_seconds(child) for child in children(pid))


def children(pid: int) -> list[int]:
    try:
        return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    except OSError:  # it ended meanwhile
        return []


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024


async def call(http: httpx.AsyncClient, url: str, route: str, data: list, session: str | None = None) -> bool:
    """One queued call through Gradio's REST route: join, then read the event stream to its end."""
    reply = await http.post(f"{url}gradio_api/call/{route}", json={"data": data, "session_hash": session})
    if reply.status_code != 200:
        return False
    async with http.stream("GET", f"{url}gradio_api/call/{route}/{reply.json()['event_id']}") as stream:
        async for line in stream.aiter_lines():
            if line.startswith("event: "):
                event = line[7:]
                if event in ("complete", "error"):
                    return event == "complete"
    return False


async def read(http: httpx.AsyncClient, url: str, asked: list) -> bool:
    """One read of the pad's drawing (app.ui.reading): `asked` is the JSON the page posts."""
    reply = await http.post(f"{url}read", json=asked)
    return reply.status_code == 200 and not reply.content.startswith(b'{"error"')


async def post(http: httpx.AsyncClient, url: str, content: bytes) -> bool:
    """One POST /predict of an image file's bytes."""
    reply = await http.post(f"{url}predict", content=content)
    return reply.status_code == 200


async def upload(http: httpx.AsyncClient, url: str, name: str, content: bytes) -> dict:
    reply = await http.post(f"{url}gradio_api/upload", files={"files": (name, content, "image/png")})
    reply.raise_for_status()
    return {"path": json.loads(reply.text)[0], "meta": {"_type": "gradio.FileData"}}


@dataclass
class Result:
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    cpu: float  # server CPU seconds spent over the run
    client_cpu: float = 0.0  # and the clients' own (this process), on the same cores

    @property
    def done(self) -> int:
        return self.requests - self.errors

    @property
    def p95(self) -> float:
        return float(np.percentile(self.latencies, 95))

    def row(self, name: str) -> str:
        p50, p95, p99 = np.percentile(self.latencies, [50, 95, 99]) * 1000
        return (f"| {name} | {self.clients} | {self.requests} | {self.done / self.seconds:.0f} | {p50:.0f} ms | "
                f"{p95:.0f} ms | {p99:.0f} ms | {self.errors} | {1000 * self.cpu / max(self.done, 1):.1f} ms |")


HEADER = ("| route | clients | requests | requests/s | p50 | p95 | p99 | errors | server CPU per request |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")


def run(url: str, pid: int, clients: int, requests: int, one) -> Result:
    """`clients` at once, `requests` in all; `one(http, session)` makes one request and says
    if it worked."""

    async def client(count: int, latencies: list[float]) -> int:
        # A connection pool of its own, as a visitor's browser has: one pool shared by every
        # client made them queue for each other in httpx (the do-nothing floor app went from
        # 307 requests/s at 8 clients to 161 at 32, p95 23 → 563 ms).
        errors, session = 0, uuid.uuid4().hex
        async with httpx.AsyncClient(timeout=60) as http:
            for _ in range(count):
                start = time.perf_counter()
                try:
                    ok = await one(http, session)
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok
        return errors

    async def everyone():
        latencies: list[float] = []
        errors = await asyncio.gather(*[client(requests // clients, latencies) for _ in range(clients)])
        return sum(errors), latencies

    before, start, own = cpu_seconds(pid), time.perf_counter(), time.process_time()
    errors, latencies = asyncio.run(everyone())
    return Result(clients, len(latencies), errors, time.perf_counter() - start, latencies, cpu_seconds(pid) - before,
                  time.process_time() - own)
