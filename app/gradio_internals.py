"""Every Gradio internal the app leans on, behind one door: what Gradio documents can be used
anywhere, what it does not is used here alone (ruff's SLF001 is switched off for this module
only), and checked at start-up.

Gradio renames its internals without notice, and Python would not say so: an assignment to a
renamed attribute creates a new one that nothing reads. So each attribute is set through
`assign`, which refuses one the object does not have, and `check` looks for all of them on the
server's own objects before it serves, naming any that moved (MovedInternal).

The page's two browser-side touches live beside it, each saying so: `app/ui/js/language.js`
(Gradio's changeLocale, for its own words in the page's language; tests/test_screen.py sees
them change) and the "Gradio's own elements" section of `app/ui/page.css` (class names).
"""

import os
from pathlib import Path
from types import ModuleType

# Gradio records each call for its monitoring dashboard (not enabled here) and rebuilds a
# pandas table of the last 10,000 after every call; at 1,000 summarised every 100 it was still
# 7 % of a served call's CPU. One record, never summarised. Read as the queue is made, so set
# before any gr.Blocks (app.server imports this module before the page is built).
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(10**9))

from gradio import networking, queueing, utils  # noqa: E402

ANALYTICS = (("GRADIO_ANALYTICS_MAX_EVENTS", "ANALYTICS_MAX_EVENTS"),
             ("GRADIO_ANALYTICS_CACHE_FREQUENCY", "ANAYLTICS_CACHE_FREQUENCY"))  # sic: Gradio's spelling
# Attributes each object must have, by the object's role.
QUEUE = ("pending_messages_per_session", "pending_event_ids_session", "sleep_when_free",
         "progress_update_sleep_when_free", *(attribute for _, attribute in ANALYTICS))
BLOCKS = ("_queue", "temp_file_sets")
SERVER_APP = ("tokens", "cookie_id")  # exists once launched: checked as it is assigned
EVENT_DATA = ("_data",)
MODULES = ((networking, "setup_tunnel"), (utils, "LRUCache"), (utils, "get_upload_folder"), (queueing, "Queue"))
# The login cookie's names: Gradio's routes look a login up under either.
LOGIN_COOKIES = ("access-token-{}", "access-token-unsecure-{}")


class MovedInternal(RuntimeError):
    """A Gradio internal the app uses is not where it was: Gradio changed, and this module
    needs to follow it."""


def _name(owner, attribute: str) -> str:
    if isinstance(owner, ModuleType):
        return f"{owner.__name__}.{attribute}"
    return f"{type(owner).__module__}.{type(owner).__qualname__}.{attribute}"


def missing(owner, attributes) -> list[str]:
    """The attributes `owner` (a module or an object) lacks, each named as module.Class.attribute.
    Looked up without getattr: gr.EventData answers any name through its `_data`."""
    return [_name(owner, attribute) for attribute in attributes
            if attribute not in vars(owner) and not hasattr(type(owner), attribute)]


def assign(owner, attribute: str, value) -> None:
    """setattr, for an attribute the object already has (else MovedInternal, naming it)."""
    gone = missing(owner, [attribute])
    if gone:
        raise MovedInternal(f"Gradio's {gone[0]} is gone (renamed or moved); app/gradio_internals.py sets it")
    setattr(owner, attribute, value)


def check(demo) -> None:
    """Every internal this module reaches, on the server's page (`demo`, queued), or
    MovedInternal naming each one that moved."""
    from gradio import EventData

    gone = [name for module, attribute in MODULES for name in missing(module, [attribute])]
    gone += missing(demo, BLOCKS)
    if "_queue" in vars(demo):
        gone += missing(demo._queue, QUEUE)
    gone += missing(EventData(None, {}), EVENT_DATA)
    queue = getattr(demo, "_queue", None)
    for variable, attribute in ANALYTICS:
        if hasattr(queue, attribute) and getattr(queue, attribute) != int(os.environ[variable]):
            gone.append(f"the variable {variable} (gradio.queueing.Queue.{attribute} no longer reads it)")
    if gone:
        raise MovedInternal(f"Gradio {_version()} lacks what app/gradio_internals.py uses: {', '.join(gone)}")


def _version() -> str:
    import gradio

    return gradio.__version__


class Undelivered(utils.LRUCache):
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


def tune_queue(demo, sessions: int, poll: float, progress_poll: float) -> None:
    """The queue of a queued page: undelivered messages kept for `sessions` sessions, and how
    often (seconds) it looks for work and for progress to send when there is none."""
    queue = demo._queue
    assign(queue, "pending_messages_per_session", Undelivered(queue, sessions))
    assign(queue, "sleep_when_free", poll)
    assign(queue, "progress_update_sleep_when_free", progress_poll)


def upload_records(demo) -> list[set]:
    """The sets in which Gradio notes each upload's path (app.uploads prunes them)."""
    return demo.temp_file_sets


def upload_folder() -> Path:
    """Where Gradio stores uploads."""
    return Path(utils.get_upload_folder())


def share_logins(demo, tokens, cookie_id: str) -> None:
    """After launch: Gradio's routes look a login cookie up by `cookie_id` in `tokens`."""
    for attribute, value in zip(SERVER_APP, (tokens, cookie_id), strict=True):
        assign(demo.server_app, attribute, value)


def login_cookies(cookie_id: str) -> tuple[str, str]:
    """The names Gradio's routes read a login token from: the secure cookie, then the plain one."""
    return tuple(name.format(cookie_id) for name in LOGIN_COOKIES)


def public_link(demo) -> str:
    """A --share link to the launched page (Gradio's tunnel); raises whatever the tunnel raises."""
    return networking.setup_tunnel(demo.server_name, demo.server_port, demo.share_token, None, None)


def event_data(event) -> dict:
    """What the browser sent with an event (a custom event's payload), or {} if not a dict."""
    data = event._data
    return data if isinstance(data, dict) else {}
