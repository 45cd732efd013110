"""Serve from several processes behind HAProxy: `python -m app --replicas N --port P`.

Gradio keeps a visitor's queue, event stream, uploads and results in the process that served
the page, so HAProxy (deploy/haproxy.cfg) sticks each visitor to one replica by a cookie; the
pad's reads and POST /predict carry all they need, and go to the least busy replica. Logins
hold on every replica (app.logins: tokens signed with a secret they share). A replica that
dies is taken out by the balancer's health check and started again here.

Each replica is forked from this process once it has imported the app (Gradio, Paddle, the
page's modules): a replica started again serves in about a second, not the 3–4 s of a cold
`python -m app`.

`python -m app.replicas --config HOST:PORT ... [--bind ADDRESS]` prints the balancer's
configuration for replicas on other machines.
"""

import argparse
import atexit
import multiprocessing
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from app.logins import SECRET_VARIABLE
from app.serving import port_is_free, serve

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "haproxy.cfg"
MARK = "    # replicas\n"
HAPROXY_MISSING = "error: --replicas runs HAProxy in front of them, and it is not installed: apt-get install -y haproxy"
WATCH_EVERY = 0.25  # seconds between looks at the replicas
HUNG_AFTER = 10  # seconds without an answer to its health check before a replica is started again


def config(replicas: list[str], bind: str) -> str:
    """deploy/haproxy.cfg for `replicas` ("host:port" each), listening on `bind` ("host:port")."""
    servers = "".join(f"    server r{i} {address} cookie r{i}\n" for i, address in enumerate(replicas, 1))
    return CONFIG.read_text().replace('"${LENET_LENS_BIND}"', bind).replace(MARK, servers)


def run(args: argparse.Namespace, auth: tuple[str, str] | None) -> int:
    """HAProxy on args.host:args.port and args.replicas replicas on the ports after it, on
    127.0.0.1 (visitors reach them only through the balancer), until stopped."""
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        print(HAPROXY_MISSING, file=sys.stderr)
        return 2
    ports = [args.port + i for i in range(1, args.replicas + 1)]
    busy = [port for port in [args.port, *ports] if not port_is_free("127.0.0.1", port)]
    if busy or not port_is_free(args.host, args.port):
        print(f"error: port {(busy or [args.port])[0]} is busy; --replicas {args.replicas} --port {args.port} uses "
              f"{args.port}–{ports[-1]}; pick another --port", file=sys.stderr)
        return 2
    os.environ.setdefault(SECRET_VARIABLE, secrets.token_urlsafe(32))  # one login for every replica
    folder = Path(tempfile.mkdtemp(prefix="lenet-lens-haproxy-"))
    settings = folder / "haproxy.cfg"
    settings.write_text(config([f"127.0.0.1:{port}" for port in ports], f"{args.host}:{args.port}"))
    preload()
    replicas = [Replica(port, args, auth) for port in ports]
    balancer = None
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and (balancer is None or balancer.poll() is None):
            serving = [replica.watch() for replica in replicas]
            # The balancer starts once every replica serves, so its first health checks pass.
            if balancer is None and all(serving):
                balancer = subprocess.Popen([haproxy, "-db", "-f", str(settings)], stdin=subprocess.DEVNULL)
                print(f"* Running on local URL: http://{args.host}:{args.port} ({args.replicas} replicas behind "
                      f"HAProxy: {', '.join(f'{r.port} pid {r.process.pid}' for r in replicas)})", flush=True)
            time.sleep(WATCH_EVERY)
        if not stopping:
            print(f"error: HAProxy stopped (exit {balancer.returncode})", file=sys.stderr)
            return 1
        return 0
    finally:
        for process in [balancer] if balancer else []:
            process.terminate()
            process.wait(10)
        for replica in replicas:
            replica.process.terminate()
        for replica in replicas:
            replica.process.join(10)
        shutil.rmtree(folder, ignore_errors=True)


def preload() -> None:
    """What every replica imports, imported once here before they are forked."""
    import paddle  # noqa: F401

    import app.ui.page  # noqa: F401


class Replica:
    """One app process on 127.0.0.1:`port`, forked from this one, and forked again when it
    dies or stops answering its health check for HUNG_AFTER seconds."""

    def __init__(self, port: int, args: argparse.Namespace, auth):
        self.port, self.args, self.auth = port, args, auth
        self.start()

    def start(self) -> None:
        self.process = multiprocessing.get_context("fork").Process(
            target=serve_replica, args=(self.port, self.args, self.auth), name=f"replica-{self.port}")
        self.process.start()
        self.answered = time.monotonic()

    def watch(self) -> bool:
        """Whether it serves now; started again (and a line printed) if it died or hung."""
        if not self.process.is_alive():
            why = f"stopped (exit {self.process.exitcode})"
        elif healthy(self.port):
            self.answered = time.monotonic()
            return True
        elif time.monotonic() - self.answered > HUNG_AFTER:
            why = f"did not answer for {HUNG_AFTER} s"
            self.process.kill()
            self.process.join()
        else:
            return False
        self.start()
        print(f"* replica {self.port} {why}; started again as pid {self.process.pid}", flush=True)
        return False


def serve_replica(port: int, args: argparse.Namespace, auth) -> None:
    die_with_parent()
    try:
        serve(argparse.Namespace(**{**vars(args), "host": "127.0.0.1", "port": port, "proxy": "127.0.0.1"}), auth,
              announce=False)
    finally:
        atexit._run_exitfuncs()  # noqa: SLF001  (a forked child ends with os._exit: its upload folder goes here)


def die_with_parent() -> None:
    """Linux: the replica gets SIGTERM when the process that forked it dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def healthy(port: int) -> bool:
    """Whether a replica answers its health check."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as reply:
            return reply.status == 200
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m app.replicas", description="Print HAProxy's configuration "
                                     "for replicas of `python -m app --host 0.0.0.0 --proxy BALANCER` elsewhere.")
    parser.add_argument("--config", nargs="+", metavar="HOST:PORT", required=True, help="each replica's address")
    parser.add_argument("--bind", default=":80", help="where HAProxy listens (default :80)")
    args = parser.parse_args()
    print(config(args.config, args.bind), end="")


if __name__ == "__main__":
    main()
