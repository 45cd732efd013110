"""The attacks benchmarks.hostile runs on a live server, each `attack(url) -> what the attacker
got`, and what they share: a read, a call, an upload, requests over raw sockets."""

import asyncio
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.helpers.images import data_url

ROOT = Path(__file__).resolve().parent.parent
DRAWING = ROOT / "tests" / "fixtures" / "drawn" / "00-label7.png"
FILE_DATA = {"_type": "gradio.FileData"}
ATTACKER = "127.0.0.9"  # where bursts come from: not the visitor's address (127.0.0.1)


def call(url: str, route: str, data: list, timeout: float = 120) -> str:
    """One call through the REST route; its last event and the start of its data."""
    reply = httpx.post(url + f"gradio_api/call/{route}", json={"data": data}, timeout=timeout)
    if reply.status_code != 200:
        return f"HTTP {reply.status_code}"
    answer = httpx.get(url + f"gradio_api/call/{route}/{reply.json()['event_id']}", timeout=timeout).text
    event, _, data = answer.strip().rpartition("event: ")[2].partition("\ndata: ")
    return f"{event}: {data[:60]}"


def read(url: str, drawing: str, timeout: float = 120) -> str:
    """One read of the pad's drawing (POST /read): 'complete', or what it got instead."""
    reply = httpx.post(url + "read", json=[drawing, "lenet5", "en", None], timeout=timeout)
    if reply.status_code != 200:
        return f"HTTP {reply.status_code}"
    answer = reply.json()
    return f"error: {answer['error'][:60]}" if "error" in answer else "complete"


def stroke(url: str) -> str:
    """A normal stroke: how long it took, or what it got instead of its result."""
    start = time.perf_counter()
    answer = read(url, data_url(DRAWING.read_bytes()))
    return f"{time.perf_counter() - start:.2f} s" if answer == "complete" else answer


def upload(url: str, data: bytes, name: str) -> str | None:
    reply = httpx.post(url + "gradio_api/upload", files=[("files", (name, data))], timeout=60)
    return reply.json()[0] if reply.status_code == 200 else None


def at_once(*calls) -> str:
    """Run calls at once; their answers, counted."""
    results = [None] * len(calls)
    threads = [threading.Thread(target=lambda i=i, c=c: results.__setitem__(i, c())) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(results)


def summary(answers) -> str:
    return "; ".join(f"{n} × {answer}" for answer, n in Counter(answers).items())


def predict_file(data: bytes, name: str):
    def attack(url: str) -> str:
        def one():
            path = upload(url, data, name)
            return call(url, "predict", [{"path": path, "meta": FILE_DATA}, "lenet5"]) if path else "upload refused"
        return at_once(one, one)
    return attack


def post_file(data: bytes, copies: int = 2):
    def attack(url: str) -> str:
        def one():
            reply = httpx.post(url + "predict", content=data, timeout=120)
            return f"HTTP {reply.status_code}: {reply.text[:60]}"
        return at_once(*[one] * copies)
    return attack


def idle_uploads(url: str, count: int = 20) -> str:
    """Files uploaded, none read, then nothing sent for longer than the server keeps them."""
    from app.uploads import UPLOAD_AGE

    uploaded = sum(upload(url, bytes([i]) * 1000, f"{i}.png") is not None for i in range(count))
    time.sleep(UPLOAD_AGE + 45)
    return f"{uploaded} uploaded, none read, then {UPLOAD_AGE + 45} s idle"


def stroke_with(drawing: str):
    return lambda url: at_once(*[lambda: read(url, drawing)] * 2)


def raw_request(url: str, head: bytes, body, hang_up: bool = False) -> str:
    """Send a request over a plain socket (body: an iterable of chunks); the status line."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        try:
            connection.sendall(head)
            for chunk in body:
                connection.sendall(chunk)
            sent = "all sent"
        except OSError as error:  # the server answered and closed before the body was sent
            sent = type(error).__name__
        if hang_up:
            return "hung up"
        answer = connection.recv(200).split(b"\r\n", 1)[0].decode(errors="replace")
    return f"{answer or 'no answer'} ({sent})"


def big_body(url: str, megabytes: int = 100) -> str:
    size = megabytes * 2**20
    prefix, suffix = b'["data:image/png;base64,', b'", "lenet5", "en", null]'
    filler = b"A" * 2**20
    chunks = [prefix] + [filler] * ((size - len(prefix) - len(suffix)) // len(filler)) + [suffix]
    length = sum(map(len, chunks))
    head = (f"POST /read HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    return raw_request(url, head, chunks)


def big_post(url: str, megabytes: int = 100) -> str:
    head = f"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: {megabytes * 2**20}\r\n\r\n".encode()
    return raw_request(url, head, [b"A" * 2**20] * megabytes)


def multipart(files: int, size: int, boundary: str = "lenet-lens-bench") -> tuple[bytes, list[bytes]]:
    def part(i: int) -> bytes:  # each file different, or Gradio stores them as one
        return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{i}.png\"\r\n"
                f"Content-Type: image/png\r\n\r\n").encode() + bytes([i % 256]) * size + b"\r\n"

    chunks = [part(i) for i in range(files)] + [f"--{boundary}--\r\n".encode()]
    head = (f"POST /gradio_api/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}"
            f"\r\nContent-Length: {sum(map(len, chunks))}\r\n\r\n").encode()
    return head, chunks


def hang_up_mid_upload(url: str) -> str:
    head, chunks = multipart(1, 1_900_000)
    return raw_request(url, head, [chunks[0][:1_000_000]], hang_up=True)


def burst(route: str, calls: int = 300):
    """`calls` requests at once: the pad's read of a drawing, or the drawing POSTed to /predict."""
    def attack(url: str) -> str:
        drawing = DRAWING.read_bytes()
        send = {"json": [data_url(drawing), "lenet5", "en", None]} if route == "read" else {"content": drawing}

        async def all_at_once():
            async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=calls),
                                         transport=httpx.AsyncHTTPTransport(local_address=ATTACKER)) as http:
                return await asyncio.gather(*[http.post(url + route, **send) for _ in range(calls)])
        return summary(f"HTTP {reply.status_code}" for reply in asyncio.run(all_at_once()))
    return attack


