"""Files strangers upload: each read by one call at most, which deletes it, and none kept for
long, so neither the disk nor the server's records grow with what is sent.

/predict reads only what is recorded here; the server's guard records each upload as Gradio
answers it, and sweeps what failed uploads leave behind. Expiry runs on each upload and call,
and on a timer from the moment the server watches: uploads no call reads were still on disk
8 minutes later on an idle server.
"""

import contextlib
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

UPLOADS_WAITING = 256  # uploads not yet read by a call (2 MB each at most: 512 MB of disk)...
UPLOAD_AGE = 300  # ...each kept this many seconds
# A file read by its call is deleted this many seconds later. Gradio stores an upload at a path
# named after its bytes, so an upload of the same bytes may be landing on that very path;
# deleted at once, it failed (a 500, or the call told nothing was uploaded): 1 in 2,400
# uploads, 8 clients sending the same file (benchmarks.served).
READ_GRACE = 5
EXPIRY_EVERY = 30  # seconds between two expiries on a timer: an unread upload goes within 330 s


class Uploads:
    """Files uploaded through /gradio_api/upload that no call has read yet. A call takes each
    once, which deletes it; the oldest go when more than UPLOADS_WAITING wait or after
    UPLOAD_AGE seconds. An upload of the same bytes under the same name is the same path to
    Gradio, so each path counts its uploads, and a path read by all its calls is deleted
    READ_GRACE seconds later (at the next upload or call), unless uploaded again meanwhile."""

    def __init__(self):
        self._waiting: OrderedDict[str, list] = OrderedDict()  # path → [time, uploads]
        self._read: OrderedDict[str, float] = OrderedDict()  # path → when its last call read it
        self._lock = threading.Lock()
        self._records: list[set] = []
        self._folder: Path | None = None  # the upload folder, once the guard has swept it
        self._timer: threading.Thread | None = None
        self._closed = threading.Event()

    def watch(self, records: list[set], every: float = EXPIRY_EVERY) -> None:
        """Sets in which the server notes every upload (Gradio's, which it prunes only as it
        deletes files itself): a path forgotten here goes from them too, or they would grow
        by a path per upload for as long as the server runs. From now on, expiry also runs
        every `every` seconds, in a thread of its own, requests or none."""
        self._records = records
        if self._timer is None:
            self._timer = threading.Thread(target=self._expire_every, args=(every,), name="uploads-expiry",
                                           daemon=True)  # a server stopping does not wait for it
            self._timer.start()

    def close(self) -> None:
        """Stop the timer (the server's process ending stops it too)."""
        self._closed.set()
        if self._timer is not None:
            self._timer.join()

    def _expire_every(self, every: float) -> None:
        while not self._closed.wait(every):
            if self._folder is not None:
                with contextlib.suppress(OSError):  # the folder goes as the server stops
                    self.sweep(self._folder)
            else:
                with self._lock:
                    self._expire()

    def add(self, paths: list[str]) -> None:
        with self._lock:
            for path in paths:
                self._read.pop(path, None)
                entry = self._waiting.setdefault(path, [0.0, 0])
                entry[0], entry[1] = time.monotonic(), entry[1] + 1
                self._waiting.move_to_end(path)
            self._expire()

    def take(self, path) -> bytes | None:
        """The bytes of an upload no call has read yet, or None for any other path."""
        with self._lock:
            self._expire()
            entry = self._waiting.get(path) if isinstance(path, str) else None
            if entry is None:
                return None
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = None
            entry[1] -= 1
            if not entry[1]:
                del self._waiting[path]
                self._read[path] = time.monotonic()
            return data

    def sweep(self, folder: Path) -> None:
        """Delete files older than a minute at the top of the upload folder: Gradio writes an
        upload there and moves it into a folder of its own once parsed (milliseconds, as the
        guard hands it the whole body), so one still there was left by a failed upload."""
        self._folder = folder
        with self._lock:
            self._expire()
        cutoff = time.time() - 60
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                Path(entry.path).unlink(missing_ok=True)

    def _expire(self) -> None:
        cutoff = time.monotonic() - UPLOAD_AGE
        while self._waiting:
            oldest, (when, _) = next(iter(self._waiting.items()))
            if len(self._waiting) <= UPLOADS_WAITING and when >= cutoff:
                break
            del self._waiting[oldest]
            self._delete(oldest)
        cutoff = time.monotonic() - READ_GRACE
        while self._read and next(iter(self._read.values())) < cutoff:
            self._delete(self._read.popitem(last=False)[0])

    def _delete(self, path: str) -> None:
        Path(path).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: it holds another upload
            Path(path).parent.rmdir()  # Gradio's folder for it, named after its hash
        for record in self._records:
            record.discard(path)


UPLOADS = Uploads()
