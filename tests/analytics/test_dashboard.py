"""The dashboard's figures against an independent calculation over known orders, on both engines: served
from the rollup, live, and from both mixed (days changed after the rollup's watermark); time-zone day
boundaries; the rollup rebuilt exactly after status changes; the change token; bad periods."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from shopcrm.analytics import service
from shopcrm.analytics.models import DailySales
from shopcrm.analytics.rollup import refresh_in
from shopcrm.db import Database
from tests.factories import make_customer, make_product

UNCOUNTED = {"cancelled", "refunded"}
_numbers = itertools.count(1)


@dataclass
class Placed:
    id: int
    customer_id: int
    placed_at: dt.datetime
    status: str
    total: Decimal
    lines: list[tuple[int, str, int, Decimal]]  # (product id, category, quantity, unit price)


class Store:
    """Orders placed and changed through the API, remembered for the independent calculation."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.orders: list[Placed] = []

    async def order(self, customer_id: int, placed_at: dt.datetime, lines: list[tuple[Any, int]]) -> Placed:
        body = {
            "order_number": f"DASH-{next(_numbers)}",
            "customer_id": customer_id,
            "placed_at": placed_at.isoformat(),
            "items": [{"sku": p.sku, "quantity": q} for p, q in lines],
        }
        response = await self.client.post("/api/orders", json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        data = response.json()
        placed = Placed(
            id=data["id"],
            customer_id=customer_id,
            placed_at=placed_at,
            status="pending",
            total=Decimal(data["total_amount"]),
            lines=[(p.id, p.category, q, p.price) for p, q in lines],
        )
        self.orders.append(placed)
        return placed

    async def set_status(self, order: Placed, status: str) -> None:
        response = await self.client.patch(f"/api/orders/{order.id}", json={"status": status}, headers=self.headers)
        assert response.status_code == 200, response.text
        order.status = status


def expected(store: Store, first: dt.date, last: dt.date, tz: ZoneInfo) -> dict[str, Any]:
    """Every figure, computed the plain way from the remembered orders."""

    def day(o: Placed) -> dt.date:
        return o.placed_at.astimezone(tz).date()

    def within(a: dt.date, b: dt.date) -> list[Placed]:
        return [o for o in store.orders if a <= day(o) <= b]

    length = (last - first).days + 1
    p_first, p_last = first - dt.timedelta(days=length), first - dt.timedelta(days=1)

    def figures(a: dt.date, b: dt.date) -> dict[str, Any]:
        counted = [o for o in within(a, b) if o.status not in UNCOUNTED]
        sales = sum((o.total for o in counted), Decimal("0"))
        first_orders: dict[int, dt.date] = {}
        for o in sorted((o for o in store.orders if o.status not in UNCOUNTED), key=lambda o: o.placed_at):
            first_orders.setdefault(o.customer_id, day(o))
        return {
            "sales": sales,
            "orders": len(counted),
            "aov": (sales / len(counted)).quantize(Decimal("0.01")) if counted else Decimal("0"),
            "active": len({o.customer_id for o in counted}),
            "new": sum(1 for d in first_orders.values() if a <= d <= b),
        }

    now, before = figures(first, last), figures(p_first, p_last)
    series = {first + dt.timedelta(days=i): [Decimal("0"), 0] for i in range(length)}
    by_status: dict[str, int] = defaultdict(int)
    products: dict[int, list[Any]] = defaultdict(lambda: [0, Decimal("0")])
    categories: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal("0")])
    for o in within(first, last):
        by_status[o.status] += 1
        if o.status in UNCOUNTED:
            continue
        series[day(o)][0] += o.total
        series[day(o)][1] += 1
        for product_id, category, quantity, price in o.lines:
            for row in (products[product_id], categories[category]):
                row[0] += quantity
                row[1] += quantity * price
    return {
        "now": now,
        "before": before,
        "series": [(d.isoformat(), str(s.quantize(Decimal("0.01"))), n) for d, (s, n) in sorted(series.items())],
        "by_status": dict(by_status),
        "top_products": [(p, u, str(s)) for p, (u, s) in sorted(products.items(), key=lambda kv: (-kv[1][1], kv[0]))][
            :5
        ],
        "top_categories": [
            (c, u, str(s)) for c, (u, s) in sorted(categories.items(), key=lambda kv: (-kv[1][1], kv[0]))
        ][:5],
    }


