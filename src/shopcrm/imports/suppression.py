"""The one seam between imports and the list of people erased at their request (GDPR article 17).

Every chunk asks `refused_emails` about its normalised emails before writing anything; a row whose email is
refused is reported "erased at the person's request" (with its value left out of the error file) and
nothing of it is written, so an import never brings an erased person back. The suppression list (one-way
hashes of erased emails) belongs to the customers' GDPR work; until it is wired here, nobody is refused."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

ERASED = "erased at the person's request"


async def refused_emails(session: AsyncSession, emails: Collection[str]) -> set[str]:
    """The emails among `emails` (normalised) that must not be imported: none until the suppression list
    exists (wired at merge: one batch lookup of the chunk's hashes)."""
    del session, emails
    return set()
