"""The seam to the list of erased people: an email it refuses brings nobody back. Its rows are reported
"erased at the person's request", without the value, and nothing of them is written, in every kind of import."""

from __future__ import annotations

from collections.abc import Collection

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.imports import load_customers, load_orders
from shopcrm.orders.models import Order
from tests.imports.helpers import errors, import_file

ERASED = "gone@example.com"


@pytest.fixture
def suppression(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refused(session: AsyncSession, emails: Collection[str]) -> set[str]:
        return {e for e in emails if e == ERASED}

    monkeypatch.setattr(load_customers, "refused_emails", refused)
    monkeypatch.setattr(load_orders, "refused_emails", refused)


async def test_erased_people_are_not_brought_back(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings, suppression: None
):
    people = b"email,first_name,last_name\nGone@Example.com,Gone,Person\nstays@example.com,Stay,Here\n"
    result = await import_file(app_client, writer, database, settings, people, "customers")
    assert (result["rows_imported"], result["rows_failed"]) == (1, 1)
    assert await errors(app_client, writer, result["id"]) == [["2", "email", "", "erased at the person's request"]]

    orders = (
        b"order_number,customer_email,placed_at,total,sku,product_name,quantity,price\n"
        b"E-1,gone@example.com,2024-01-01,5.00,S,S,1,5.00\n"
        b"E-2,stays@example.com,2024-01-01,5.00,S,S,1,5.00\n"
    )
    result = await import_file(app_client, writer, database, settings, orders, "orders")
    assert (result["rows_imported"], result["rows_failed"]) == (1, 1)
    async with database.sessionmaker() as session:
        emails = set((await session.scalars(select(Customer.email))).all())
        numbers = set((await session.scalars(select(Order.order_number))).all())
        assert await session.scalar(select(func.count()).select_from(Customer)) == 1
    assert (emails, numbers) == ({"stays@example.com"}, {"E-2"})


async def test_a_person_erased_through_the_api_is_not_imported_again_and_imports_are_audited(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    """The real suppression list, not the seam: erase a customer, then import a file naming them."""
    from shopcrm.audit.models import AuditEntry
    from shopcrm.customers.suppression import suppress

    async with database.transaction() as session:
        await suppress(session, ERASED)
    people = b"email,first_name,last_name\nGONE@example.com,Gone,Person\nstays@example.com,Stay,Here\n"
    result = await import_file(app_client, writer, database, settings, people, "customers")
    assert (result["rows_imported"], result["rows_failed"]) == (1, 1)
    assert await errors(app_client, writer, result["id"]) == [["2", "email", "", "erased at the person's request"]]
    async with database.sessionmaker() as session:
        entries = (
            await session.execute(
                select(AuditEntry.action, AuditEntry.actor_user_id, AuditEntry.row_count).where(
                    AuditEntry.target_type == "import", AuditEntry.target_id == result["id"]
                )
            )
        ).all()
    actions = {action: (actor, rows) for action, actor, rows in entries}
    assert actions["import.start"][0] is not None  # the writer who started it
    assert actions["import.done"] == (None, 1)  # the job, with the rows it imported
