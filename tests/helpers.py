"""What the tests (and only the tests) share: fixture paths, a canvas maker, a server starter."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
from PIL import Image

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DRAWN = sorted((FIXTURES / "drawn").glob("*.png"))


def label_of(path: Path) -> int:
    return int(path.stem.split("label")[1])


def canvas_with(digit: np.ndarray, size=800, top=100, left=200, height=400) -> np.ndarray:
    """An MNIST-style digit (bright ink on black) pasted large onto a white-paper RGBA canvas."""
    ink = np.asarray(Image.fromarray(digit).resize((height, height), Image.Resampling.BILINEAR))
    canvas = np.full((size, size, 4), 255, np.uint8)
    region = canvas[top:top + height, left:left + height, :3]
    region[:] = 255 - ink[:, :, None]
    return canvas


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*args: str, env: dict | None = None, timeout: float = 60):
    """`python -m app` on a free port, as a user starts it; returns (process, url)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "app", "--port", str(port), *args],
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


def stop_server(process) -> str:
    """Stop a server from start_server; returns what it printed."""
    process.terminate()
    return process.communicate(timeout=10)[0]
