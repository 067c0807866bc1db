"""The suppression list: emails of people whose data was erased, as one-way hashes.

Callers (the customer API, order ingestion, the import) ask `is_suppressed(session, email)` or, for a batch,
`suppressed_among(session, emails)` before creating or matching anyone by email.

The hash is SHA-256 of a fixed ShopCRM prefix and the normalised email (core/types.normalize_email), not an
HMAC under the app's secret key: the list must keep working forever, and the secret key rotates (and is
random per process where none is configured), which would silently empty the list of matches. The prefix
keeps the hashes from being joined with the plain SHA-256 email hashes that ad-tech lists use. What remains
possible for someone holding the database is to test a guessed email against the list; that is the very
purpose of the list, and the table holds nothing else about the person (docs/privacy.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.core.engines import capabilities_of
from shopcrm.core.types import normalize_email
from shopcrm.customers.models import SuppressedEmail
from shopcrm.db import utcnow

_PREFIX = b"shopcrm suppressed email v1\x00"
# Hashes per IN list: well under SQLite's 32,766 bound parameters.
_BATCH = 5_000


def email_hash(email: str) -> str:
    """The stored form of an email on the list (hex SHA-256 of the prefix and the normalised address)."""
    return hashlib.sha256(_PREFIX + normalize_email(email).encode("utf-8")).hexdigest()


async def is_suppressed(session: AsyncSession, email: str) -> bool:
    """Was this email's owner erased? (Then do not create or re-link a customer for it.)"""
    found = await session.scalar(
        select(SuppressedEmail.email_hash).where(SuppressedEmail.email_hash == email_hash(email))
    )
    return found is not None


async def suppressed_among(session: AsyncSession, emails: Iterable[str]) -> set[str]:
    """The emails of `emails` that are suppressed, as given (for a chunk of an import: one query per 5,000)."""
    by_hash: dict[str, list[str]] = {}
    for email in emails:
        by_hash.setdefault(email_hash(email), []).append(email)
    hashes = list(by_hash)
    found: set[str] = set()
    for start in range(0, len(hashes), _BATCH):
        chunk = hashes[start : start + _BATCH]
        rows = await session.scalars(select(SuppressedEmail.email_hash).where(SuppressedEmail.email_hash.in_(chunk)))
        for h in rows:
            found.update(by_hash[h])
    return found


async def suppress(session: AsyncSession, email: str) -> None:
    """Put an email on the list (idempotent), in the caller's transaction."""
    insert = capabilities_of(session).insert
    await session.execute(
        insert(SuppressedEmail)
        .values(email_hash=email_hash(email), suppressed_on=utcnow().date())
        .on_conflict_do_nothing(index_elements=["email_hash"])
    )


async def lift(session: AsyncSession, email: str) -> bool:
    """Take an email off the list, in the caller's transaction (the person asked to be a customer again);
    False when it was not on it."""
    result = await session.execute(delete(SuppressedEmail).where(SuppressedEmail.email_hash == email_hash(email)))
    return bool(getattr(result, "rowcount", 0))