def unread_sessions(count: int):
    def attack(url: str) -> str:
        accepted = 0

        async def one(http):
            nonlocal accepted
            while accepted < count:  # a full queue says 503: wait a little and try again
                try:
                    reply = await http.post(url + "gradio_api/call/show", json={"data": ["lenet5", "en", None]})
                except httpx.TransportError:  # a connection dropped under load: as for a full queue
                    reply = None
                if reply is not None and reply.status_code == 200:
                    accepted += 1
                else:
                    await asyncio.sleep(0.05)

        async def all_of_them():
            async with httpx.AsyncClient(timeout=60) as http:
                await asyncio.gather(*[one(http) for _ in range(16)])
        asyncio.run(all_of_them())
        return f"{accepted:,} calls accepted, none read"
    return attack


def wrong_passwords(url: str, tries: int = 100) -> str:
    start = time.perf_counter()
    with httpx.Client(timeout=30) as http:
        answers = [http.post(url + "login", data={"username": "ada", "password": f"guess{i}"}).status_code
                   for i in range(tries)]
    return summary(f"HTTP {code}" for code in answers) + f" in {time.perf_counter() - start:.1f} s"


def trickling(route: str = "read", connections: int = 64, seconds: float = 20):
    """`connections` bodies sent a byte every 2 s from another address than the visitor's, for
    `seconds` or until answered: what each got."""
    def attack(url: str) -> str:
        host, port = url.split("//")[1].rstrip("/").split(":")

        def one() -> str:
            with socket.create_connection((host, int(port)), timeout=5, source_address=(ATTACKER, 0)) as connection:
                connection.sendall(f"POST /{route} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n".encode())
                deadline = time.monotonic() + seconds
                connection.settimeout(2)
                while time.monotonic() < deadline:
                    try:
                        return connection.recv(100).split(b"\r\n")[0].decode() or "closed"
                    except TimeoutError:
                        connection.sendall(b" ")
                    except OSError as error:
                        return type(error).__name__
                return "still sending"
        return at_once(*[one] * connections)
    return attack


def bodies_before_login(count: int = 600, size: int = 2_990_000):
    """`count` bodies just under the body limit to queue/join, no cookie, 300 at once."""
    def attack(url: str) -> str:
        async def one(http):
            try:
                return f"HTTP {(await http.post(url + 'gradio_api/queue/join', content=b'A' * size)).status_code}"
            except httpx.TransportError as error:
                return type(error).__name__

        async def all_of_them():
            async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=300)) as http:
                answers = []
                for _ in range(count // 300):
                    answers += await asyncio.gather(*[one(http) for _ in range(300)])
                return answers
        return summary(asyncio.run(all_of_them()))
    return attack


def posted(path: str, content: bytes, headers: dict | None = None):
    """One POST of `content` to `path`: its status and the start of its answer."""
    def attack(url: str) -> str:
        reply = httpx.post(url + path, content=content, headers=headers or {}, timeout=60)
        return f"HTTP {reply.status_code}: {reply.text[:60]}"
    return attack


def two_boundaries(files: int = 1000) -> bytes:
    """An upload whose Content-Type names a boundary twice: `files` parts under the second."""
    _, chunks = multipart(files, 10, boundary="second")
    return b"".join(chunks)


def login_page(url: str) -> str:
    page = httpx.get(url, timeout=30).text
    return "the API described" if "named_endpoints" in page else "no API description"


def spoofed_logins(url: str, tries: int = 60) -> str:
    """Wrong passwords, each naming a new client in X-Forwarded-For."""
    with httpx.Client(timeout=30) as http:
        answers = [http.post(url + "login", data={"username": "ada", "password": f"guess{i}"},
                             headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(tries)]
    return summary(f"HTTP {code}" for code in answers)


def logins_at_once(url: str, tries: int = 300) -> str:
    async def all_at_once():
        async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=tries)) as http:
            return await asyncio.gather(*[http.post(url + "login", data={"username": "ada", "password": f"g{i}"})
                                          for i in range(tries)])
    return summary(f"HTTP {reply.status_code}" for reply in asyncio.run(all_at_once()))
