"""The one seam between imports and the list of people erased at their request (GDPR article 17).

Every chunk asks `refused_emails` about its normalised emails before writing anything; a row whose email is
refused is reported "erased at the person's request" (with its value left out of the error file) and
nothing of it is written, so an import never brings an erased person back. The suppression list (one-way
hashes of erased emails) is customers/suppression.py."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.customers.suppression import suppressed_among

ERASED = "erased at the person's request"


async def refused_emails(session: AsyncSession, emails: Collection[str]) -> set[str]:
    """The emails among `emails` (normalised) that must not be imported: those of people erased at their
    request (one batch lookup of the chunk's hashes)."""
    return await suppressed_among(session, emails) if emails else set()
