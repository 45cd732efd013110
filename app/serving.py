"""One process serving the page until it is stopped: `python -m app` runs one, and each of
`--replicas N` is one (app.replicas)."""

import argparse
import os
import signal
import socket
import sys


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve(args: argparse.Namespace, auth: tuple[str, str] | None, announce: bool = True) -> int:
    """One process serving the page on args.host:args.port until it is stopped (a replica
    behind a balancer does not `announce` its own address)."""
    # uvicorn believes X-Forwarded-For from these peers alone: anyone else could name a new
    # client on each login try. --share's tunnel is a proxy on this machine.
    os.environ["FORWARDED_ALLOW_IPS"] = args.proxy or ("127.0.0.1" if args.share else "")
    import paddle

    from app import server
    from app.logins import Logins
    from app.ui import state
    from app.ui.page import CSS, ROUTES, THEME, build
    from app.weights import WeightsError

    paddle.disable_signal_handler()  # else a plain Ctrl-C or SIGTERM prints a C++ crash report
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop as Ctrl-C does, cleaning up (atexit)
    try:
        state.load_classifiers(args.model, args.weights)
    except WeightsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    server.isolate_uploads()
    demo = build()
    server.launch(demo, args.host, args.port, Logins(auth), routes=ROUTES, css=CSS, theme=THEME)
    if announce:
        print(f"* Running on local URL: {demo.local_url}", flush=True)
    if args.share:
        print(share_link(demo), flush=True)
    demo.block_thread()
    return 0


def share_link(demo) -> str:
    """Gradio's public link, or one line saying why there is none (Gradio's own message
    runs to a dozen lines about downloading its tunnel binary)."""
    from app.gradio_internals import public_link

    try:
        url = public_link(demo)
    except Exception as error:  # offline, blocked, or the share server is down: serve locally
        return f"* No public link ({type(error).__name__}: {str(error).splitlines()[0]}); serving locally only."
    return f"* Running on public URL: {url}"
