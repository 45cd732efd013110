"""What hostile requests cost a live `python -m app`, and whether a visitor drawing meanwhile
is still answered.

    python -m benchmarks.hostile [--sessions 2000] [--only TEXT]

For each attack, on a fresh server warmed up by one stroke: its CPU seconds (utime + stime
from /proc, until it is idle again), its memory (RSS) before and at its peak during the attack
(VmHWM, reset first), files left in its upload folder, lines it logged, what the attacker was
answered, and how long a normal stroke sent 0.3 s into the attack took. Prints a Markdown table.
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.attacks import stroke

ROOT = Path(__file__).resolve().parent.parent


def settle(pid: int, limit: float = 180) -> None:
    """Wait until the server has used no CPU for a second (work outlives a client's timeout)."""
    from tests.helpers.processes import cpu_seconds

    deadline = time.monotonic() + limit
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(pid)
        if now - last < 0.05:
            return
        last = now


def measure(name: str, attack, url: str, pid: int, folder: Path, log: list, visit: bool = True) -> str:
    from tests.helpers.processes import cpu_seconds, memory_mb

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
    from tests.helpers.servers import start_server

    process, url = start_server(env=env)
    log = []
    threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()
    return process, url, log


def main() -> None:
    from benchmarks.attacks import (
        big_body,
        big_post,
        bodies_before_login,
        burst,
        data_url,
        hang_up_mid_upload,
        idle_uploads,
        login_page,
        logins_at_once,
        multipart,
        post_file,
        posted,
        predict_file,
        raw_request,
        spoofed_logins,
        stroke_with,
        trickling,
        two_boundaries,
        unread_sessions,
        wrong_passwords,
    )
    from tests.helpers.images import blank_webp, float_tiff, pixel_bomb_png, scan_bomb_jpeg

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
    attacks.update({
        "64 bodies trickling to /read, a byte every 2 s": trickling("read"),
        "64 bodies trickling to POST /predict, a byte every 2 s": trickling("predict"),
        "a 84 KB file to /gradio_api/process_recording": posted("gradio_api/process_recording", b"\0" * 84_000),
        "an upload whose Content-Type names two boundaries, 1,000 files": posted(
            "gradio_api/upload", two_boundaries(), {"Content-Type": "multipart/form-data; boundary=a; boundary=second"}
        ),
    })
    attacks = [(name, attack, {}) for name, attack in attacks.items()]
    protected = {"LENET_LENS_AUTH": "ada:lovelace"}
    attacks += [(f"{name} (a server with --auth)", attack, protected) for name, attack in (
        ("100 wrong passwords", wrong_passwords), ("60 wrong passwords, a new X-Forwarded-For each", spoofed_logins),
        ("300 wrong passwords at once", logins_at_once), ("GET / without a cookie", login_page),
        ("600 bodies of 2.99 MB to queue/join, no cookie", bodies_before_login()))]
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
