"""The server a public link can survive: Gradio's app behind the guard (app.guard: what a
request may cost before any route reads it), the queue as the only way in but for the
guard's own routes, and no upload left behind; and the Gradio settings and internals that
this takes, in one place.

Gradio's own hook: launch(app_kwargs={"middleware": [...]}) hands the guard to the FastAPI app
it builds, inside Gradio's CORS and compression layers and before routing, so before `--auth`
looks at a request; uvicorn, `--share`'s tunnel and block_thread stay Gradio's.
"""

import atexit
import ctypes
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

# Gradio records each call for its monitoring dashboard (not enabled here) and rebuilds a
# pandas table of the last 10,000 after every call: by a few thousand strokes that took
# longer than the stroke itself; kept at 1,000 summarised every 100, it was still 7 % of a
# served call's CPU (py-spy). One record, never summarised. Set before the queue is made.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(10**9))

from gradio.utils import LRUCache
from starlette.middleware import Middleware

from app.guard import QUEUE_SIZE, UPLOAD_BYTES, Guard
from app.logins import Logins
from app.uploads import UPLOADS

# Gradio keeps each session's last outputs (state) for 10,000 sessions, and the messages no
# one has read yet (the results of calls whose caller left) for 2,000: a stroke's are ~30 KB
# of panels. A few hundred recent visitors is plenty for both.
SESSIONS_KEPT = 300


def isolate_uploads() -> None:
    """Point Gradio's upload folder at a folder of our own inside the temporary one, before
    the page is built (its example images are cached there): nothing of another app's is in
    it to read or sweep, and it goes when the server stops."""
    folder = Path(tempfile.mkdtemp(prefix="lenet-lens-", dir=os.environ.get("GRADIO_TEMP_DIR")))
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


QUEUE_POLL, PROGRESS_POLL = 0.005, 0.1  # seconds
# By default Gradio sends every waiting call its place in the queue each time a call starts:
# 32 waiting pages, 32 messages per call. The page shows no queue position; once a second is
# plenty for a client that reads it. With uvicorn's C parts (requirements.txt), 32 clients
# drawing went from p95 0.95–1.25 s to 0.79–0.84 s (two interleaved rounds, when each stroke
# was a queued call; the pad's reads now skip the queue, the panels' calls do not).
STATUS_EVERY = 1.0  # seconds


def launch(demo, host: str, port: int, logins: Logins, routes=None, **page) -> None:
    """demo.launch behind the guard, with only the queue's routes open and `routes` of our
    own ({path: handler}, see Guard), signed in as `logins` says; `page` is the keyword
    arguments for the page's look (css, theme)."""
    # Paddle turns on INFO logging at import; httpx would then log the requests Gradio makes
    # to itself while it starts.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    demo.queue(max_size=QUEUE_SIZE, default_concurrency_limit=2, status_update_rate=STATUS_EVERY,
               api_open=False)  # /gradio_api/run/… would skip the queue and its limits
    demo._queue.pending_messages_per_session = Undelivered(demo._queue, SESSIONS_KEPT)
    # Gradio's queue looks for work every 1 ms on Linux (50 ms on Windows), idle or with every
    # worker busy: 5 % of a core doing nothing, and under load a thousand wake-ups a second
    # taking the interpreter from the workers. Every 5 ms costs a call at most that wait.
    demo._queue.sleep_when_free = QUEUE_POLL
    demo._queue.progress_update_sleep_when_free = PROGRESS_POLL  # the page shows no progress
    UPLOADS.watch(demo.temp_file_sets)  # where Gradio notes each upload
    threading.Thread(target=give_memory_back, daemon=True, name="trim").start()
    demo.launch(server_name=host, server_port=port, auth=logins.auth, max_file_size=UPLOAD_BYTES,
                state_session_capacity=SESSIONS_KEPT,
                app_kwargs={"middleware": [Middleware(Guard, uploads=UPLOADS, logins=logins, routes=routes or {})]},
                show_error=True,  # Gradio's own refusals (a missing input, a wrong choice) say why
                footer_links=["api"], prevent_thread_lock=True, quiet=True, **page)
    # Gradio's routes look the login cookie up by these: signed tokens and a cookie name from
    # the shared secret hold on every replica (app.logins). The guard signs visitors in.
    demo.server_app.tokens, demo.server_app.cookie_id = logins.tokens, logins.cookie_id


TRIM_EVERY = 30  # seconds


def give_memory_back() -> None:
    """glibc keeps the heap a burst of large images grew (+88 MB after sixteen 4096² PNGs and
    two bursts of 300 reads, 40 s later); malloc_trim hands the free part back to the system.
    Every TRIM_EVERY seconds: a few milliseconds of CPU."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    while True:
        time.sleep(TRIM_EVERY)
        trim(0)


class Undelivered(LRUCache):
    """Gradio's store of undelivered messages, per session, holding `size` sessions; a session
    it drops also leaves the queue's table of its event ids (else each costs a few hundred
    bytes for as long as the server runs)."""

    def __init__(self, queue, size: int):
        super().__init__(size)
        self.queue = queue

    def popitem(self, last: bool = True):
        session, messages = super().popitem(last)
        self.queue.pending_event_ids_session.pop(session, None)
        return session, messages
