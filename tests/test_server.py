"""The served app, through gradio_client, against a real `python -m app`."""

import html
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import httpx
import numpy as np
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError, AuthenticationError
from PIL import Image

from app.registry import ASSETS
from tests.helpers.digits import DRAWN, label_of
from tests.helpers.images import data_url, encoded
from tests.helpers.servers import call, free_port, read, start_server, stop_server


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
        with pytest.raises(AppError, match="image"):
            client.predict(handle_file(str(bad)), api_name="/predict")
    assert client.predict(handle_file(str(DRAWN[1])), api_name="/predict")["label"] == label_of(DRAWN[1])


def test_an_images_bytes_posted_to_predict_get_the_same_answer_as_the_library(server, classifier):
    with httpx.Client(base_url=server, timeout=30) as http:
        for path in DRAWN[:4]:
            reply = http.post("predict", content=path.read_bytes())
            expected = classifier.predict(Image.open(path), with_activations=False)
            assert reply.status_code == 200 and reply.json()["label"] == expected.label == label_of(path)
            assert reply.json()["probabilities"] == {str(d): round(float(p), 5)
                                                     for d, p in enumerate(expected.probabilities)}
        lenet5, mlp = (http.post("predict", content=DRAWN[0].read_bytes(), params={"model": name}).json()
                       for name in ("lenet5", "mlp"))
        assert mlp["probabilities"] != lenet5["probabilities"]
        blank = Image.new("RGBA", (800, 800), "white")
        assert http.post("predict", content=encoded(blank)).json()["label"] is None
        unknown = http.post("predict", content=DRAWN[0].read_bytes(), params={"model": "vgg"})
        assert unknown.status_code == 400 and "unknown model 'vgg'" in unknown.json()["error"]
        text = http.post("predict", content=b"not a picture", params={"language": "zh-CN"})
        assert text.status_code == 400 and re.search("[\u4e00-\u9fff]", text.json()["error"])
        assert http.post("predict", content=DRAWN[1].read_bytes()).json()["label"] == label_of(DRAWN[1])


def test_a_busy_port_gets_a_clear_message(server):
    port = server.rstrip("/").rsplit(":", 1)[1]
    done = subprocess.run([sys.executable, "-m", "app", "--port", port], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"port {port} on 127.0.0.1 is busy" in done.stderr


def test_share_without_a_share_server_says_so_in_one_line_and_serves_locally():
    # The share server a closed local port: the link fails the same way with or without internet.
    process, url = start_server("--share", env={"GRADIO_SHARE_SERVER_ADDRESS": f"127.0.0.1:{free_port()}"})
    lines = []
    # A thread reads the output: select() on a buffered pipe misses lines already read ahead.
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any("public" in line.lower() for line in lines):  # printed once the tunnel fails
            assert time.monotonic() < deadline, f"no word about the public link: {lines}"
            time.sleep(0.1)
        assert urllib.request.urlopen(url, timeout=10).status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        reader.join(timeout=10)
    notes = [line for line in lines if "public" in line.lower()]
    assert len(notes) == 1 and notes[0].startswith("* No public link") and "serving locally" in notes[0], lines
    assert not any("Traceback" in line or "HTTP Request" in line for line in lines), lines


def test_auth_protects_the_page_and_the_api(tmp_path):
    process, url = start_server(env={"LENET_LENS_AUTH": "ada:lovelace"})
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "gradio_api/info", timeout=10)
        assert refused.value.code == 401
        with pytest.raises(AuthenticationError, match="credentials"):
            Client(url, verbose=False).predict(handle_file(str(DRAWN[0])), api_name="/predict")
        client = Client(url, auth=("ada", "lovelace"), verbose=False)
        assert client.predict(handle_file(str(DRAWN[0])), api_name="/predict")["label"] == label_of(DRAWN[0])
        # Without --proxy, X-Forwarded-For names no one: a guesser cannot be a new client each try.
        with httpx.Client(base_url=url) as http:
            tries = [http.post("login", data={"username": "ada", "password": "guess"},
                               headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(11)]
        assert tries == [400] * 10 + [429]
    finally:
        process.terminate()
        log = process.communicate(timeout=10)[0]
    assert "lovelace" not in log


def test_only_the_api_is_documented(client):
    assert list(client.view_api(return_format="dict", print_info=False)["named_endpoints"]) == ["/predict", "/explain"]


def test_predict_takes_a_model_name(client):
    result = client.predict(handle_file(str(DRAWN[5])), "tutorial", api_name="/predict")
    assert result["label"] == label_of(DRAWN[5])
    with pytest.raises(AppError, match="unknown model 'alexnet'"):
        client.predict(handle_file(str(DRAWN[5])), "alexnet", api_name="/predict")


def test_both_predict_routes_answer_with_the_model_the_server_shows_first():
    process, url = start_server("--model", "mlp")  # not the registry's default, lenet5
    try:
        given = Client(url, verbose=False).predict(handle_file(str(DRAWN[0])), api_name="/predict")
        with httpx.Client(base_url=url, timeout=30) as http:
            posted, mlp, lenet5 = (http.post("predict", content=DRAWN[0].read_bytes(), params=params).json()
                                   for params in ({}, {"model": "mlp"}, {"model": "lenet5"}))
    finally:
        stop_server(process)
    assert given["probabilities"] == posted["probabilities"] == mlp["probabilities"]
    assert mlp["probabilities"] != lenet5["probabilities"]


def test_explain_says_which_pixels_made_the_digit(client):
    result = client.predict(handle_file(str(DRAWN[0])), None, api_name="/explain")
    attribution = np.array(result["attribution"])
    assert result["label"] == label_of(DRAWN[0]) and result["rival"] is None and attribution.shape == (28, 28)
    against = client.predict(handle_file(str(DRAWN[0])), 1, api_name="/explain")
    assert against["rival"] == 1 and not np.allclose(np.array(against["attribution"]), attribution)
    for rival, message in (("seven", "rival must be a digit"), (result["label"], "another digit")):
        with pytest.raises(AppError, match=message):
            client.predict(handle_file(str(DRAWN[0])), rival, api_name="/explain")
    with pytest.raises(AppError, match="expected an image file"):
        client.predict("not a file", None, api_name="/explain")


# The climb to /etc/passwd is counted from where the checkout lies, so the file is there to serve at any depth
@pytest.mark.parametrize("path", ["/etc/passwd", os.path.relpath("/etc/passwd", ASSETS.parent),
                                  "assets/lenet5.safetensors", "app/ui/page.py", "README.md",
                                  str(ASSETS.parent / "app" / "logins.py")])
def test_no_file_outside_the_app_is_served(server, path):
    assert Path(path).is_file() or (ASSETS.parent / path).is_file()  # there to serve: a 404 says it was refused
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server + "gradio_api/file=" + path, timeout=10)
    assert refused.value.code in (403, 404)


