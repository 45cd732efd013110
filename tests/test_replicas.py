"""Replicas behind HAProxy (`python -m app --replicas 2`), on loopback, behind a password: what
a class sharing one link gets. Gradio's sessions stick to a replica, the pad's reads go to
either, one login holds on both, and a replica that dies costs no visitor an answer."""

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from playwright.sync_api import expect

from app.replicas import HAPROXY_MISSING, HUNG_AFTER, healthy
from benchmarks.served import page_drawing
from tests.helpers.browsers import DESKTOP, PHONE, SEVEN, drawn, open_page, open_tab, shot
from tests.helpers.digits import DRAWN, label_of
from tests.helpers.processes import cpu_seconds
from tests.helpers.servers import eventually, start_server

USER, PASSWORD = "ada", "lovelace"
pytestmark = pytest.mark.skipif(shutil.which("haproxy") is None, reason="needs HAProxy: apt-get install -y haproxy")


class Balanced:
    """`python -m app --replicas 2` and what it printed, read as it prints it."""

    def __init__(self, process, url: str):
        self.process, self.url, self.log = process, url, []
        threading.Thread(target=lambda: self.log.extend(process.stdout), daemon=True).start()
        port = int(url.rsplit(":", 1)[1].strip("/"))
        self.ports = [port + 1, port + 2]

    def text(self) -> str:
        return "".join(self.log)

    def pids(self) -> dict[int, int]:
        """Each replica's process now: the latest the supervisor named."""
        deadline = time.monotonic() + 10
        while "Running on" not in self.text() and time.monotonic() < deadline:
            time.sleep(0.1)
        pids = {int(port): int(pid) for port, pid in re.findall(r"(\d+) pid (\d+)", self.text())}
        for port, pid in re.findall(r"replica (\d+) stopped .*? as pid (\d+)", self.text()):
            pids[int(port)] = int(pid)
        return pids


@pytest.fixture(scope="module")
def balanced():
    process, url = start_server("--replicas", "2", env={"LENET_LENS_AUTH": f"{USER}:{PASSWORD}"})
    yield Balanced(process, url)
    process.terminate()
    process.wait(timeout=20)


@contextlib.contextmanager
def signed_in(url: str):
    with httpx.Client(base_url=url, timeout=30) as http:
        assert http.post("login", data={"username": USER, "password": PASSWORD}).status_code == 200
        yield http


def test_twenty_sessions_each_stick_to_a_replica_and_answer(balanced):
    picture, seen = handle_file(str(DRAWN[0])), []

    def session(_):
        client = Client(balanced.url, auth=(USER, PASSWORD), verbose=False)
        first = client.predict(picture, api_name="/predict")
        why = client.predict(picture, 1, api_name="/explain")
        seen.append(client.cookies["lenet_replica"])
        return first["label"], why["rival"], len(why["attribution"])

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(session, range(20)))
    assert answers == [(label_of(DRAWN[0]), 1, 28)] * 20
    assert sorted(set(seen)) == ["r1", "r2"] and min(seen.count("r1"), seen.count("r2")) >= 5


async def reads(url: str, cookies, clients: int, each: int, retry: bool = False) -> tuple[list, int]:
    """`clients` raw clients reading the page's drawing `each` times; with `retry`, as the pad
    does: a read refused as busy or cut off is asked again. The labels read, and the retries."""
    drawing, labels, retries = page_drawing(), [], 0

    async def client():
        nonlocal retries
        async with httpx.AsyncClient(base_url=url, cookies=cookies, timeout=30) as http:
            for _ in range(each):
                for attempt in range(4 if retry else 1):
                    try:
                        reply = await http.post("read", json=[drawing, "lenet5", "en", None])
                        if reply.status_code not in (429, 502, 503, 504):
                            break
                    except httpx.TransportError:
                        reply = None
                    retries += 1
                    await asyncio.sleep(0.2 * 2 ** attempt)
                ok = reply is not None and reply.status_code == 200 and "error" not in reply.json()
                labels.append(re.search(r'll-digit"[^>]*>(\d)<', reply.json()["card"])[1] if ok else None)

    await asyncio.gather(*[client() for _ in range(clients)])
    return labels, retries


def test_32_readers_are_answered_by_both_replicas_with_one_login(balanced):
    pids = balanced.pids()
    with signed_in(balanced.url) as http:
        before = {port: cpu_seconds(pid) for port, pid in pids.items()}
        labels, _ = asyncio.run(reads(balanced.url, http.cookies, 32, 8))
        assert labels == [str(label_of(DRAWN[0]))] * 256  # no error, no 401 from either replica
        spent = {port: cpu_seconds(pid) - before[port] for port, pid in pids.items()}
        assert min(spent.values()) > 0.2 * max(spent.values()), spent  # both read, neither idle
        # The one login cookie, shown to each replica directly: both know it.
        for port in balanced.ports:
            direct = httpx.post(f"http://127.0.0.1:{port}/read", cookies=http.cookies,
                                json=[page_drawing(), "mlp", "en", None], timeout=30)
            assert direct.status_code == 200 and "error" not in direct.json()
            assert httpx.post(f"http://127.0.0.1:{port}/read", json=["", "mlp", "en", None]).status_code == 401


