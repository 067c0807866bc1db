"""The demo data set: sizes, determinism, consistency, realism, refusals (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
import pytest
from sqlalchemy import delete, func, insert, select, text

from shopcrm.customers.models import Customer
from shopcrm.db import Base, Database
from shopcrm.demo import DemoDataError, has_data, load_demo_data
from shopcrm.demo.checks import consistency_problems, database_digest, dataset_digest
from shopcrm.demo.generate import CUSTOMER_BLOCK, DEFAULT_ANCHOR, SIZES, DemoSize, generate
from shopcrm.orders import service as orders_service
from shopcrm.orders.models import OrderStatus
from tests.conftest import empty_all_tables, make_settings

TABLES = ("products", "customers", "orders", "order_items", "order_status_events")

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


async def _counts(database: Database) -> dict[str, int]:
    async with database.engine.connect() as conn:
        return {
            t: int((await conn.execute(select(func.count()).select_from(Base.metadata.tables[t]))).scalar_one())
            for t in TABLES
        }


async def _clear(database: Database) -> None:
    async with database.engine.begin() as conn:
        for t in reversed(TABLES):
            await conn.execute(delete(Base.metadata.tables[t]))


async def test_small_load_counts_consistency_and_realism(database: Database) -> None:
    assert not await has_data(database)
    lines: list[str] = []
    report = await load_demo_data(database, "small", progress=lines.append)

    assert await has_data(database)
    counts = await _counts(database)
    assert counts == report.rows
    assert 1_800 <= counts["customers"] <= 2_200
    assert 9_000 <= counts["orders"] <= 11_000
    assert 250 <= counts["products"] <= 350
    assert 2.5 <= counts["order_items"] / counts["orders"] <= 3.5
    assert 3.5 <= counts["order_status_events"] / counts["orders"] <= 5.5
    assert report.elapsed_seconds < 30
    assert report.rows_per_second > 0
    assert any(re.fullmatch(r"orders: [\d,]+ / 10,000", line) for line in lines)

    async with database.engine.connect() as conn:
        assert await consistency_problems(conn) == {}

        async def scalar(sql: str) -> int:
            return int((await conn.execute(text(sql))).scalar_one())

        statuses = {r[0] for r in await conn.execute(text("SELECT DISTINCT status FROM orders"))}
        assert statuses == {s.value for s in OrderStatus}
        customer_statuses = {r[0] for r in await conn.execute(text("SELECT DISTINCT status FROM customers"))}
        assert customer_statuses == {"active", "inactive", "archived"}
        assert await scalar("SELECT count(*) FROM customers WHERE unsubscribed_at IS NOT NULL") > 0
        assert await scalar("SELECT count(*) FROM customers WHERE NOT email_consent AND unsubscribed_at IS NULL")
        assert await scalar("SELECT count(*) FROM customers WHERE total_orders = 0") > 0
        assert await scalar("SELECT count(*) FROM customers WHERE total_orders >= 5") > 0
        assert await scalar("SELECT count(DISTINCT lower(email)) FROM customers") == counts["customers"]
        # Stored as the API stores them: normalised (core.types.normalize_email).
        assert await scalar("SELECT count(*) FROM customers WHERE email <> lower(email)") == 0
        assert await scalar("SELECT count(DISTINCT country) FROM customers") >= 8
        assert await scalar("SELECT count(DISTINCT city) FROM customers") >= 30
        assert await scalar("SELECT count(DISTINCT category) FROM products") >= 8
        assert await scalar("SELECT count(*) FROM products WHERE stock = 0") > 0
        assert await scalar("SELECT count(*) FROM products WHERE stock > 0 AND stock < low_stock_threshold") > 0
        assert await scalar("SELECT count(*) FROM products WHERE cost IS NULL OR cost >= price") == 0
        assert await scalar("SELECT count(*) FROM orders WHERE currency <> 'USD' OR shipping_address1 IS NULL") == 0
        # prices have cents, not only whole dollars
        assert await scalar("SELECT count(*) FROM products WHERE round(price * 100) % 100 <> 0") > 0
        # Phones are E.164 and real numbers for their country, as the API requires of an edited customer.
        phones = [r[0] for r in await conn.execute(text("SELECT phone FROM customers WHERE phone IS NOT NULL"))]
        assert len(phones) > 1_000
        assert all(E164.match(p) for p in phones)
        assert [p for p in phones if not phonenumbers.is_valid_number(phonenumbers.parse(p, None))] == []
        # seasonality: November/December busier than January/February
        months = {
            int(m): int(n)
            for m, n in await conn.execute(
                text(
                    "SELECT CAST(strftime('%m', placed_at) AS INTEGER), count(*) FROM orders GROUP BY 1"
                    if database.engine.dialect.name == "sqlite"
                    else "SELECT CAST(extract(month FROM placed_at) AS INTEGER), count(*) FROM orders GROUP BY 1"
                )
            )
        }
        assert months[11] + months[12] > 1.5 * (months[1] + months[2])
        # skewed spend: the top 1% of customers hold far more than 1% of revenue
        spends = sorted((r[0] for r in await conn.execute(text("SELECT total_spend FROM customers"))), reverse=True)
        assert 20 * sum(spends[: len(spends) // 100]) > sum(spends)

        # status history: every way out of the fulfilment chain occurs; some orders arrive already paid
        changes = {
            (a, b)
            for a, b in await conn.execute(text("SELECT DISTINCT from_status, to_status FROM order_status_events"))
        }
        assert {(None, "pending"), (None, "paid"), ("shipped", "delivered")} <= changes
        assert {("pending", "cancelled"), ("paid", "cancelled"), ("processing", "cancelled")} <= changes
        assert {("paid", "refunded"), ("shipped", "refunded"), ("delivered", "refunded")} <= changes
        assert await scalar("SELECT count(*) FROM order_status_events WHERE changed_by_user_id IS NOT NULL") == 0
        latest = (await conn.execute(text("SELECT max(changed_at) FROM order_status_events"))).scalar_one()
        latest = latest if isinstance(latest, dt.datetime) else dt.datetime.fromisoformat(latest)
        assert latest.replace(tzinfo=dt.UTC) <= DEFAULT_ANCHOR
        # a changed order's history ends when it was last updated
        assert (
            await scalar(
                "SELECT count(*) FROM orders o WHERE o.updated_at <> "
                "(SELECT max(e.changed_at) FROM order_status_events e WHERE e.order_id = o.id) "
                "AND o.status NOT IN ('pending', 'paid')"
            )
            == 0
        )

    async with database.sessionmaker() as session:
        customer = (await session.execute(select(Customer).where(Customer.total_orders > 0).limit(1))).scalar_one()
        assert customer.created_at.tzinfo is not None
        assert customer.first_order_at is not None
        assert customer.first_order_at.utcoffset() == dt.timedelta(0)
        assert customer.created_at < customer.first_order_at

        # what the order details panel shows
        order_id = await session.scalar(text("SELECT min(id) FROM orders WHERE status = 'refunded'"))
        details = await orders_service.order_details(session, order_id=int(order_id))
        assert details.history[0].from_status is None
        assert details.history[0].changed_at == details.placed_at
        assert details.history[-1].to_status == OrderStatus.refunded
        assert [h.from_status for h in details.history[1:]] == [h.to_status for h in details.history[:-1]]
        assert all(a.changed_at < b.changed_at for a, b in zip(details.history, details.history[1:], strict=False))
        assert all(h.changed_by is None for h in details.history)


async def test_same_seed_same_rows_other_seed_other_rows(database: Database) -> None:
    expected = dataset_digest(generate(SIZES["small"], 42))
    await load_demo_data(database, "small", seed=42)
    async with database.engine.connect() as conn:
        first = await database_digest(conn)
    assert first == expected  # what the generator produced is exactly what is stored, on either engine

    await _clear(database)
    await load_demo_data(database, "small", seed=42)
    async with database.engine.connect() as conn:
        assert await database_digest(conn) == first

    await _clear(database)
    await load_demo_data(database, "small", seed=7)
    async with database.engine.connect() as conn:
        assert await database_digest(conn) != first
        assert await consistency_problems(conn) == {}


async def test_refuses_a_database_that_has_data(database: Database) -> None:
    async with database.engine.begin() as conn:
        await conn.execute(
            insert(Base.metadata.tables["customers"]).values(
                first_name="Existing", last_name="Customer", email="existing@example.com"
            )
        )
    assert await has_data(database)
    with pytest.raises(DemoDataError, match="already has customers or products"):
        await load_demo_data(database, "small")
    assert await _counts(database) == {t: int(t == "customers") for t in TABLES}
    async with database.engine.connect() as conn:
        email = (await conn.execute(text("SELECT email FROM customers"))).scalar_one()
    assert email == "existing@example.com"


async def test_refuses_a_second_load(database: Database) -> None:
    await load_demo_data(database, "small", seed=3)
    async with database.engine.connect() as conn:
        before = await database_digest(conn)
    with pytest.raises(DemoDataError):
        await load_demo_data(database, "small", seed=4)
    async with database.engine.connect() as conn:
        assert await database_digest(conn) == before


async def test_large_size_needs_postgresql(migrated_urls: dict[str, str]) -> None:
    database = Database(make_settings(migrated_urls["sqlite"]), null_pool=True)
    try:
        await empty_all_tables(database)
        with pytest.raises(DemoDataError, match="needs PostgreSQL"):
            await load_demo_data(database, "large")
        assert not await has_data(database)
    finally:
        await database.dispose()


def test_sizes() -> None:
    assert (SIZES["medium"].customers, SIZES["medium"].orders) == (100_000, 500_000)
    assert not SIZES["small"].postgres_only
    assert not SIZES["medium"].postgres_only
    assert SIZES["large"].postgres_only


def test_the_chunk_size_does_not_change_the_data() -> None:
    """Orders are drawn per span of days and customers per block, whatever the chunks are."""
    size = DemoSize("chunks", customers=CUSTOMER_BLOCK + 500, orders=CUSTOMER_BLOCK + 3_000, products=80)
    ds = generate(size, 5)
    assert ds.spans > 1
    expected = dataset_digest(ds)
    assert dataset_digest(generate(size, 5), chunk_rows=7) == expected
    assert dataset_digest(generate(size, 5), chunk_rows=10**9) == expected

    # One pass with the customers last collects the same figures as pass 1 does.
    one_pass = generate(size, 5)
    tables = [chunk.table for chunk in one_pass.chunks(chunk_rows=300, customers_last=True)]
    assert tables[-1] == "customers"
    assert tables.count("customers") == 2  # two blocks
    assert tables.count("orders") == ds.spans  # a chunk holds whole spans (here, one each)
    for name in ("spend", "orders", "first", "last", "any_first", "any_last"):
        assert (getattr(one_pass.aggregates, name) == getattr(ds.aggregates, name)).all(), name
    assert one_pass.counts == ds.counts


@pytest.mark.parametrize("bulk", [False, True])
async def test_tiny_chunks_keep_customer_figures_equal_to_their_orders(database: Database, bulk: bool) -> None:
    size = DemoSize("tiny", customers=400, orders=3_000, products=60, chunk_rows=50, bulk=bulk)
    report = await load_demo_data(database, size, seed=5)
    assert report.rows == generate(size, 5).counts
    assert report.peak_rss_mib > 0
    async with database.engine.connect() as conn:
        assert await consistency_problems(conn) == {}
        assert await database_digest(conn) == dataset_digest(generate(size, 5), chunk_rows=10_000)
        statuses = {r[0] for r in await conn.execute(text("SELECT DISTINCT status FROM orders"))}
        assert statuses == {s.value for s in OrderStatus}
        # every load ends with ANALYZE, so the planner has statistics
        analyzed_sql = (
            "SELECT count(DISTINCT tbl) FROM sqlite_stat1 "
            "WHERE tbl IN ('products', 'customers', 'orders', 'order_items', 'order_status_events')"
            if database.engine.dialect.name == "sqlite"
            else "SELECT count(DISTINCT tablename) FROM pg_stats WHERE schemaname = current_schema() "
            "AND tablename IN ('products', 'customers', 'orders', 'order_items', 'order_status_events')"
        )
        assert (await conn.execute(text(analyzed_sql))).scalar_one() == 5
