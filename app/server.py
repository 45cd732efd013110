"""The server a public link can survive: Gradio's app behind a guard (an ASGI middleware that
bounds what a request may send before any route reads it), the queue as the only way in but
for the guard's own routes (the pad's reads and images POSTed to /predict, as many in the
server at once as the queue holds), and no upload left behind.

Gradio's own hook: launch(app_kwargs={"middleware": [...]}) hands the guard to the FastAPI app
it builds, inside Gradio's CORS and compression layers and before routing, so before `--auth`
looks at a request; uvicorn, `--share`'s tunnel and block_thread stay Gradio's.
"""

import atexit
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

# Gradio records each call for its monitoring dashboard (not enabled here) and rebuilds a
# pandas table of the last 10,000 after every call: by a few thousand strokes that took
# longer than the stroke itself; kept at 1,000 summarised every 100, it was still 7 % of a
# served call's CPU (py-spy). One record, never summarised. Set before the queue is made.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(10**9))

from gradio.utils import LRUCache, get_upload_folder
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from app.compress import compressing
from app.decode import MAX_DATA_URL
from app.logins import LOGIN_FAILURES, Blocked, Logins
from app.uploads import UPLOADS, Uploads

# A drawing at its limit and the JSON around it fit; a 100 MB body is refused unread.
BODY_LIMIT = MAX_DATA_URL + 1_000_000
UPLOAD_BYTES = 2 * 2**20  # one file: a drawing is a few KB
UPLOAD_LIMIT = UPLOAD_BYTES + 64 * 2**10  # the whole upload request, multipart headers and all
UPLOAD_FILES = 1  # gradio_client sends each file in a request of its own; the page sends none
# Gradio keeps each session's last outputs (state) for 10,000 sessions, and the messages no
# one has read yet (the results of calls whose caller left) for 2,000: a stroke's are ~30 KB
# of panels. A few hundred recent visitors is plenty for both.
SESSIONS_KEPT = 300
QUEUE_SIZE = 64  # calls waiting in the queue; and reads (the guard's own routes) in the server at once
GRADIO_SERVER_FUNCTIONS = "/gradio_api/component_server"  # where gr.HTML's server functions are called
HEALTH = "/health"  # GET: 200 while the server serves (a balancer's health check); says nothing else
LOGIN_LIMIT = 4096  # bytes of a login form: a name and a password


def log(line: str) -> None:
    """One line on stderr per refused request (a traceback is for real faults)."""
    print(f"* refused {line}", file=sys.stderr, flush=True)


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
    demo.launch(server_name=host, server_port=port, auth=logins.auth, max_file_size=UPLOAD_BYTES,
                state_session_capacity=SESSIONS_KEPT,
                app_kwargs={"middleware": [Middleware(Guard, uploads=UPLOADS, logins=logins, routes=routes or {})]},
                show_error=True,  # Gradio's own refusals (a missing input, a wrong choice) say why
                footer_links=["api"], prevent_thread_lock=True, quiet=True, **page)
    # Gradio's routes look the login cookie up by these: signed tokens and a cookie name from
    # the shared secret hold on every replica (app.logins). The guard signs visitors in.
    demo.server_app.tokens, demo.server_app.cookie_id = logins.tokens, logins.cookie_id


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


class TooLarge(Exception):
    pass


class HungUp(Exception):
    pass


