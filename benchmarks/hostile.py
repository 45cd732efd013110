"""What hostile requests cost a live `python -m app`, and whether a visitor drawing meanwhile
is still answered.

    python -m benchmarks.hostile [--sessions 2000] [--only TEXT]

For each attack, on a fresh server warmed up by one stroke: its CPU seconds (utime + stime
from /proc, until it is idle again), its memory (RSS) before and at its peak during the attack
(VmHWM, reset first), files left in its upload folder, lines it logged, what the attacker was
answered, and how long a normal stroke sent 0.3 s into the attack took. Prints a Markdown table.
"""

import argparse
import asyncio
import base64
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DRAWING = ROOT / "tests" / "fixtures" / "drawn" / "00-label7.png"
FILE_DATA = {"_type": "gradio.FileData"}


def data_url(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


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
            async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=calls)) as http:
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
                    reply = await http.post(url + "gradio_api/call/show", json={"data": ["lenet5", "en"]})
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


def settle(pid: int, limit: float = 180) -> None:
    """Wait until the server has used no CPU for a second (work outlives a client's timeout)."""
    from tests.helpers import cpu_seconds

    deadline = time.monotonic() + limit
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(pid)
        if now - last < 0.05:
            return
        last = now


def measure(name: str, attack, url: str, pid: int, folder: Path, log: list, visit: bool = True) -> str:
    from tests.helpers import cpu_seconds, memory_mb

    if visit:
        stroke(url)  # the first stroke warms the server up
    settle(pid)
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    rss, cpu, files, lines = memory_mb(pid), cpu_seconds(pid), sum(p.is_file() for p in folder.rglob("*")), len(log)
    visitor = []
    thread = threading.Thread(target=lambda: (time.sleep(0.3), visitor.append(stroke(url) if visit else None)))
    thread.start()
    answer = attack(url)
    thread.join()
    settle(pid)
    used = cpu_seconds(pid) - cpu
    left = sum(p.is_file() for p in folder.rglob("*")) - files
    peak = memory_mb(pid, "VmHWM")
    return (f"| {name} | {used:.2f} s | {rss:.0f} → {peak:.0f} MB | {left} | {len(log) - lines} | {answer} | "
            f"{visitor[0] or '—'} |")


def serving(env: dict):
    """A server from tests.helpers, a thread reading its log into a list (a full pipe stalls it)."""
    from tests.helpers import start_server

    process, url = start_server(env=env)
    log = []
    threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()
    return process, url, log


def main() -> None:
    from tests.helpers import blank_webp, float_tiff, pixel_bomb_png, scan_bomb_jpeg

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2000, help="calls whose results are never read")
    parser.add_argument("--only", help="run the attacks whose name holds this text")
    args = parser.parse_args()
    jpeg, png, largest = scan_bomb_jpeg(), pixel_bomb_png(), pixel_bomb_png(4096)
    floats, deep, webp = float_tiff(), pixel_bomb_png(4096, bit_depth=16, colour_type=0), blank_webp()
    attacks = {
        f"JPEG, {len(jpeg) // 1000} KB, repeated scans, ×2 on /predict": predict_file(jpeg, "scans.jpg"),
        "the same JPEG ×2 on the stroke route": stroke_with(data_url(jpeg, "jpeg")),
        f"PNG 5792×5792, {len(png) // 1000} KB, ×2 on /predict": predict_file(png, "big.png"),
        "the 5792×5792 PNG ×2 on the stroke route": stroke_with(data_url(png)),
        "the JPEG ×2 POSTed to /predict": post_file(jpeg),
        "the 5792×5792 PNG ×2 POSTed to /predict": post_file(png),
        "the 4096×4096 PNG ×2 POSTed to /predict": post_file(largest),
        f"PNG 4096×4096 (a file's limit), {len(largest) // 1000} KB, ×2 on /predict": predict_file(largest, "4k.png"),
        "the 4096×4096 PNG ×2 on the stroke route": stroke_with(data_url(largest)),
        f"TIFF 4096×4096 of float32, {len(floats) // 1000} KB, ×6 POSTed to /predict": post_file(floats, 6),
        f"PNG 4096×4096 of 16-bit grey, {len(deep) // 1000} KB, ×2 POSTed to /predict": post_file(deep),
        f"WebP 4096×4096 lossless, {len(webp)} bytes, ×64 POSTed to /predict at once": post_file(webp, 64),
        "JSON body of 100 MB": big_body,
        "100 MB POSTed to /predict": big_post,
        "one upload request of 20 × 1.9 MB": lambda url: raw_request(url, *multipart(20, 1_900_000)),
        "an upload hung up after 1 MB": hang_up_mid_upload,
        "300 reads at once (the pad's route, outside the queue)": burst("read"),
        "300 drawings POSTed to /predict at once (outside the queue)": burst("predict"),
        f"{args.sessions:,} calls whose results are never read": unread_sessions(args.sessions),
        "20 uploads never read, then the server idle": idle_uploads,
    }
    attacks = [(name, attack, {}) for name, attack in attacks.items()]
    attacks.append(("100 wrong passwords (a server with --auth)", wrong_passwords,
                    {"LENET_LENS_AUTH": "ada:lovelace"}))
    print("| attack | server CPU | server RSS, before → peak | files left | log lines | attacker got "
          "| a visitor's stroke |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    chosen = [(name, attack, env) for name, attack, env in attacks if (args.only or "") in name]
    for name, attack, env in chosen:  # each on a fresh server: memory freed by one hides the next's
        with tempfile.TemporaryDirectory() as folder:
            process, url, log = serving({**env, "GRADIO_TEMP_DIR": folder})
            try:
                print(measure(name, attack, url, process.pid, Path(folder), log, visit=not env), flush=True)
            finally:
                process.terminate()
                process.wait(timeout=10)

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