def test_a_replica_that_dies_mid_run_loses_no_answer_and_is_back(balanced):
    pids = balanced.pids()
    victim = balanced.ports[0]
    with signed_in(balanced.url) as http:
        async def run_and_kill():
            load = asyncio.ensure_future(reads(balanced.url, http.cookies, 16, 30, retry=True))
            await asyncio.sleep(1.0)
            os.kill(pids[victim], signal.SIGKILL)
            deadline = time.monotonic() + 30  # how fast it is back: benchmarks.run (about a second)
            while not healthy(victim) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return await load, healthy(victim)

        (labels, retries), back = asyncio.run(run_and_kill())
    assert labels == [str(label_of(DRAWN[0]))] * 480, labels  # every read answered, after a retry at most
    assert back
    # the balancer's lines reach the log a little later
    eventually(lambda: re.search(r"Server (reads|pages)/r1 is UP", balanced.text()), timeout=10)
    log = balanced.text()
    assert f"replica {victim} stopped (exit -9); started again" in log
    assert re.search(r"Server (reads|pages)/r1 is DOWN", log), log[-2000:]  # the balancer took it out...
    assert re.search(r"Server (reads|pages)/r1 is UP", log), log[-2000:]  # ...and back once it served
    assert balanced.pids()[victim] != pids[victim]


def test_a_replica_that_hangs_is_started_again(balanced):
    pids = balanced.pids()
    victim = balanced.ports[1]
    os.kill(pids[victim], signal.SIGSTOP)  # alive, holding its port, answering nothing
    deadline = time.monotonic() + HUNG_AFTER + 10
    while balanced.pids()[victim] == pids[victim] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert f"replica {victim} did not answer for {HUNG_AFTER} s; started again" in balanced.text()
    while not healthy(victim) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert healthy(victim)
    with signed_in(balanced.url) as http:
        assert http.post("predict", content=DRAWN[2].read_bytes()).json()["label"] == label_of(DRAWN[2])


def test_failed_logins_are_counted_per_visitor_through_the_balancer(balanced):
    def login(address: str, password: str) -> int:
        with httpx.Client(base_url=balanced.url, transport=httpx.HTTPTransport(local_address=address)) as fresh:
            return fresh.post("login", data={"username": USER, "password": password}).status_code

    # A guesser who drops the replica's cookie each time meets both replicas, 10 tries each,
    # and then the balancer's own count (20 a minute per address).
    assert [login("127.0.0.2", f"guess {i}") for i in range(24)] == [400] * 20 + [429] * 4
    assert login("127.0.0.3", PASSWORD) == 200  # another visitor still gets in
    sticky = httpx.Client(base_url=balanced.url, transport=httpx.HTTPTransport(local_address="127.0.0.4"))
    with sticky:  # one that keeps the cookie meets one replica, which stops it after 10
        statuses = [sticky.post("login", data={"username": USER, "password": f"guess {i}"}).status_code
                    for i in range(12)]
    assert statuses == [400] * 10 + [429] * 2


@pytest.mark.parametrize("locale, size", [("en-US", DESKTOP), ("zh-CN", PHONE)])
def test_the_page_through_the_balancer_works_as_on_one_process(browser, balanced, locale, size):
    # Gradio's login form, answered by whichever replica the balancer picks.
    page = open_page(browser, balanced.url, locale, size, login=(USER, PASSWORD))
    drawn(page, SEVEN, "7")
    page.click("#ask")
    expect(page.locator("#why figure")).to_have_count(3, timeout=20_000)
    open_tab(page, "lab")
    expect(page.locator("#lab svg.ll-chart")).to_have_count(6, timeout=30_000)
    open_tab(page, "compare")
    expect(page.locator("#compare .ll-gallery > figure")).not_to_have_count(0, timeout=20_000)
    other = "EN" if locale.startswith("zh") else "中文"
    page.locator("#language").get_by_text(other, exact=True).click()
    expect(page.locator("#answer")).to_contain_text("lenet5 reads" if other == "EN" else "lenet5 认为是",
                                                    timeout=15_000)
    page.locator("#main").scroll_into_view_if_needed()
    shot(page, f"balanced-{locale}-{size[0]}")
    assert page.console == [], page.console
    page.close()


def test_the_balancer_config_for_other_machines_is_valid(tmp_path):
    done = subprocess.run([sys.executable, "-m", "app.replicas", "--config", "10.0.0.2:7860", "10.0.0.3:7860",
                           "--bind", ":8080"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("server r2 10.0.0.3:7860 cookie r2") == 2  # in both backends
    (tmp_path / "haproxy.cfg").write_text(done.stdout)
    checked = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_without_haproxy_it_says_what_is_missing_in_one_line():
    without = os.pathsep.join(folder for folder in os.environ["PATH"].split(os.pathsep)
                              if not (Path(folder) / "haproxy").exists())
    done = subprocess.run([sys.executable, "-m", "app", "--replicas", "2"], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PATH": without})
    assert done.returncode == 2 and done.stderr.strip() == HAPROXY_MISSING
