"""The live panels served, under a class: each panel's refresh (Why, Stress test, Compare
models) alone at 1, 8 and 32 raw-HTTP clients, then a class drawing with a panel open, where
every pen-up asks for the panel again (js/gallery.js):

    python -m benchmarks.panels [--people 30] [--strokes 6] [--replicas N]

Each person draws strokes of READS_PER_STROKE reads of the pad, paced as the page paces them
(a read at most every PAD_PACE seconds, one at a time: js/pad.js), then asks for the open
panel at pen-up, and starts the next stroke when it is on screen: everyone drawing without a
rest, the most a class can ask. Server CPU is the server process's own (/proc/PID/stat).
"""

import argparse
import asyncio
import time
import uuid

import httpx
import numpy as np

from benchmarks import load
from benchmarks.served import page_drawing
from tests.helpers.servers import start_server, stop_server

PANELS = {"Why": "why", "Stress test": "lab", "Compare models": "compare"}  # name: the gallery's elem_id
LEVELS = {1: 20, 8: 80, 32: 160}  # clients: requests
READS_PER_STROKE = 12  # the median stroke of benchmarks/browser.py
PAD_PACE = 0.15  # seconds between the starts of two reads while the pen moves (js/pad.js)


def refresh_routes(url: str) -> dict[str, str]:
    """Each panel's refresh event, by its route name in the page's config."""
    config = httpx.get(url + "config", timeout=30).json()
    ids = {component["id"]: component.get("props", {}).get("elem_id") for component in config["components"]}
    events = {ids.get(target): dependency["api_name"] for dependency in config["dependencies"]
              for target, event in dependency["targets"] if event == "refresh"}
    return {name: events[elem_id] for name, elem_id in PANELS.items()}


def asked(panel: str, drawing: str) -> list:
    """The refresh's inputs as the page sends them: drawing, model, language, checkpoint (and
    the rival for Why)."""
    return [drawing, "lenet5", "en", None] + (["auto"] if panel == "Why" else [])


def caller(url: str, route: str, data: list):
    """One refresh of a panel, as load.run makes its requests."""
    async def one(http, session):
        return await load.call(http, url, route, data, session)
    return one


def alone(url: str, pid: int, routes: dict[str, str], drawing: str) -> list[str]:
    rows = [load.HEADER]
    for panel, route in routes.items():
        one = caller(url, route, asked(panel, drawing))
        load.run(url, pid, 2, 8, one)  # warm up
        for clients, requests in LEVELS.items():
            rows.append(load.run(url, pid, clients, requests, one).row(f"{panel} refresh"))
            print(rows[-1], flush=True)
    return rows


def class_drawing(url: str, pid: int, route: str, data: list, people: int, strokes: int) -> dict:
    """`people` drawing `strokes` strokes each with the panel behind `route` open."""
    reads: list[float] = []
    panels: list[float] = []
    errors = 0

    async def person():
        nonlocal errors
        async with httpx.AsyncClient(timeout=120) as http:
            session = uuid.uuid4().hex
            for _ in range(strokes):
                for _ in range(READS_PER_STROKE):
                    start = time.perf_counter()
                    errors += not await load.read(http, url, data[:4])
                    reads.append(time.perf_counter() - start)
                    await asyncio.sleep(max(0.0, PAD_PACE - reads[-1]))
                start = time.perf_counter()
                errors += not await load.call(http, url, route, data, session)
                panels.append(time.perf_counter() - start)

    async def everyone():
        await asyncio.gather(*[person() for _ in range(people)])

    before, start = load.cpu_seconds(pid), time.perf_counter()
    asyncio.run(everyone())
    seconds, cpu = time.perf_counter() - start, load.cpu_seconds(pid) - before
    return {"strokes": people * strokes, "seconds": seconds, "cpu": cpu, "errors": errors,
            "read": np.percentile(reads, [50, 95]) * 1000, "panel": np.percentile(panels, [50, 95]) * 1000}


CLASS_HEADER = ("| panel open | people | strokes | strokes/s | read p50 / p95 | pen-up to panel p50 / p95 | errors | "
                "server CPU per stroke | server cores busy |\n" + "| --- " * 9 + "|")


def class_row(panel: str, people: int, result: dict) -> str:
    (read50, read95), (panel50, panel95) = result["read"], result["panel"]
    return (f"| {panel} | {people} | {result['strokes']} | {result['strokes'] / result['seconds']:.1f} | "
            f"{read50:.0f} / {read95:.0f} ms | {panel50:.0f} / {panel95:.0f} ms | {result['errors']} | "
            f"{1000 * result['cpu'] / result['strokes']:.0f} ms | {result['cpu'] / result['seconds']:.2f} |")


def measure(people: int, strokes: int, replicas: int = 0) -> list[str]:
    """Against one process, or `replicas` behind HAProxy (`python -m app --replicas N`)."""
    process, url = start_server(*(("--replicas", str(replicas)) if replicas else ()))
    try:
        drawing, routes = page_drawing(), refresh_routes(url)
        rows = alone(url, process.pid, routes, drawing)
        rows += ["", CLASS_HEADER]
        print(CLASS_HEADER, flush=True)
        for panel, route in routes.items():
            rows.append(class_row(panel, people, class_drawing(url, process.pid, route, asked(panel, drawing),
                                                               people, strokes)))
            print(rows[-1], flush=True)
    finally:
        stop_server(process)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--strokes", type=int, default=6, help="strokes each person draws")
    parser.add_argument("--replicas", type=int, default=0, help="serve with this many replicas behind HAProxy")
    arguments = parser.parse_args()
    measure(arguments.people, arguments.strokes, arguments.replicas)