def change(value: Decimal | int, previous: Decimal | int) -> float | None:
    if not previous:
        return None
    return round(float((Decimal(value) - Decimal(previous)) / Decimal(previous) * 100), 1)


def check(answer: dict[str, Any], want: dict[str, Any]) -> None:
    now, before = want["now"], want["before"]
    for key, name in (("sales", "sales"), ("orders", "orders"), ("aov", "average_order_value")):
        assert Decimal(str(answer[name]["value"])) == now[key], name
        assert Decimal(str(answer[name]["previous"])) == before[key], name
        assert answer[name]["change_pct"] == change(now[key], before[key]), name
    for key, name in (("active", "active_customers"), ("new", "new_customers")):
        assert answer[name]["value"] == now[key], name
        assert answer[name]["previous"] == before[key], name
        assert answer[name]["change_pct"] == change(now[key], before[key]), name
    assert [(p["day"], p["sales"], p["orders"]) for p in answer["series"]] == want["series"]
    assert {k: v for k, v in answer["orders_by_status"].items() if v} == want["by_status"]
    assert [(p["product_id"], p["units"], p["sales"]) for p in answer["top_products"]] == want["top_products"]
    assert [(c["category"], c["units"], c["sales"]) for c in answer["top_categories"]] == want["top_categories"]


async def seed_store(database: Database, store: Store, now: dt.datetime) -> list[Any]:
    """About 120 orders over the last 200 days, some of them cancelled or refunded, in three categories."""
    rng = random.Random(16)
    products = [
        await make_product(database, category=cat, price=Decimal(price), stock=10_000, low_stock_threshold=threshold)
        for cat, price, threshold in (
            ("Home", "12.50", 10),
            ("Home", "3.99", 10),
            ("Garden", "45.00", 20_000),  # at/below its threshold: a stock alert
            ("Toys", "7.25", 10),
            ("Toys", "19.90", 10),
            ("Books", "9.00", 10),
            ("Books", "30.00", 10),
        )
    ]
    customers = [await make_customer(database) for _ in range(15)]
    for _ in range(120):
        placed_at = now - dt.timedelta(minutes=rng.randrange(0, 200 * 24 * 60))
        lines = [(p, rng.randint(1, 3)) for p in rng.sample(products, rng.randint(1, 3))]
        order = await store.order(rng.choice(customers).id, placed_at, lines)
        roll = rng.random()
        if roll < 0.1:
            await store.set_status(order, "cancelled")
        elif roll < 0.15:
            await store.set_status(order, "paid")
            await store.set_status(order, "refunded")
        elif roll < 0.4:
            await store.set_status(order, "paid")
    return products