SKETCH_WITHOUT_COMPOSITE = {"background": None, "layers": []}


def test_the_pads_read_refuses_garbage_and_keeps_serving(server):
    drawing = data_url(DRAWN[2].read_bytes())
    with httpx.Client(base_url=server, timeout=30) as http:
        for garbage in ("hello", "data:image/png;base64,AAAA", "data:image/png;base64," + "A" * 2_100_000,
                        123, SKETCH_WITHOUT_COMPOSITE):
            refusal = read(http, [garbage, "lenet5", "en", None])
            assert re.search("data URL|image|limit", refusal["error"]), refusal
            assert html.escape(refusal["error"]) in refusal["card"] and "view" not in refusal
        for asked, words in ((["", "nonsense", "en", None], "unknown model 'nonsense'"),
                             (["", None, "en", None], "unknown model 'None'"),
                             ([drawing, "lenet5"], "expected [drawing, model, language, checkpoint]"),
                             ("hello", "expected [drawing, model, language, checkpoint]")):
            assert words in read(http, asked)["error"]
        answer = read(http, [drawing, "lenet5", "en", None])
        assert f'<p class="ll-digit" aria-live="polite">{label_of(DRAWN[2])}</p>' in answer["card"]
        assert answer["ask"] == f"Why {label_of(DRAWN[2])}?" and answer["view"]["model"] == "lenet5"
        titles = [layer["title"] for layer in answer["view"]["layers"]]
        assert titles[:2] == ["C1 · conv 5×5 · 6@28×28", "S2 · max-pool 2×2 · 6@14×14"]
        assert all(layer["array"]["data"] for layer in answer["view"]["layers"])
        blank = read(http, ["", "lenet5", "zh-CN", None])
        assert "请画一个数字" in blank["card"] and blank["ask"] == "为什么是 …？"
        assert not any(layer["array"]["data"] for layer in blank["view"]["layers"])
        # a checkpoint's network: the first reads the drawing as an untrained network does
        first = read(http, [drawing, "lenet5", "en", 0])["view"]["layers"][-1]
        assert first["array"]["data"] != answer["view"]["layers"][-1]["array"]["data"]


def test_a_read_comes_compressed_to_a_client_that_takes_it(server):
    import brotli

    with httpx.Client(base_url=server, timeout=30) as http:
        asked = [data_url(DRAWN[2].read_bytes()), "lenet5", "en", None]

        def sent(encoding: str) -> httpx.Response:  # the bytes as they came over the wire
            with http.stream("POST", "read", json=asked,
                             headers={"Accept-Encoding": encoding}) as reply:
                reply.raw = b"".join(reply.iter_raw())
                return reply

        plain, squeezed, zipped = sent("identity"), sent("gzip, deflate, br"), sent("gzip")
    assert "content-encoding" not in plain.headers and len(plain.raw) > 20_000
    assert squeezed.headers["content-encoding"] == "br" and zipped.headers["content-encoding"] == "gzip"
    assert brotli.decompress(squeezed.raw) == zlib.decompress(zipped.raw, 31) == plain.raw
    assert len(squeezed.raw) < len(plain.raw) / 3 and len(zipped.raw) < len(plain.raw) / 3


