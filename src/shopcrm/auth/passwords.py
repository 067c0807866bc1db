"""The password policy, in one place, and password hashing off the event loop.

Every way a password is set (creating a user through the API or `shopcrm create-user`, changing one's
own, an admin's reset, `shopcrm set-password`) goes through `check_new_password`: at least 10 characters,
not only whitespace, and a zxcvbn score of at least 3 of 4 (about 10^10 guesses) with the user's email and
name counted as known words. A refusal is a 422 naming the field, with zxcvbn's advice in words.

Argon2 costs about 150 ms of CPU at the production cost and zxcvbn tens of milliseconds, so both run in
the bounded thread pool of auth/security.py (`HashingPool`), never on the event loop that serves every
other request; when too many already wait, the request is answered 503 at once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from zxcvbn import zxcvbn

from shopcrm.auth.security import HashingBusy, hashing_pool, password_hasher
from shopcrm.config import Settings
from shopcrm.core.errors import InvalidInput, ServiceUnavailable

T = TypeVar("T")

MIN_LENGTH = 10
MAX_LENGTH = 1024
MIN_SCORE = 3
# zxcvbn's running time grows steeply with length (a 1,024-character password takes seconds, a
# repetitive one minutes), so it judges the first 72 characters, its own default limit. That only ever
# makes the check stricter: a password whose first 72 characters are strong is strong.
JUDGED_LENGTH = 72
POLICY = (
    f"At least {MIN_LENGTH} characters, not only spaces, and not easy to guess: common passwords, "
    "repeats, sequences, keyboard patterns, dates and your own name or email are refused."
)

# zxcvbn keeps the user's own words in a module-global dictionary while it scores: one call at a time.
_ZXCVBN_LOCK = threading.Lock()
_WORD = re.compile(r"[^\W_]{3,}")


class PasswordRefused(InvalidInput):
    """A 422 for a password field, `problem` saying why in words (it reads on its own under the field)."""

    kind = "password_refused"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}", loc=["body", field])
        self.problem = problem
        self.details = [{"loc": ["body", field], "message": problem, "type": self.kind}]


class WeakPassword(PasswordRefused):
    """A new password the policy refuses."""

    kind = "weak_password"


class WrongPassword(PasswordRefused):
    """The current password, given to prove who asks, is not the user's."""

    kind = "wrong_password"

    def __init__(self, field: str = "current_password") -> None:
        super().__init__(field, "This is not your current password.")


def user_words(*values: str | None) -> list[str]:
    """What an attacker knows of a user: the email and name whole, and each word in them."""
    words: list[str] = []
    for value in values:
        if not value:
            continue
        words.append(value.lower())
        words.extend(w.lower() for w in _WORD.findall(value))
    words.append("shopcrm")
    return list(dict.fromkeys(words))


def _letters_and_digits(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def user_names(email: str, full_name: str | None) -> list[str]:
    """The email's part before the @ and the full name, as letters and digits only."""
    return [_letters_and_digits(email.partition("@")[0]), _letters_and_digits(full_name or "")]


def password_problem(password: str, *, user_inputs: Iterable[str] = (), own_names: Iterable[str] = ()) -> str | None:
    """Why `password` would be refused, as a sentence, or None when it is strong enough.

    `user_inputs` are words zxcvbn counts as known; a password containing one of `own_names` whole (4
    characters or more: the email's name part, the full name) is refused outright, as zxcvbn can rate a
    name and two extra characters above its threshold.
    """
    if len(password) < MIN_LENGTH:
        return f"Must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"Must be at most {MAX_LENGTH} characters long."
    if not password.strip():
        return "Must not be only spaces."
    plain = _letters_and_digits(password)
    if any(len(name) >= 4 and name in plain for name in own_names):
        return "Too easy to guess. It contains your name or email."
    with _ZXCVBN_LOCK:
        result = zxcvbn(password[:JUDGED_LENGTH], user_inputs=list(user_inputs))
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    advice = [feedback["warning"]] if feedback["warning"] else []
    if not advice and any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"]):
        advice.append("It is close to your name or email.")
    advice.extend(feedback["suggestions"])
    if not advice:
        advice.append("Add another word or two. Uncommon words are better.")
    return " ".join(["Too easy to guess.", *advice])


def check_new_password(password: str, *, field: str, email: str, full_name: str | None) -> None:
    """Raise WeakPassword (a 422 naming `field`) unless `password` meets the policy for this user."""
    problem = password_problem(
        password, user_inputs=user_words(email, full_name), own_names=user_names(email, full_name)
    )
    if problem is not None:
        raise WeakPassword(field, problem)


async def off_loop(fn: Callable[..., T], /, *args: Any, settings: Settings) -> T:
    """`fn(*args)` in the password pool's threads; 503 at once when too many checks already wait."""
    try:
        return await hashing_pool.run(fn, *args, workers=settings.login_hash_workers, queue=settings.login_hash_queue)
    except HashingBusy:
        raise ServiceUnavailable(
            "Too many password checks at once; try again in a moment", headers={"Retry-After": "1"}
        ) from None


async def check_new_password_async(
    password: str, *, field: str, email: str, full_name: str | None, settings: Settings
) -> None:
    """`check_new_password` off the event loop."""

    def check() -> None:
        check_new_password(password, field=field, email=email, full_name=full_name)

    await off_loop(check, settings=settings)


async def hash_password(password: str, settings: Settings) -> str:
    """An Argon2 hash of `password`, computed off the event loop."""
    hasher = password_hasher(settings.argon2_time_cost, settings.argon2_memory_cost)
    return await off_loop(hasher.hash, password, settings=settings)


async def verify_password(password: str, password_hash: str, settings: Settings) -> bool:
    """Whether `password` matches `password_hash`, checked off the event loop."""
    hasher = password_hasher(settings.argon2_time_cost, settings.argon2_memory_cost)
    return await off_loop(hasher.verify, password, password_hash, settings=settings)
