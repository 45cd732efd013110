"""Who is signed in: login tokens that every replica of the app accepts, and failed logins
counted per client, so a public link's password cannot be guessed at speed."""

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict, deque

LOGIN_FAILURES, LOGIN_WINDOW = 10, 60  # failed logins a client may make in that many seconds
CLIENTS_WATCHED = 10_000  # clients whose failed logins are remembered
# The secret replicas share to sign tokens: one login holds on every replica behind a balancer.
# Unset, each process makes its own (one process needs no other).
SECRET_VARIABLE = "LENET_LENS_SECRET"
TOKEN_LIFETIME = 12 * 3600  # seconds a login lasts


class Blocked(Exception):
    """The client failed LOGIN_FAILURES times within LOGIN_WINDOW seconds."""


class Tokens:
    """Login tokens as `user.expiry.signature`, signed with the shared secret: checking one
    needs no record of it, so any replica accepts a token another issued, and a restarted
    replica still knows every visitor. Stands in for Gradio's token table (token → user),
    which Gradio's own routes look up; a logout forgets the cookie, not the token."""

    def __init__(self, secret: bytes):
        self._secret = secret

    def issue(self, user: str) -> str:
        body = f"{base64.urlsafe_b64encode(user.encode()).decode()}.{int(time.time()) + TOKEN_LIFETIME}"
        return f"{body}.{self._sign(body)}"

    def get(self, token, default=None) -> str | None:
        """The user a valid, unexpired token names, else `default`."""
        if not isinstance(token, str) or token.count(".") != 2:
            return default
        body, _, signature = token.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            return default
        user, _, expiry = body.partition(".")
        if not expiry.isdigit() or int(expiry) < time.time():
            return default
        return base64.urlsafe_b64decode(user).decode()

    def _sign(self, body: str) -> str:
        return hmac.new(self._secret, body.encode(), hashlib.sha256).hexdigest()

    def __contains__(self, token) -> bool:
        return self.get(token) is not None

    def __getitem__(self, token) -> str:
        user = self.get(token)
        if user is None:
            raise KeyError(token)
        return user

    def __delitem__(self, token) -> None:
        pass  # nothing is stored; the logout deletes the cookie

    def __iter__(self):
        return iter(())


class Logins:
    """The password (`auth`, USER and PASS, or None for none), the tokens it grants, and failed
    logins per client over the last LOGIN_WINDOW seconds. A client past LOGIN_FAILURES waits;
    every other client, and the right password from anywhere else, still gets in."""

    def __init__(self, auth: tuple[str, str] | None):
        self.auth = auth
        secret_bytes = (os.environ.get(SECRET_VARIABLE) or secrets.token_urlsafe(32)).encode()
        self.tokens = Tokens(secret_bytes)
        # The login cookie's name, the same on every replica that shares the secret.
        self.cookie_id = hmac.new(secret_bytes, b"cookie", hashlib.sha256).hexdigest()[:24]
        self._failures: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def sign_in(self, client: str, user: str, password: str) -> str | None:
        """A token for the right password, None for a wrong one; Blocked, before the password
        is looked at, for a client with too many failures. Counted and compared under one
        lock, so 300 tries at once check LOGIN_FAILURES passwords, not 300."""
        with self._lock:
            times = self._failures.get(client)
            while times and times[0] < time.monotonic() - LOGIN_WINDOW:
                times.popleft()
            if times and len(times) >= LOGIN_FAILURES:
                raise Blocked
            if self.auth and hmac.compare_digest(f"{user}\0{password}".encode(), "\0".join(self.auth).encode()):
                self._failures.pop(client, None)
                return self.tokens.issue(user)
            self._failures.setdefault(client, deque(maxlen=LOGIN_FAILURES)).append(time.monotonic())
            self._failures.move_to_end(client)
            while len(self._failures) > CLIENTS_WATCHED:
                self._failures.popitem(last=False)
            return None