async def get(client: httpx.AsyncClient, token: str, **params: str) -> dict[str, Any]:
    response = await client.get("/api/dashboard", params=params, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


PERIODS: list[dict[str, str]] = [{"period": "7d"}, {"period": "30d"}, {"period": "90d"}]


def span_of(params: dict[str, str], today: dt.date) -> tuple[dt.date, dt.date]:
    if params["period"] == "custom":
        return dt.date.fromisoformat(params["from"]), dt.date.fromisoformat(params["to"])
    return today - dt.timedelta(days=int(params["period"][:-1]) - 1), today


async def check_all(client: httpx.AsyncClient, token: str, store: Store, tz: ZoneInfo) -> None:
    today = dt.datetime.now(tz).date()
    custom = {
        "period": "custom",
        "from": (today - dt.timedelta(days=120)).isoformat(),
        "to": (today - dt.timedelta(days=45)).isoformat(),
    }
    for params in [*PERIODS, custom]:
        answer = await get(client, token, **params)
        first, last = span_of(params, today)
        assert (answer["date_from"], answer["date_to"]) == (first.isoformat(), last.isoformat())
        check(answer, expected(store, first, last, tz))


async def build_rollup(database: Database, timezone: str) -> None:
    async with database.transaction() as session:
        await refresh_in(session, tz=ZoneInfo(timezone), timezone=timezone, settle=dt.timedelta(0))


async def test_every_figure_live_from_the_rollup_and_mixed(app_client, make_user, database):
    user = await make_user()
    store = Store(app_client, user.token)
    tz = ZoneInfo("UTC")
    products = await seed_store(database, store, dt.datetime.now(dt.UTC))

    # No rollup yet: every day is read live.
    await check_all(app_client, user.token, store, tz)
    answer = await get(app_client, user.token, period="30d")
    assert answer["stock_alerts"] == 1

    # Rolled up: closed days come from the rollup, today live.
    await build_rollup(database, "UTC")
    await check_all(app_client, user.token, store, tz)

    # Changed after the watermark: a cancel on a closed day and a back-dated order are read live.
    closed = next(
        o
        for o in store.orders
        if o.status == "pending" and o.placed_at.date() < dt.datetime.now(dt.UTC).date() - dt.timedelta(days=3)
    )
    await store.set_status(closed, "cancelled")
    await store.order(store.orders[0].customer_id, dt.datetime.now(dt.UTC) - dt.timedelta(days=20), [(products[6], 5)])
    await check_all(app_client, user.token, store, tz)

    # And after the next refresh, from the rollup again.
    await build_rollup(database, "UTC")
    await check_all(app_client, user.token, store, tz)


async def test_a_cancel_moves_the_sales_out_of_its_day_in_the_rollup(app_client, make_user, database):
    user = await make_user()
    store = Store(app_client, user.token)
    product = await make_product(database, price=Decimal("20.00"))
    customer = await make_customer(database)
    day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=5)
    at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    kept = await store.order(customer.id, at, [(product, 1)])
    gone = await store.order(customer.id, at + dt.timedelta(hours=1), [(product, 2)])
    await build_rollup(database, "UTC")

    async def rolled() -> dict[str, tuple[int, Decimal, int]]:
        async with database.sessionmaker() as session:
            rows = (await session.execute(select(DailySales).where(DailySales.day == day))).scalars().all()
            return {r.status: (r.orders, r.sales, r.items) for r in rows}

    assert await rolled() == {"pending": (2, Decimal("60.00"), 3)}
    await store.set_status(gone, "cancelled")
    await build_rollup(database, "UTC")
    assert await rolled() == {"pending": (1, Decimal("20.00"), 1), "cancelled": (1, Decimal("40.00"), 2)}
    answer = await get(app_client, user.token, period="custom", **{"from": day.isoformat(), "to": day.isoformat()})
    assert answer["sales"]["value"] == "20.00"
    assert answer["orders"]["value"] == 1
    assert answer["orders_by_status"]["cancelled"] == 1
    assert kept.status == "pending"


@pytest.mark.parametrize("rolled", [False, True])
async def test_days_begin_at_the_store_time_zones_midnight(database, make_user, settings, rolled):
    """23:30 UTC on 2026-03-10 is 00:30 on the 11th in Berlin: that day's sale, not the 10th's."""
    from shopcrm.main import create_app

    berlin = settings.model_copy(update={"store_timezone": "Europe/Berlin"})
    app = create_app(berlin, database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        user = await make_user()
        store = Store(client, user.token)
        product = await make_product(database, price=Decimal("10.00"))
        customer = await make_customer(database)
        await store.order(customer.id, dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC), [(product, 1)])
        await store.order(customer.id, dt.datetime(2026, 3, 10, 22, 59, tzinfo=dt.UTC), [(product, 2)])
        if rolled:
            await build_rollup(database, "Europe/Berlin")
        tenth = await get(client, user.token, period="custom", **{"from": "2026-03-10", "to": "2026-03-10"})
        eleventh = await get(client, user.token, period="custom", **{"from": "2026-03-11", "to": "2026-03-11"})
        assert (tenth["sales"]["value"], eleventh["sales"]["value"]) == ("20.00", "10.00")
        assert eleventh["sales"]["previous"] == "20.00"  # the previous period: the 10th
        assert eleventh["sales"]["change_pct"] == -50.0
        assert eleventh["timezone"] == "Europe/Berlin"
        # In UTC both are the 10th's.
        async with database.sessionmaker() as session:
            utc = await service.dashboard(
                session, period="custom", date_from=dt.date(2026, 3, 10), date_to=dt.date(2026, 3, 10), timezone="UTC"
            )
        assert utc.sales.value == Decimal("30.00")


