"""The server a public link can survive: Gradio's app behind the guard (app.guard: what a
request may cost before any route reads it), the queue as the only way in but for the guard's
own routes, and no upload left behind. Gradio's internals it needs are in app.gradio_internals.

The guard goes in through launch(app_kwargs={"middleware": [...]}): inside Gradio's CORS and
compression layers, before routing and so before `--auth` looks at a request.
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

from starlette.middleware import Middleware

from app import gradio_internals
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


# Gradio's queue looks for work every 1 ms on Linux, idle or with every worker busy: 5 % of a
# core doing nothing. Every 5 ms costs a call at most that wait. The page shows no progress.
QUEUE_POLL, PROGRESS_POLL = 0.005, 0.1  # seconds
# Gradio sends every waiting call its place in the queue each time a call starts (32 waiting
# pages, 32 messages a call); the page shows no place in the queue, so once a second is plenty.
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
    gradio_internals.check(demo)  # before serving: which internal moved, if one did
    gradio_internals.tune_queue(demo, SESSIONS_KEPT, QUEUE_POLL, PROGRESS_POLL)
    UPLOADS.watch(gradio_internals.upload_records(demo))
    threading.Thread(target=give_memory_back, daemon=True, name="trim").start()
    demo.launch(server_name=host, server_port=port, auth=logins.auth, max_file_size=UPLOAD_BYTES,
                state_session_capacity=SESSIONS_KEPT,
                app_kwargs={"middleware": [Middleware(Guard, uploads=UPLOADS, logins=logins, routes=routes or {})]},
                show_error=True,  # Gradio's own refusals (a missing input, a wrong choice) say why
                footer_links=["api"], prevent_thread_lock=True, quiet=True, **page)
    # Gradio's routes look the login cookie up by these: signed tokens and a cookie name from
    # the shared secret hold on every replica (app.logins). The guard signs visitors in.
    gradio_internals.share_logins(demo, logins.tokens, logins.cookie_id)


TRIM_EVERY = 30  # seconds


def give_memory_back() -> None:
    """glibc keeps the heap a burst of large images grew; malloc_trim hands the free part back
    to the system (README, Limits). Every TRIM_EVERY seconds: a few milliseconds of CPU."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    while True:
        time.sleep(TRIM_EVERY)
        trim(0)

