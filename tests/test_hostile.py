"""What an outsider can send a public link, over raw HTTP, against a real `python -m app`
behind --auth: each attack is refused cheaply, the server keeps serving, and its log gets one
line per refusal."""

import contextlib
import html
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from app.guard import LOGIN_LIMIT
from app.server import SESSIONS_KEPT
from app.ui.api import NOT_UPLOADED
from app.uploads import UPLOADS_WAITING
from tests.helpers.digits import DRAWN, label_of
from tests.helpers.images import data_url, pixel_bomb_png, scan_bomb_jpeg
from tests.helpers.processes import memory_mb
from tests.helpers.servers import call, eventually, read, result_of, start_server, upload

USER, PASSWORD = "ada", "lovelace"


class Served:
    def __init__(self, process, url: str, folder: Path):
        self.process, self.pid, self.url, self.folder = process, process.pid, url, folder
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(process.stdout), daemon=True).start()

    def files(self) -> set[Path]:
        return {path for path in self.folder.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    temporary = tmp_path_factory.mktemp("temporary")
    # As behind a balancer on this machine (--proxy): the client is the one X-Forwarded-For names.
    process, url = start_server("--proxy", "127.0.0.1",
                                env={"LENET_LENS_AUTH": f"{USER}:{PASSWORD}", "GRADIO_TEMP_DIR": str(temporary)})
    yield Served(process, url, next(temporary.glob("lenet-lens-*")))
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def http(served):
    with httpx.Client(base_url=served.url, timeout=60) as client:
        assert client.post("login", data={"username": USER, "password": PASSWORD}).status_code == 200
        yield client


def raw(url: str, head: bytes, body: bytes = b"", hang_up: bool = False) -> str:
    """A request over a plain socket; the answer's status line, or '' after hanging up."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head + body)
        return "" if hang_up else connection.recv(100).split(b"\r\n")[0].decode()


def multipart(files: int, size: int) -> tuple[bytes, bytes]:
    body = b"".join(b"--edge\r\nContent-Disposition: form-data; name=\"files\"; filename=\"%d.png\"\r\n\r\n" % i
                    + bytes([i]) * size + b"\r\n" for i in range(files)) + b"--edge--\r\n"
    return (b"POST /gradio_api/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=edge\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)), body


def new_log(served, since: int) -> list[str]:
    """The server's log from line `since` up to now: up to the line of a request of ours for a
    page that is not there, waited for with a deadline (a thread reads the log, some lines
    behind), so every line logged before that request is in."""
    marker = f"/no-such-page-{uuid.uuid4().hex}"
    assert httpx.get(served.url.rstrip("/") + marker, timeout=10).status_code == 404
    assert eventually(lambda: any(marker in line for line in served.log[since:])), served.log[since:]
    lines = served.log[since:]
    return lines[:next(i for i, line in enumerate(lines) if marker in line)]


def test_hostile_images_are_refused_without_their_memory_and_a_visitor_still_draws(served, http):
    # What they cost in CPU, and the visitor's wait: benchmarks.hostile (and benchmarks.decode)
    jpeg, png = scan_bomb_jpeg(), pixel_bomb_png()  # seconds of CPU to decode; 134 MB decoded
    def refused(answer) -> tuple[str, object]:  # a read's refusal as a call's
        return ("error", answer) if "error" in answer else ("complete", answer)

    def posted(data: bytes) -> tuple[str, object]:  # POST /predict's refusal as a call's
        return refused(http.post("predict", content=data).json())

    attacks = [(lambda: posted(jpeg), "scans"), (lambda: posted(png), "5792×5792"),
               (lambda: call(http, "predict", [upload(http, jpeg, "scans.jpg"), "lenet5"]), "scans"),
               (lambda: call(http, "predict", [upload(http, png, "big.png"), "lenet5"]), "5792×5792"),
               (lambda: refused(read(http, [data_url(jpeg, "jpeg"), "lenet5", "en", None])), "PNG"),
               (lambda: refused(read(http, [data_url(png), "lenet5", "en", None])), "5792×5792")]
    Path(f"/proc/{served.pid}/clear_refs").write_text("5")  # peak memory from now
    rss = memory_mb(served.pid)
    with ThreadPoolExecutor(len(attacks)) as pool:
        answers = pool.map(lambda attack: attack[0](), attacks)  # all at once
        time.sleep(0.2)  # the visitor draws while they are under way
        visitor = read(http, [data_url(DRAWN[0].read_bytes()), "lenet5", "en", None])
        assert f">{label_of(DRAWN[0])}</p>" in visitor["card"]
        for (_, words), (event, refusal) in zip(attacks, answers, strict=True):
            assert event == "error" and words in refusal["error"]
    assert memory_mb(served.pid, "VmHWM") - rss < 80  # the PNG alone decodes to 134 MB


def test_a_body_is_bounded_before_it_is_read_even_before_the_password(served):
    since = len(served.log)
    head = b"POST /gradio_api/call/follow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    # 100 MB announced, 64 KB sent, no login: refused at once, without waiting for the rest
    assert raw(served.url, head + b"Content-Length: 100000000\r\n\r\n", b"A" * 65536).startswith("HTTP/1.1 413")
    # no length announced: read up to the limit before a login, 4 KB, then refused
    chunked = head + b"Transfer-Encoding: chunked\r\n\r\n"
    chunk = b"%x\r\n%s\r\n" % (1024, b"A" * 1024)
    assert raw(served.url, chunked, chunk * 5 + b"0\r\n\r\n").startswith("HTTP/1.1 413")
    # all 100 MB, as fast as the server takes them: it takes none, and its memory stays put
    Path(f"/proc/{served.pid}/clear_refs").write_text("5")
    rss = memory_mb(served.pid)
    host, port = served.url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection, contextlib.suppress(OSError):
        connection.sendall(head + b"Content-Length: %d\r\n\r\n{\"data\": [\"" % (100 * 2**20))
        for _ in range(100):
            connection.sendall(b"A" * 2**20)
        connection.recv(100)  # a server that read it all answers once it has parsed it
    assert memory_mb(served.pid, "VmHWM") - rss < 20  # the whole body parsed: +300 MB
    log = new_log(served, since)
    assert len(log) == 3 and all("413" in line for line in log) and f"at most {LOGIN_LIMIT:,} bytes" in log[1], log


def test_uploads_hold_one_small_file_that_one_call_reads_and_nothing_stays(served, http):
    before = served.files()
    assert http.post("gradio_api/upload", files=[("files", ("a.png", b"a")), ("files", ("b.png", b"b"))]
                     ).status_code == 413
    assert http.post("gradio_api/upload", files=[("files", ("a.png", b"a" * 2_500_000))]).status_code == 413
    digit = upload(http, DRAWN[1].read_bytes(), "digit.png")
    assert Path(digit["path"]) in served.files()
    event, result = call(http, "predict", [digit, "lenet5"])
    assert event == "complete" and result[0]["label"] == label_of(DRAWN[1])
    event, refusal = call(http, "predict", [digit, "lenet5"])  # read once: gone
    assert event == "error" and refusal["error"] == NOT_UPLOADED
    head, body = multipart(1, 1_900_000)
    raw(served.url, head, body[:1_000_000], hang_up=True)  # a client gone mid-upload
    for i in range(UPLOADS_WAITING + 20):  # uploads no call ever reads
        assert http.post("gradio_api/upload", files=[("files", ("n.png", b"%d" % i))]).status_code == 200
    time.sleep(0.5)
    left = served.files() - before
    assert len(left) <= UPLOADS_WAITING + 1  # and the digit read above, for READ_GRACE seconds
    assert not any(path.parent == served.folder for path in left)  # nothing half-written


def test_only_the_queue_runs_calls_and_only_the_pads_reads_and_posted_images_skip_it(served, http):
    for route in ("gradio_api/run/follow", "gradio_api/api/follow"):
        assert http.post(route, json={"data": ["lenet5", "en", None]}).status_code == 404
    since = len(served.log)
    # The page has no gr.HTML server functions; Gradio answered one naming a missing component
    # with a 500 and a traceback.
    for asked in ({"data": [], "component_id": 99_999, "fn_name": "read", "session_hash": "x"}, {"component_id": [1]}):
        assert http.post("gradio_api/component_server/", json=asked).status_code == 404, asked
    # /read parses JSON only, and nothing past orjson's depth: a form or a deep list is words
    deep = b"[" * 100_000 + b"]" * 100_000
    for garbage in ({"content": deep}, {"data": {"data": "x"}, "files": {"f": b"x" * 1000}}):
        refusal = http.post("read", **garbage)
        assert refusal.status_code == 200 and "expected [drawing, model" in refusal.json()["error"]
    assert "view" in http.post("read", json=["", "lenet5", "en", None]).json()
    assert not any("Traceback" in line for line in new_log(served, since))


def test_the_guards_own_routes_need_the_login_and_leave_nothing_on_disk(served, http):
    since, before = len(served.log), served.files()
    with httpx.Client(base_url=served.url, timeout=30) as stranger:
        assert stranger.post("predict", content=DRAWN[0].read_bytes()).status_code == 401
        assert stranger.post("read", json=["", "lenet5", "en", None]).status_code == 401
    # not signed in: refused before a byte of the body is read
    assert raw(served.url, b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n",
               b"A" * 65536).startswith("HTTP/1.1 401")
    assert http.post("predict", content=b"A" * 3_100_000).status_code == 413
    assert http.get("predict").status_code == 405
    reply = http.post("predict", content=DRAWN[1].read_bytes(), params={"model": "mlp"})
    assert reply.status_code == 200 and reply.json()["label"] == label_of(DRAWN[1])
    assert f">{label_of(DRAWN[1])}</p>" in read(http, [data_url(DRAWN[1].read_bytes()), "lenet5", "en", None])["card"]
    assert served.files() == before
    log = new_log(served, since)
    assert [line.split(": ")[1][:3] for line in log] == ["401", "401", "401", "413", "405"], log


def test_results_no_one_reads_are_kept_for_a_few_hundred_sessions(served, http):
    def post() -> str:
        while True:  # a full queue answers 503: wait for it
            reply = http.post("gradio_api/call/follow", json={"data": ["lenet5", "en", None]})
            if reply.status_code == 200:
                return reply.json()["event_id"]
            time.sleep(0.05)

    first = post()
    with ThreadPoolExecutor(8) as pool:
        *_, last = pool.map(lambda _: post(), range(SESSIONS_KEPT + 20))
    assert result_of(http, "follow", last)[0] == "complete"
    with pytest.raises(httpx.RemoteProtocolError):  # Gradio cuts the stream of a result it dropped
        result_of(http, "follow", first)


def test_failed_logins_are_limited_per_client(served):
    since = len(served.log)
    with httpx.Client(base_url=served.url, timeout=30) as http:
        def login(password: str, client: str) -> int:
            # uvicorn takes the client from X-Forwarded-For when the peer is the --proxy
            return http.post("login", data={"username": USER, "password": password},
                             headers={"X-Forwarded-For": client}).status_code

        assert [login(f"guess {i}", "203.0.113.7") for i in range(10)] == [400] * 10
        assert login("guess 10", "203.0.113.7") == 429
        assert login(PASSWORD, "198.51.100.4") == 200  # everyone else still gets in
    assert ["429" in line for line in new_log(served, since) if "/login" in line] == [True]


def test_refusals_get_clear_words_and_one_log_line_each(served, http, tmp_path):
    since = len(served.log)
    assert "unknown model 'None'" in read(http, [data_url(DRAWN[0].read_bytes()), None, "en", None])["error"]
    refusals = [("show", [None, "en", None], "unknown model 'None'"),
                ("lens", [data_url(DRAWN[0].read_bytes()), "tutorial", "en", None], "a tap names its cell")]
    nan = tmp_path / "nan.tiff"
    Image.fromarray(np.full((64, 64), np.nan, np.float32)).save(nan)
    refusals.append(("predict", [upload(http, nan.read_bytes(), "nan.tiff"), "lenet5"], "deeper than 8 bits"))
    # Whatever a path is, if this server did not just receive it as an upload: the same words.
    served_file = served.folder / "kept.png"  # a file of the server's, not an upload
    served_file.write_bytes(DRAWN[2].read_bytes())
    refusals += [("predict", [{"path": str(path)}, "lenet5"], NOT_UPLOADED)
                 for path in (served_file, served.folder, served.folder / "missing.png", "/etc/passwd",
                              data_url(DRAWN[0].read_bytes()))]
    for route, data, words in refusals:
        event, refusal = call(http, route, data)
        assert event == "error" and words in refusal["error"], (route, refusal)
        if words == NOT_UPLOADED:
            assert refusal["error"] == NOT_UPLOADED
    log = new_log(served, since)
    assert len([line for line in log if line.startswith("* refused /")]) == len(refusals) + 1, log
    assert not any("Traceback" in line for line in log), log


def test_the_pads_read_refuses_fields_of_a_wrong_type_in_the_pages_language(served, http):
    since = len(served.log)
    wrong = ((["", "lenet5", ["en"], None], "expected the language as a string"),  # was a 500 and a traceback
             ([["data:"], "lenet5", "en", None], "expected the drawing as a data URL, got list"),
             ([None, "lenet5", "zh-CN", None], "需要一个 data URL 形式的画"),
             (["", "lenet5", "zh-CN", "3"], "检查点必须是整数或 null"),
             (["", "lenet5", "en", {"step": 3}], "checkpoint as a whole number or null, got dict"),
             (["", "lenet5", "en", 2.5], "checkpoint as a whole number or null, got float"),
             (["", "lenet5", "en", -0.5], "checkpoint as a whole number or null, got float"))
    for asked, words in wrong:
        refusal = read(http, asked)  # 200, or it fails
        assert words in refusal["error"] and html.escape(refusal["error"]) in refusal["card"], refusal
    # past the last checkpoint, however far (orjson reads 10**30 as a float): the shipped weights
    for far in (10**18, 10**30):
        assert read(http, ["", "lenet5", "en", far])["view"]["model"] == "lenet5"
    log = new_log(served, since)
    assert len([line for line in log if line.startswith("* refused /read: ")]) == len(wrong), log
    assert not any("Traceback" in line for line in log), log
