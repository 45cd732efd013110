"""The one module that reaches into Gradio: on the real Gradio installed, every internal it
uses is found, and an attribute Gradio no longer has is refused by name, not created."""

import gradio as gr
import pytest

from app import gradio_internals
from app.gradio_internals import MovedInternal, assign, check, event_data, missing, tune_queue


@pytest.fixture
def demo():
    with gr.Blocks() as page:
        gr.Markdown("a page")
    page.queue()
    return page


def test_every_internal_is_where_the_module_looks(demo):
    check(demo)  # raises MovedInternal, naming each one, on a Gradio that moved any
    assert missing(gr.EventData(None, {}), ["_data"]) == []


def test_an_attribute_gradio_does_not_have_is_refused_by_name_and_not_created(demo):
    queue = demo._queue  # noqa: SLF001  (the real object the module assigns to)
    with pytest.raises(MovedInternal, match=r"gradio\.queueing\.Queue\.sleep_when_idle"):
        assign(queue, "sleep_when_idle", 0.005)
    assert not hasattr(queue, "sleep_when_idle")
    assign(queue, "sleep_when_free", 0.005)
    assert queue.sleep_when_free == 0.005
    # gr.EventData answers any attribute through its data: looked up without getattr
    assert missing(gr.EventData(None, {"_payload": 1}), ["_data", "_payload"]) == ["gradio.events.EventData._payload"]
    assert missing(gradio_internals.networking, ["open_tunnel"]) == ["gradio.networking.open_tunnel"]


def test_the_queue_keeps_undelivered_messages_for_a_few_sessions_and_forgets_their_events(demo):
    tune_queue(demo, sessions=2, poll=0.005, progress_poll=0.1)
    queue = demo._queue  # noqa: SLF001
    assert (queue.sleep_when_free, queue.progress_update_sleep_when_free) == (0.005, 0.1)
    for session in ("a", "b", "c"):
        queue.pending_event_ids_session[session] = {f"{session}-event"}
        queue.pending_messages_per_session[session] = []
    assert list(queue.pending_messages_per_session) == ["b", "c"]
    assert list(queue.pending_event_ids_session) == ["b", "c"]


def test_the_data_an_event_was_sent_with():
    assert event_data(gr.EventData(None, {"layer": "C1", "y": 3})) == {"layer": "C1", "y": 3}
    assert event_data(gr.EventData(None, ["not", "a", "dict"])) == {}
