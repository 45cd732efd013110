"""The guard: an ASGI middleware in front of Gradio's app that bounds what a request may cost
before any route reads it. It answers the page's own routes (the pad's reads, images POSTed
to /predict), the login and the health check itself, and refuses, with one log line each:

- paths the page and its API do not use (404): Gradio's recorder, its dev and monitoring
  routes, streaming, the server functions the page has none of;
- a body over its limit (413, announced or as it arrives), or one that takes over
  BODY_SECONDS to arrive (408): a trickling client holds nothing for long;
- before a login, any body past LOGIN_LIMIT;
- reads past their slots (429): each route of its own has QUEUE_SIZE, taken once the body is
  in, and a client may send PER_CLIENT bodies at once, so no one caller takes every slot;
- an upload of more than UPLOAD_FILES file, its parts counted as Starlette will parse them.
"""

import asyncio
import json
import re
import sys
from collections import Counter

from python_multipart.multipart import parse_options_header
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from app import gradio_internals
from app.compress import compressing
from app.decode import MAX_DATA_URL
from app.logins import LOGIN_FAILURES, Blocked, Logins
from app.uploads import Uploads

# A drawing at its limit and the JSON around it fit; a 100 MB body is refused unread.
BODY_LIMIT = MAX_DATA_URL + 1_000_000
UPLOAD_BYTES = 2 * 2**20  # one file: a drawing is a few KB
UPLOAD_LIMIT = UPLOAD_BYTES + 64 * 2**10  # the whole upload request, multipart headers and all
UPLOAD_FILES = 1  # gradio_client sends each file in a request of its own; the page sends none
LOGIN_LIMIT = 4096  # bytes of a login form, and of any request before a login
BODY_SECONDS = 10  # a whole body within this: a drawing is a few KB, an upload 2 MB at most
QUEUE_SIZE = 64  # calls waiting in the queue; and reads of each guard route in the server at once
# Bodies one address may be sending at once, for memory: a class behind one school address
# had 16 on their way with 32 drawing; a trickler's time out and hold no reading slot meanwhile.
PER_CLIENT = QUEUE_SIZE
HEALTH = "/health"  # GET: 200 while the server serves (a balancer's health check); says nothing else
# What the page, gradio_client and the API docs use; anything else is 404.
PAGE_ROUTES = re.compile(r"/|/config|/login|/logout|/favicon\.ico|/theme\.css|/robots\.txt|/manifest\.json"
                         r"|/pwa_icon(/\d+)?|/(assets|static|svelte)/.+|/gradio_api/(info|upload|upload_progress"
                         r"|queue/join|queue/data|queue/status|cancel|reset|heartbeat/[^/]+|startup-events"
                         r"|login_check|token|app_id|user|theme\.css|file=.+|call/[^/]+(/[^/]+)?)")
API_INFO = re.compile(rb"window\.gradio_api_info = .*?;</script>", re.DOTALL)  # in the page's HTML


def log(line: str) -> None:
    """One line on stderr per refused request (a traceback is for real faults)."""
    print(f"* refused {line}", file=sys.stderr, flush=True)


class Refused(Exception):
    """A request refused while its body was read: (status, why)."""


class HungUp(Exception):
    pass


