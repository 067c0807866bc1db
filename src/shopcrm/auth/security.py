"""Password hashing (Argon2 via pwdlib, off the event loop) and opaque tokens, stored only as a SHA-256."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, TypeVar

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

API_TOKEN_PREFIX = "scrm_"  # noqa: S105 - a label, not a secret
T = TypeVar("T")


@lru_cache(maxsize=4)
def password_hasher(time_cost: int, memory_cost: int) -> PasswordHash:
    return PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost),))


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())


class HashingPool:
    """Where password hashes are computed: off the event loop, a few at a time, with a bounded queue.

    Argon2 costs about 0.2 s of CPU at the default cost. Run on the event loop, a burst of logins froze
    every other request of the process (measured from outside: 40 logins, 12 s). Here each hash runs in
    one of `workers` threads (argon2-cffi releases the GIL while it hashes), and when more than `queue`
    wait already the next is refused at once rather than left waiting for seconds.
    """

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending = 0

    async def run(self, fn: Callable[..., T], /, *args: Any, workers: int, queue: int) -> T:
        with self._lock:
            if self._pending >= workers + queue:
                raise HashingBusy
            self._pending += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password-hash")
            executor = self._executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(fn, *args))
        finally:
            with self._lock:
                self._pending -= 1


class HashingBusy(Exception):
    """More password checks are waiting than the pool allows."""


hashing_pool = HashingPool()