class Guard:
    """Every HTTP request's body is read here first, up to a limit, and handed on whole:
    a larger one is answered 413 without being read; a client that hangs up mid-body never
    reaches Gradio (so its parser leaves no half-written upload behind). Uploads are held to
    UPLOAD_FILES files and UPLOAD_LIMIT bytes and recorded in `uploads`. With a password, the
    guard answers POST /login itself (`logins`: LOGIN_LIMIT bytes, a client with too many
    failed logins answered 429 before its password is looked at). GET /health answers 200.

    `routes` ({path: handler}) are answered here, not by Gradio, a read each: POST only, signed
    in as Gradio's pages are, at most QUEUE_SIZE in the server at once (429 past it), the body
    read whole (BODY_LIMIT) before `await handler(scope, body)` gives the response, which goes
    compressed to a client that takes it (app.compress)."""

    def __init__(self, app, uploads: Uploads, logins: Logins, routes: dict):
        self.app, self.uploads, self.logins, self.routes = app, uploads, logins, routes
        self.reading = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, client = scope["path"].rstrip("/"), (scope.get("client") or ("unknown",))[0]
        if path == HEALTH and scope["method"] == "GET":
            return await PlainTextResponse("ok")(scope, receive, send)
        if path == "/login" and scope["method"] == "POST" and self.logins.auth:
            return await self.login(scope, receive, send, client)
        if path == GRADIO_SERVER_FUNCTIONS:
            # The page has none; Gradio answered a call naming a missing component with a 500
            # and a traceback.
            return await refuse(scope, send, 404, "this page has no server functions", client)
        if path not in self.routes:
            return await self.guard(scope, receive, send)
        if scope["method"] != "POST":
            return await refuse(scope, send, 405, "send it with POST", client)
        if not signed_in(scope, self.logins):
            return await refuse(scope, send, 401, "not signed in: POST /login first", client)
        if self.reading >= QUEUE_SIZE:
            return await refuse(scope, send, 429, f"{QUEUE_SIZE} reads are waiting; try again shortly", client)
        self.reading += 1
        try:
            body = await read_body(scope, receive, "a request", BODY_LIMIT)
            return await (await self.routes[path](scope, body))(scope, receive, compressing(scope, send))
        except TooLarge as error:
            return await refuse(scope, send, 413, str(error), client)
        except HungUp:
            return
        finally:
            self.reading -= 1

    async def login(self, scope, receive, send, client: str):
        """Gradio's login, answered as Gradio answers it (the page's form and gradio_client
        send the same fields), with a token every replica accepts."""
        try:
            body = await read_body(scope, receive, "a login", LOGIN_LIMIT)
            form = await Request(scope, replaying(body, receive)).form(max_files=0, max_fields=2)
            token = self.logins.sign_in(client, str(form.get("username", "")).strip(), str(form.get("password", "")))
        except TooLarge as error:
            return await refuse(scope, send, 413, str(error), client)
        except HungUp:
            return
        except Blocked:
            return await refuse(scope, send, 429, f"more than {LOGIN_FAILURES} failed logins in a minute", client)
        except HTTPException:  # a malformed form, or files in it
            return await refuse(scope, send, 400, "a login is a form with a username and a password", client)
        if token is None:
            return await JSONResponse({"detail": "Incorrect credentials."}, status_code=400)(scope, receive, send)
        response, name = JSONResponse({"success": True}), self.logins.cookie_id
        response.set_cookie(f"access-token-{name}", token, httponly=True, samesite="none", secure=True)
        response.set_cookie(f"access-token-unsecure-{name}", token, httponly=True)
        return await response(scope, receive, send)

    async def guard(self, scope, receive, send):
        path, client = scope["path"].rstrip("/"), (scope.get("client") or ("unknown",))[0]
        upload = path == "/gradio_api/upload"
        try:
            body = await read_body(scope, receive, "an upload" if upload else "a request",
                                   UPLOAD_LIMIT if upload else BODY_LIMIT)
        except TooLarge as error:
            return await refuse(scope, send, 413, str(error), client)
        except HungUp:
            return
        if upload and parts(scope, body) > UPLOAD_FILES:
            return await refuse(scope, send, 413, f"at most {UPLOAD_FILES} file per upload request", client)
        status, answer = 0, []

        async def watch(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif upload and status == 200:
                answer.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replaying(body, receive), watch)
        except RuntimeError as error:
            # Gradio refuses to stream an unknown event's results by raising HTTPException in
            # an answer already begun, and Starlette then logs 60 lines of traceback.
            if not isinstance(error.__cause__, HTTPException):
                raise
            return log(f"{scope['method']} {scope['path']} from {client}: {error.__cause__.status_code} "
                       f"{error.__cause__.detail} (in the answer's stream)")
        if upload:
            if status == 200:
                self.uploads.add(json.loads(b"".join(answer)))
            self.uploads.sweep(Path(get_upload_folder()))


def replaying(body: bytes, receive):
    """An ASGI receive that gives the body already read, then the client's own messages."""
    replayed = False

    async def replay():
        nonlocal replayed
        if replayed:
            return await receive()  # after the body: the client's disconnect, when it comes
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def declared_length(scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # uvicorn refuses a malformed length before the app sees it
    return 0


async def read_body(scope, receive, what: str, limit: int) -> bytes:
    """The whole body, or TooLarge as soon as it is announced or read past `limit`."""
    if declared_length(scope) > limit:
        raise TooLarge(f"{what} may be at most {limit:,} bytes")
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HungUp
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"{what} may be at most {limit:,} bytes")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def signed_in(scope, logins: Logins) -> bool:
    """Whether the request may use the app: no login asked, or a valid login cookie."""
    if logins.auth is None:
        return True
    cookies, name = Request(scope).cookies, logins.cookie_id
    token = cookies.get(f"access-token-{name}") or cookies.get(f"access-token-unsecure-{name}")
    return logins.tokens.get(token) is not None


def parts(scope, body: bytes) -> int:
    """Parts in a multipart body: one fewer than its boundary lines (the last closes it).
    The boundary cannot occur inside a part, so this counts no fewer than a parser would."""
    content_type = dict(scope["headers"]).get(b"content-type", b"")
    boundary = re.search(rb'boundary="?([^";]+)', content_type)
    return body.count(b"--" + boundary.group(1)) - 1 if boundary else 0


async def refuse(scope, send, status: int, message: str, client: str) -> None:
    log(f"{scope['method']} {scope['path']} from {client}: {status} {message}")

    async def nothing():  # the body is left unread
        return {"type": "http.disconnect"}

    # An unread body cannot be followed by another request: closing says so, where keeping
    # the connection would have the server parse the rest of the body as one.
    await JSONResponse({"detail": message}, status_code=status, headers={"Connection": "close"})(scope, nothing, send)
