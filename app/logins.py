"""Failed logins, counted per client, so a public link's password cannot be guessed at speed."""

import threading
import time
from collections import OrderedDict, deque

LOGIN_FAILURES, LOGIN_WINDOW = 10, 60  # failed logins a client may make in that many seconds
CLIENTS_WATCHED = 10_000  # clients whose failed logins are remembered


class Logins:
    """Failed logins per client over the last LOGIN_WINDOW seconds. A client past
    LOGIN_FAILURES waits; every other client, and the right password from anywhere else,
    still gets in."""

    def __init__(self):
        self._failures: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            times = self._failures.get(client)
            while times and times[0] < time.monotonic() - LOGIN_WINDOW:
                times.popleft()
            return bool(times) and len(times) >= LOGIN_FAILURES

    def failed(self, client: str) -> None:
        with self._lock:
            self._failures.setdefault(client, deque(maxlen=LOGIN_FAILURES)).append(time.monotonic())
            self._failures.move_to_end(client)
            while len(self._failures) > CLIENTS_WATCHED:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