class Guard:
    """Every HTTP request is checked here first and its body read, within limits, before it is
    handed on whole (a client that hangs up mid-body never reaches Gradio, whose parser would
    leave a half-written upload). Uploads are recorded in `uploads`. `routes` ({path:
    handler}) are answered here: POST only, signed in, the body read whole before
    `await handler(scope, body)` gives the response, compressed for a client that takes it."""

    def __init__(self, app, uploads: Uploads, logins: Logins, routes: dict):
        self.app, self.uploads, self.logins, self.routes = app, uploads, logins, routes
        self.sending: Counter[str] = Counter()  # bodies on their way, per client
        self.reading: Counter[str] = Counter()  # reads in the server, per route

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, method, client = scope["path"], scope["method"], (scope.get("client") or ("unknown",))[0]
        try:
            if path == HEALTH and method in ("GET", "HEAD"):
                return await PlainTextResponse("ok")(scope, receive, send)
            if path.rstrip("/") in self.routes:
                return await self.answer(scope, receive, send, path.rstrip("/"), client)
            if not PAGE_ROUTES.fullmatch(path.rstrip("/") or "/"):
                raise Refused(404, "no such page")
            if path.rstrip("/") == "/login" and method == "POST" and self.logins.auth:
                return await self.login(scope, receive, send, client)
            return await self.hand_on(scope, receive, send, path, client)
        except Refused as refusal:
            return await refuse(scope, send, *refusal.args, client)
        except HungUp:
            return

    async def answer(self, scope, receive, send, path: str, client: str):
        if scope["method"] != "POST":
            raise Refused(405, "send it with POST")
        if not signed_in(scope, self.logins):
            raise Refused(401, "not signed in: POST /login first")
        body = await self.body(scope, receive, "a request", BODY_LIMIT, client)
        if self.reading[path] >= QUEUE_SIZE:
            raise Refused(429, f"{QUEUE_SIZE} reads are waiting; try again shortly")
        self.reading[path] += 1
        try:
            return await (await self.routes[path](scope, body))(scope, receive, compressing(scope, send))
        finally:
            self.reading[path] -= 1

    async def body(self, scope, receive, what: str, limit: int, client: str) -> bytes:
        """The whole body, as one of a client's PER_CLIENT at most."""
        if self.sending[client] >= PER_CLIENT:
            raise Refused(429, f"at most {PER_CLIENT} requests at once from one client")
        self.sending[client] += 1
        try:
            async with asyncio.timeout(BODY_SECONDS):
                return await read_body(scope, receive, what, limit)
        except TimeoutError:
            raise Refused(408, f"{what} must arrive within {BODY_SECONDS} s") from None
        finally:
            self.sending[client] -= 1
            if not self.sending[client]:
                del self.sending[client]

    async def login(self, scope, receive, send, client: str):
        """Gradio's login, answered as Gradio answers it (the page's form and gradio_client
        send the same fields), with a token every replica accepts."""
        body = await self.body(scope, receive, "a login", LOGIN_LIMIT, client)
        try:
            form = await Request(scope, replaying(body, receive)).form(max_files=0, max_fields=2)
            token = self.logins.sign_in(client, str(form.get("username", "")).strip(), str(form.get("password", "")))
        except Blocked:
            raise Refused(429, f"more than {LOGIN_FAILURES} failed logins in a minute") from None
        except HTTPException:  # a malformed form, or files in it
            raise Refused(400, "a login is a form with a username and a password") from None
        if token is None:
            return await JSONResponse({"detail": "Incorrect credentials."}, status_code=400)(scope, receive, send)
        response = JSONResponse({"success": True})
        secure, plain = gradio_internals.login_cookies(self.logins.cookie_id)
        response.set_cookie(secure, token, httponly=True, samesite="none", secure=True)
        response.set_cookie(plain, token, httponly=True)
        return await response(scope, receive, send)

    async def hand_on(self, scope, receive, send, path: str, client: str):
        """Gradio's own routes, each with its body read first."""
        upload, outsider = path == "/gradio_api/upload", not signed_in(scope, self.logins)
        limit = LOGIN_LIMIT if outsider else UPLOAD_LIMIT if upload else BODY_LIMIT
        body = await self.body(scope, receive, "an upload" if upload else "a request", limit, client)
        if upload and parts(scope, body) > UPLOAD_FILES:
            raise Refused(413, f"at most {UPLOAD_FILES} file per upload request")
        status, answer, page = 0, [], outsider and self.logins.auth and path == "/" and scope["method"] == "GET"

        async def watch(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if page:  # held back: its length changes below
                    return answer.append(message)
            elif (upload and status == 200) or page:
                answer.append(message.get("body", b""))
                if page and not message.get("more_body"):
                    return await send_login_page(send, answer)
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
            self.uploads.sweep(gradio_internals.upload_folder())


async def send_login_page(send, answer: list) -> None:
    """The login page without the API's description, which Gradio puts in every page."""
    start, html = answer[0], API_INFO.sub(b"window.gradio_api_info = null;</script>", b"".join(answer[1:]))
    headers = [(name, value) for name, value in start["headers"] if name != b"content-length"]
    await send({**start, "headers": [*headers, (b"content-length", str(len(html)).encode())]})
    await send({"type": "http.response.body", "body": html})


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
    """The whole body, or Refused(413) as soon as it is announced or read past `limit`."""
    if declared_length(scope) > limit:
        raise Refused(413, f"{what} may be at most {limit:,} bytes")
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HungUp
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"{what} may be at most {limit:,} bytes")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def signed_in(scope, logins: Logins) -> bool:
    """Whether the request may use the app: no login asked, or a valid login cookie."""
    if logins.auth is None:
        return True
    cookies = Request(scope).cookies
    token = next((cookies[name] for name in gradio_internals.login_cookies(logins.cookie_id) if cookies.get(name)),
                 None)
    return logins.tokens.get(token) is not None


def parts(scope, body: bytes) -> int:
    """Parts in a multipart body, under the boundary Starlette's parser will take from the
    header however it is written: one fewer than its boundary lines (the last closes it). The
    boundary cannot occur inside a part, so this counts no fewer than the parser would."""
    content_type = dict(scope["headers"]).get(b"content-type", b"")
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        return 0
    return body.count(b"--" + boundary) - 1


async def refuse(scope, send, status: int, message: str, client: str) -> None:
    log(f"{scope['method']} {scope['path']} from {client}: {status} {message}")

    async def nothing():  # the body is left unread
        return {"type": "http.disconnect"}

    # An unread body cannot be followed by another request: closing says so, where keeping
    # the connection would have the server parse the rest of the body as one.
    await JSONResponse({"detail": message}, status_code=status, headers={"Connection": "close"})(scope, nothing, send)