@pytest.mark.parametrize("route, data", [
    ("predict", [123, "lenet5"]), ("predict", ["hello", "lenet5"]), ("predict", [None, "lenet5"]),
    ("predict", [{"path": None}, "lenet5"]), ("predict", []), ("predict", [SKETCH_WITHOUT_COMPOSITE, "lenet5"]),
    # a path the caller did not upload: with Gradio's file marker, and without it
    ("predict", [{"path": "/etc/passwd"}, "lenet5"]), ("predict", [{"path": "/tmp/gradio/../../etc/passwd"}, "lenet5"]),
    ("predict", [{"path": str(ASSETS / "examples" / "3.png")}, "lenet5"]),
    ("predict", [{"path": str(ASSETS / "examples" / "3.png"), "meta": {"_type": "gradio.FileData"}}, "lenet5"]),
    ("predict", [{"path": None}, None])])
def test_wrong_field_types_get_clear_errors(server, route, data):
    with httpx.Client(base_url=server, timeout=30) as http:
        event, answer = call(http, route, data)
        assert event == "error" and answer["error"], answer
        event, answer = call(http, "follow", ["lenet5", "en", None])
    assert event == "complete" and "lenet5" in answer[1]


def test_a_decompression_bomb_is_refused(client, tmp_path):
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)  # a few KB on disk, 400 megapixels decoded
    assert bomb.stat().st_size < 200_000
    with pytest.raises(AppError, match="image"):
        client.predict(handle_file(str(bomb)), api_name="/predict")
    assert client.predict(handle_file(str(DRAWN[0])), api_name="/predict")["label"] == label_of(DRAWN[0])


def test_a_burst_beyond_the_queue_is_shed_clearly_and_the_server_recovers(server):
    import asyncio

    drawing = data_url(DRAWN[0].read_bytes())

    async def burst(path: str, body, addresses: int = 30):
        """300 requests at once, 300 // addresses from each of `addresses` clients."""
        async def client(address: str):
            async with httpx.AsyncClient(base_url=server, timeout=60, limits=httpx.Limits(max_connections=300),
                                         transport=httpx.AsyncHTTPTransport(local_address=address)) as http:
                return await asyncio.gather(*[http.post(path, json=body) for _ in range(300 // addresses)])
        return sum(await asyncio.gather(*[client(f"127.0.0.{2 + i}") for i in range(addresses)]), [])

    # From one client, all at once: past its bodies on their way or the reading slots, turned away.
    alone = asyncio.run(burst("read", [drawing, "lenet5", "en", None], addresses=1))
    assert all(r.status_code in (200, 429) for r in alone) and any(r.status_code == 429 for r in alone)
    calls = asyncio.run(burst("gradio_api/call/follow", {"data": ["lenet5", "en", None]}))
    shed = [r for r in calls if r.status_code == 503]
    assert shed and all("Queue is full" in r.json()["detail"] for r in shed)
    assert all(r.status_code in (200, 503) for r in calls)
    reads = asyncio.run(burst("read", [drawing, "lenet5", "en", None]))
    shed = [r for r in reads if r.status_code == 429]
    assert shed and all("reads are waiting" in r.json()["detail"] for r in shed)
    assert all(r.status_code in (200, 429) for r in reads)
    assert all(f">{label_of(DRAWN[0])}</p>" in r.json()["card"] for r in reads if r.status_code == 200)
    with httpx.Client(base_url=server, timeout=30) as http:
        assert f">{label_of(DRAWN[0])}</p>" in read(http, [drawing, "lenet5", "en", None])["card"]


def test_clients_that_hang_up_mid_request_do_not_hurt_the_server(server, client):
    import socket

    host, port = server.split("//")[1].rstrip("/").split(":")
    body = b'["data:image/png;base64,' + b"A" * 5000
    for _ in range(20):  # half a request body, then gone
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(b"POST /read HTTP/1.1\r\nHost: x\r\n"
                               b"Content-Type: application/json\r\n"
                               b"Content-Length: 100000\r\n\r\n" + body)
    for _ in range(5):  # a whole request whose answer is never read
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(b"GET /gradio_api/info HTTP/1.1\r\nHost: x\r\n\r\n")
    assert client.predict(handle_file(str(DRAWN[3])), api_name="/predict")["label"] == label_of(DRAWN[3])
