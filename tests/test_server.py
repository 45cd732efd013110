"""The served app, through gradio_client, against a real `python -m app`."""

import subprocess
import sys

import pytest
from gradio_client import Client, handle_file
from PIL import Image

from tests.conftest import DRAWN, label_of


@pytest.fixture(scope="module")
def client(server):
    return Client(server, verbose=False)


def test_drawn_digits_are_read(client):
    for path in DRAWN[:4]:
        result = client.predict(handle_file(str(path)), api_name="/predict")
        assert result["label"] == label_of(path)
        assert abs(sum(result["probabilities"].values()) - 1) < 1e-3


def test_blank_canvas_has_no_label(client, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("RGBA", (800, 800), "white").save(blank)
    result = client.predict(handle_file(str(blank)), api_name="/predict")
    assert result["label"] is None


def test_bad_payloads_get_errors_and_the_server_keeps_answering(client, tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture")
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(DRAWN[0].read_bytes()[:300])
    for bad in (text, truncated):
        with pytest.raises(Exception, match="image"):
            client.predict(handle_file(str(bad)), api_name="/predict")
    assert client.predict(handle_file(str(DRAWN[1])), api_name="/predict")["label"] == label_of(DRAWN[1])


def test_a_busy_port_gets_a_clear_message(server):
    port = server.rstrip("/").rsplit(":", 1)[1]
    done = subprocess.run([sys.executable, "-m", "app", "--port", port], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"port {port} on 127.0.0.1 is busy" in done.stderr
