"""The guard against a real `python -m app` behind a password: routes the page does not use,
bodies that trickle, a client taking every slot, a login page that told the API, and an upload
header written twice."""

import asyncio
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from app.guard import BODY_SECONDS, PER_CLIENT
from app.server import TRIM_EVERY
from benchmarks.served import page_drawing
from tests.helpers.digits import DRAWN
from tests.helpers.images import pixel_bomb_png
from tests.helpers.processes import memory_mb
from tests.helpers.servers import start_server

USER, PASSWORD = "ada", "lovelace"


@pytest.fixture(scope="module")
def served():
    process, url = start_server(env={"LENET_LENS_AUTH": f"{USER}:{PASSWORD}"})
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()
    yield url, log, process.pid
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def http(served):
    with httpx.Client(base_url=served[0], timeout=30) as client:
        assert client.post("login", data={"username": USER, "password": PASSWORD}).status_code == 200
        yield client


@pytest.mark.parametrize("method, path", [("POST", "gradio_api/process_recording"), ("GET", "gradio_api/dev/reload"),
                                          ("GET", "monitoring"), ("POST", "gradio_api/vibe-edit"),
                                          ("GET", "gradio_api/runs"), ("POST", "gradio_api/run/predict"),
                                          ("GET", "gradio_api/proxy=http://example.com/")])
def test_routes_the_page_does_not_use_are_not_there(http, method, path):
    reply = http.request(method, path, content=b"x" * 100)
    assert reply.status_code == 404 and reply.json() == {"detail": "no such page"}


def test_the_login_page_does_not_describe_the_api(served, http):
    outsider = httpx.get(served[0])
    assert outsider.status_code == 200 and "window.gradio_config" in outsider.text
    assert "named_endpoints" not in outsider.text and "window.gradio_api_info = null;" in outsider.text
    assert "named_endpoints" in http.get("").text  # signed in, the page has it


def trickle(url: str, cookie: str, stop: threading.Event) -> str:
    """A read whose body comes a byte a second; the status line it gets, or '' if none."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=BODY_SECONDS + 10) as connection:
        connection.sendall(b"POST /read HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 1000\r\n\r\n" % cookie.encode())
        connection.settimeout(1)
        while not stop.is_set():
            try:
                return connection.recv(100).split(b"\r\n")[0].decode()
            except TimeoutError:
                connection.sendall(b" ")
    return ""


def test_trickling_bodies_hold_no_slot_and_one_client_cannot_take_them_all(served, http):
    url, log, _ = served
    cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    stop, answers = threading.Event(), []
    threads = [threading.Thread(target=lambda: answers.append(trickle(url, cookie, stop))) for _ in range(PER_CLIENT)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    # The same client once more: past its share of bodies on their way.
    assert http.post("read", json=["", "lenet5", "en", None]).status_code == 429
    # Anyone else is read at once: the tricklers hold no reading slot.
    async def visitor():
        async with httpx.AsyncClient(base_url=url, timeout=5, cookies=http.cookies,
                                     transport=httpx.AsyncHTTPTransport(local_address="127.0.0.2")) as other:
            return (await other.post("read", json=[page_drawing(), "lenet5", "en", None])).status_code
    assert asyncio.run(visitor()) == 200
    assert answers == []  # answered while every trickler still waits for its body's time to run out
    for thread in threads:
        thread.join(BODY_SECONDS + 5)
    stop.set()
    assert answers == ["HTTP/1.1 408 Request Timeout"] * PER_CLIENT
    def timed_out() -> int:
        return sum(f"408 a request must arrive within {BODY_SECONDS} s" in line for line in log)
    deadline = time.monotonic() + 5  # the log is read by a thread, a few lines behind
    while timed_out() < PER_CLIENT and time.monotonic() < deadline:
        time.sleep(0.1)
    assert timed_out() == PER_CLIENT


def test_an_upload_header_with_two_boundaries_counts_parts_as_the_parser_will(http):
    parts = b"".join(b"--second\r\nContent-Disposition: form-data; name=\"files\"; filename=\"%d.png\"\r\n\r\n%d\r\n"
                     % (i, i) for i in range(50)) + b"--second--\r\n"
    reply = http.post("gradio_api/upload", content=parts,
                      headers={"Content-Type": "multipart/form-data; boundary=first; boundary=second"})
    assert reply.status_code == 413 and "at most 1 file" in reply.json()["detail"]



def test_memory_a_burst_of_large_images_took_is_given_back(served, http):
    pid = served[2]
    http.post("predict", content=DRAWN[0].read_bytes())
    before = memory_mb(pid)
    largest = pixel_bomb_png(4096)  # the largest image accepted
    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(lambda _: http.post("predict", content=largest).status_code, range(12))) == {200}
    grown = memory_mb(pid) - before
    deadline = time.monotonic() + TRIM_EVERY + 15
    while memory_mb(pid) - before > 40 and time.monotonic() < deadline:
        time.sleep(1)
    assert memory_mb(pid) - before <= 40, (grown, memory_mb(pid) - before)
