"""On SQLite every branch of customer search is answered by an index (SEARCH ... USING INDEX, no SCAN of
customers), and the range it is written as means the same as the prefix LIKE."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from shopcrm.core.engines import SQLITE
from shopcrm.customers.models import Customer
from shopcrm.customers.search import prefix_successor, search_condition
from shopcrm.db import Database


@pytest.mark.parametrize(
    ("q", "indexes"),
    [
        ("ann.s@", {"uq_customers_email_lower"}),
        ("+49151", {"ix_customers_phone_range"}),
        ("smi", {"ix_customers_last_name_range", "ix_customers_first_name_range", "uq_customers_email_lower"}),
        ("ann smi", {"ix_customers_first_name_range", "ix_customers_last_name_range"}),
        ("Zoë", {"ix_customers_last_name_range", "ix_customers_first_name_range", "uq_customers_email_lower"}),
    ],
)
@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)  # SQLite's plan: PostgreSQL keeps LIKE
async def test_each_search_branch_uses_an_index_on_sqlite(database: Database, q: str, indexes: set[str]):
    query = select(Customer.id).where(search_condition(q, SQLITE))
    compiled = query.compile(dialect=database.engine.dialect, compile_kwargs={"literal_binds": True})
    async with database.engine.connect() as conn:
        plan = [row[3] for row in await conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert not any(step.startswith("SCAN customers") for step in plan), plan
    used = {step.split(" INDEX ")[1].split()[0] for step in plan if step.startswith("SEARCH customers")}
    assert used == indexes, plan


@pytest.mark.parametrize(
    ("prefix", "successor"),
    [
        ("smi", "smj"),
        ("a%", "a&"),
        ("zo\u00eb", "zo\u00ec"),
        ("x\ud7ff", "x\ue000"),  # past the surrogates
        ("x\U0010ffff", "y"),
        ("\U0010ffff", None),
        ("", None),
    ],
)
def test_prefix_successor(prefix: str, successor: str | None):
    assert prefix_successor(prefix) == successor


@pytest.mark.parametrize("value", ["smith", "smi", "smj", "sm", "smi\U0010ffff", "smiz", "smi\x00"])
def test_the_range_is_the_prefix(value: str):
    upper = prefix_successor("smi")
    assert upper is not None
    assert ("smi" <= value < upper) == value.startswith("smi")