async def test_a_rollup_built_in_another_time_zone_is_not_used(database, make_user, app_client):
    user = await make_user()
    store = Store(app_client, user.token)
    product = await make_product(database, price=Decimal("10.00"))
    customer = await make_customer(database)
    await store.order(customer.id, dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC), [(product, 1)])
    await build_rollup(database, "Europe/Berlin")
    answer = await get(app_client, user.token, period="custom", **{"from": "2026-03-10", "to": "2026-03-10"})
    assert answer["sales"]["value"] == "10.00"  # UTC, the app's zone: read live, not from Berlin's days


async def test_the_version_changes_when_an_order_is_posted_or_stock_moves_and_not_otherwise(
    app_client, make_user, database
):
    user = await make_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    store = Store(app_client, user.token)
    product = await make_product(database)
    customer = await make_customer(database)

    first = await app_client.get("/api/dashboard/version", headers=headers)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag == f'"{first.json()["version"]}"'
    await get(app_client, user.token, period="90d")
    again = await app_client.get("/api/dashboard/version", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert again.content == b""

    order = await store.order(customer.id, dt.datetime.now(dt.UTC), [(product, 1)])
    after_order = await app_client.get("/api/dashboard/version", headers={**headers, "If-None-Match": etag})
    assert after_order.status_code == 200
    assert after_order.headers["etag"] != etag
    await store.set_status(order, "cancelled")
    after_cancel = await app_client.get(
        "/api/dashboard/version", headers={**headers, "If-None-Match": after_order.headers["etag"]}
    )
    assert after_cancel.status_code == 200
    # Stock received moves the stock alerts: an open dashboard must hear of it too.
    received = await app_client.post(
        f"/api/inventory/{product.id}/adjustments",
        json={"kind": "received", "quantity": 5, "reason": "delivery"},
        headers=headers,
    )
    assert received.status_code == 201, received.text
    after_delivery = await app_client.get(
        "/api/dashboard/version", headers={**headers, "If-None-Match": after_cancel.headers["etag"]}
    )
    assert after_delivery.status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "custom"}, "from"),
        ({"period": "custom", "from": "2026-01-01"}, "to"),
        ({"period": "custom", "from": "2026-02-01", "to": "2026-01-01"}, "from"),
        ({"period": "custom", "from": "2025-01-01", "to": "2026-01-02"}, "to"),
        ({"period": "custom", "from": "2026-13-01", "to": "2026-01-02"}, "from"),
        ({"period": "custom", "from": "2026-01-01", "to": "yesterday"}, "to"),
        ({"period": "custom", "from": "0001-01-01", "to": "0001-01-02"}, "from"),
        ({"period": "7d", "from": "2026-01-01"}, "from"),
        ({"period": "12d"}, "period"),
    ],
)
async def test_bad_periods_are_a_422_naming_the_parameter(app_client, make_user, params, field):
    user = await make_user()
    response = await app_client.get("/api/dashboard", params=params, headers={"Authorization": f"Bearer {user.token}"})
    assert response.status_code == 422, response.text
    assert any(d["loc"][-1] == field for d in response.json()["error"]["details"]), response.text


async def test_a_viewer_sees_the_dashboard_and_a_stranger_does_not(app_client, make_user):
    from shopcrm.auth.models import Role

    viewer = await make_user(Role.viewer)
    assert (
        await app_client.get("/api/dashboard", headers={"Authorization": f"Bearer {viewer.token}"})
    ).status_code == 200
    assert (await app_client.get("/api/dashboard")).status_code == 401
    assert (await app_client.get("/api/dashboard/version")).status_code == 401


async def test_an_empty_store(app_client, make_user):
    user = await make_user()
    answer = await get(app_client, user.token, period="7d")
    assert answer["sales"] == {"value": "0.00", "previous": "0.00", "change_pct": None}
    assert len(answer["series"]) == 7
    assert answer["top_products"] == []
    assert answer["stock_alerts"] == 0


