"""The record of uploads /predict may read: each once, and its file gone soon after."""

import os
import time
from pathlib import Path

from app import uploads
from app.uploads import Uploads


def upload(folder, data: bytes) -> str:
    """A file where Gradio stores an upload: a folder named after its bytes."""
    path = folder / "hash-of-the-bytes" / "digit.png"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_an_upload_is_read_once(tmp_path):
    record = Uploads()
    path = upload(tmp_path, b"digit")
    record.add([path])
    assert record.take(path) == b"digit"
    assert record.take(path) is None
    assert record.take(str(tmp_path / "never-uploaded.png")) is None


def test_the_same_bytes_uploaded_while_the_first_is_read_are_read_too(tmp_path):
    record = Uploads()
    path = upload(tmp_path, b"digit")
    record.add([path])
    # A second upload of the same bytes: Gradio has its folder (the same one) when the first
    # is read, and moves the file in just after.
    assert record.take(path) == b"digit"
    Path(path).write_bytes(b"digit")
    record.add([path])
    assert record.take(path) == b"digit"


def test_a_read_upload_is_deleted_once_its_grace_is_over(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "READ_GRACE", 0)
    record = Uploads()
    path = upload(tmp_path, b"digit")
    record.add([path])
    record.take(path)
    record.sweep(tmp_path)  # the next upload's sweep
    assert not (tmp_path / "hash-of-the-bytes").exists()


def test_an_idle_server_deletes_uploads_no_call_read(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "UPLOAD_AGE", 0.2)  # 300 s as served
    record, gradios = Uploads(), {"unrelated"}
    path = upload(tmp_path, b"digit")
    gradios.add(path)
    record.watch([gradios], every=0.05)
    try:
        record.add([path])
        time.sleep(0.6)  # no upload, no call: only the timer runs
        assert not Path(path).exists() and not (tmp_path / "hash-of-the-bytes").exists()
        assert gradios == {"unrelated"}
        assert record.take(path) is None
        # once the guard has swept the upload folder, the timer sweeps it too: a failed
        # upload's file, left at its top, goes when a minute old
        record.sweep(tmp_path)
        failed = tmp_path / "half-an-upload"
        failed.write_bytes(b"dig")
        os.utime(failed, (time.time() - 61,) * 2)
        time.sleep(0.2)
        assert not failed.exists()
    finally:
        record.close()
