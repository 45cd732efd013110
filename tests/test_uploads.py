"""The record of uploads /predict may read: each once, and its file gone soon after."""

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