async def test_top_products_of_a_standard_period_when_touched_days_reorder_them(app_client, make_user, database):
    """The stored period totals are read from the top, more at a time, until no product below can pass the
    fifth: here the eight best sellers' orders are cancelled after the rollup, so the true top five come from
    far down the stored list, and a product sold again on a touched day climbs."""
    user = await make_user()
    store = Store(app_client, user.token)
    tz = ZoneInfo("UTC")
    now = dt.datetime.now(dt.UTC)
    products = [
        await make_product(database, category="Home", price=Decimal(f"{10 + i}.00"), stock=10_000) for i in range(30)
    ]
    customer = await make_customer(database)
    orders = []
    for i, product in enumerate(products):
        orders.append(await store.order(customer.id, now - dt.timedelta(days=2 + i % 3, hours=1), [(product, 2)]))
    await build_rollup(database, "UTC")
    await check_all(app_client, user.token, store, tz)
    for order in orders[-8:]:  # the eight dearest products
        await store.set_status(order, "cancelled")
    await store.order(customer.id, now - dt.timedelta(days=4, hours=2), [(products[0], 40)])
    await check_all(app_client, user.token, store, tz)
    answer = await get(app_client, user.token, period="7d")
    assert answer["top_products"][0]["product_id"] == products[0].id
    assert [p["product_id"] for p in answer["top_products"][1:]] == [p.id for p in products[21:17:-1]]
    await build_rollup(database, "UTC")
    await check_all(app_client, user.token, store, tz)


async def test_a_first_build_through_refresh_rollup_is_exact_and_on_sqlite_in_steps(
    app_client, make_user, database, monkeypatch
):
    """The server's refresh: one unit of work on PostgreSQL; on SQLite a first build commits every few days
    (one writer at a time there), and the figures are the same either way."""
    from shopcrm.analytics import rollup

    user = await make_user()
    store = Store(app_client, user.token)
    await seed_store(database, store, dt.datetime.now(dt.UTC))
    steps: list[int] = []
    real = rollup.rebuild_days

    async def counted(session, days, tz):  # type: ignore[no-untyped-def]
        steps.append(len(list(days)))
        await real(session, days, tz)

    monkeypatch.setattr(rollup, "rebuild_days", counted)
    monkeypatch.setattr(rollup, "CHUNK_DAYS", 30)
    assert await rollup.refresh_rollup(database, timezone="UTC") == sum(steps) > 150
    embedded = database.engine.dialect.name == "sqlite"
    assert len(steps) == (len(range(0, sum(steps), 30)) if embedded else 1)
    await check_all(app_client, user.token, store, ZoneInfo("UTC"))
    # Built now: the next refresh is incremental, one unit of work on either engine.
    steps.clear()
    await rollup.refresh_rollup(database, timezone="UTC")
    assert len(steps) <= 1
    await check_all(app_client, user.token, store, ZoneInfo("UTC"))


async def test_stock_alerts_count_what_the_inventory_counts_a_product_running_out_before_its_lead_time_too(
    app_client, make_user, database
):
    """The dashboard's count is the inventory's `alerts_total`: out, low, and in stock but critical by the
    latest forecast; and a new forecast batch changes the version an open dashboard polls."""
    from shopcrm.inventory.models import FORECAST_RUN_ROW_ID, ForecastRun, NeedLevel, ProductForecast

    user = await make_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    await make_product(database, stock=0, low_stock_threshold=5)  # out
    await make_product(database, stock=3, low_stock_threshold=5)  # low
    fast = await make_product(database, stock=40, low_stock_threshold=5)  # in stock, sells out within its lead time
    await make_product(database, stock=40, low_stock_threshold=5)  # in stock, fine
    before = (await app_client.get("/api/dashboard/version", headers=headers)).headers["etag"]
    assert (await get(app_client, user.token, period="7d"))["stock_alerts"] == 2

    now = dt.datetime.now(dt.UTC)
    async with database.transaction() as session:
        session.add(
            ProductForecast(
                product_id=fast.id,
                status="ok",
                history_days=90,
                stock=40,
                daily_rate=8.0,
                forecast_30d=240.0,
                days_of_cover=Decimal("5.0"),
                need_rank=int(NeedLevel.critical),
                reason="runs out before its lead time",
                computed_at=now,
            )
        )
        session.add(ForecastRun(id=FORECAST_RUN_ROW_ID, method="tsb", computed_at=now, took_ms=1, summary={}))
    answer = await get(app_client, user.token, period="7d")
    stats = (await app_client.get("/api/inventory/stats", headers=headers)).json()
    assert answer["stock_alerts"] == stats["alerts_total"] == 3
    after = await app_client.get("/api/dashboard/version", headers={**headers, "If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["etag"] != before
