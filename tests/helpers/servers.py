"""A real `python -m app` for the tests: started on a free port as a user starts it, stopped,
and called the ways clients call it (the pad's read, Gradio's REST route, an upload)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*args: str, env: dict | None = None, timeout: float = 60, module: str = "app"):
    """`python -m app` (or another module serving a page) on a free port, as a user starts it;
    returns (process, url)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", module, "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read()}")
        try:
            urllib.request.urlopen(url + "gradio_api/info", timeout=2)
            return process, url
        except OSError as error:
            if getattr(error, "code", None) == 401:  # up, behind --auth
                return process, url
            time.sleep(0.3)
    process.kill()
    raise TimeoutError(f"server did not start in {timeout} s")


def read(http, data: list) -> dict:
    """The pad's read of a drawing as js/pad.js asks it (POST /read, data [drawing, model,
    language, checkpoint]); its reply. `http`: an httpx.Client with base_url, logged in."""
    reply = http.post("read", json=data)
    assert reply.status_code == 200, reply.text
    return reply.json()


def stop_server(process) -> str:
    """Stop a server from start_server; returns what it printed."""
    process.terminate()
    return process.communicate(timeout=10)[0]


def call(http, route: str, data: list) -> tuple[str, object]:
    """A call through the queue's REST route, as any HTTP client can make one: its last event
    and data. `http`: an httpx.Client with base_url (logged in, where the server asks)."""
    event_id = http.post(f"gradio_api/call/{route}", json={"data": data}).json()["event_id"]
    return result_of(http, route, event_id)


def result_of(http, route: str, event_id: str) -> tuple[str, object]:
    """The last event and data of a call made before, read from its event stream."""
    lines = dict(line.split(": ", 1) for line in http.get(f"gradio_api/call/{route}/{event_id}").text.splitlines()
                 if line)
    return lines["event"], json.loads(lines["data"])


def upload(http, data: bytes, name: str) -> dict:
    """A file uploaded as gradio_client uploads one; the FileData a call names it by."""
    reply = http.post("gradio_api/upload", files=[("files", (name, data))])
    assert reply.status_code == 200, reply.text
    return {"path": reply.json()[0], "meta": {"_type": "gradio.FileData"}}


def eventually(condition, timeout: float = 10, every: float = 0.05):
    """condition()'s first true value, asked every `every` seconds; its last value after `timeout`
    seconds (a server's log is read by a thread, some lines behind)."""
    deadline = time.monotonic() + timeout
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(every)
    return value
