"""A customer's personal data on both engines: the export holds everything (every order and item, consent,
segments), erasure leaves no trace of the person in any text column of any table while the store's
figures stay exactly as they were, and the suppression list keeps the person from coming back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import JSON, String, Text, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from shopcrm.analytics.rollup import refresh_in
from shopcrm.auth.models import Role
from shopcrm.customers.models import ConsentEvent, Customer
from shopcrm.customers.suppression import email_hash, is_suppressed, suppressed_among
from shopcrm.db import Database
from shopcrm.inventory.models import Product
from shopcrm.orders.models import Order, OrderItem
from shopcrm.segments.models import Segment, SegmentMember, SegmentMembershipEvent
from tests.conftest import login
from tests.factories import make_customer, make_product, utc

# What identifies the person: every one of these must be gone after the erasure.
PERSON = {
    "first_name": "Zoltana",
    "last_name": "Quixwell",
    "email": "Zoltana.Quixwell@example.org",
    "phone": "+4915198765432",
    "city": "Wolkenstadt",
}
SHIPPING = {
    "name": "Zoltana Q. Quixwell",
    "address1": "Mondscheinweg 42",
    "address2": "Hinterhaus Nordflügel",
    "city": "Sternburg",
    "postal_code": "D-77031",
    "country": "DE",
}
TRACES = [
    "zoltana",
    "quixwell",
    PERSON["phone"],
    "15198765432",
    "wolkenstadt",
    "mondscheinweg",
    "hinterhaus",
    "sternburg",
    "d-77031",
]


@pytest.fixture
async def admin(make_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = await make_user(Role.admin, email="dpo@shop.example")
    return {"Authorization": f"Bearer {user.token}"}


async def _store(client: httpx.AsyncClient, database: Database, admin: dict[str, str]) -> dict[str, Any]:
    """The person with three orders (one cancelled), consent changes and segments; a bystander with one order."""
    created = await client.post(
        "/api/customers", json={**PERSON, "email_consent": True, "country": "DE"}, headers=admin
    )
    assert created.status_code == 201, created.text
    person = created.json()
    # Consent withdrawn, then given again: two more history rows.
    for consent in (False, True):
        edited = await client.put(
            f"/api/customers/{person['id']}", json={**PERSON, "email_consent": consent, "country": "DE"}, headers=admin
        )
        assert edited.status_code == 200, edited.text
    bystander = await make_customer(database, first_name="Bea", last_name="Bystander", email="bea@example.com")
    await make_product(database, sku="MUG-1", name="Mug", price=Decimal("12.50"), stock=50, category="Kitchen")
    await make_product(database, sku="TEE-1", name="Tee", price=Decimal("20.00"), stock=50, category="Apparel")
    orders = []
    for n, (day, items) in enumerate(
        [
            ("2026-09-01T10:00:00Z", [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1}]),
            ("2026-10-01T10:00:00Z", [{"sku": "TEE-1", "quantity": 3, "unit_price": "18.00"}]),
            ("2026-11-01T10:00:00Z", [{"sku": "MUG-1", "quantity": 1}]),
        ]
    ):
        body = {
            "order_number": f"Q-{n}",
            "customer_id": person["id"],
            "placed_at": day,
            "items": items,
            "shipping": SHIPPING,
        }
        response = await client.post("/api/orders", json=body, headers=admin)
        assert response.status_code == 201, response.text
        orders.append(response.json())
    await client.patch(f"/api/orders/{orders[0]['id']}", json={"status": "paid"}, headers=admin)
    await client.patch(f"/api/orders/{orders[2]['id']}", json={"status": "cancelled"}, headers=admin)
    other = await client.post(
        "/api/orders",
        json={
            "order_number": "B-1",
            "customer_id": bystander.id,
            "placed_at": "2026-10-05T08:00:00Z",
            "items": [{"sku": "MUG-1", "quantity": 1}],
            "shipping": {"name": "Bea Bystander", "city": "Bonn"},
        },
        headers=admin,
    )
    assert other.status_code == 201
    async with database.transaction() as session:
        segment = Segment(name="Big spenders", criteria_logic="and")
        session.add(segment)
        await session.flush()
        joined = utc(2026, 10, 2)
        session.add(SegmentMember(segment_id=segment.id, customer_id=person["id"], joined_at=joined))
        session.add(SegmentMembershipEvent(segment_id=segment.id, customer_id=person["id"], kind="joined", at=joined))
        session.add(
            SegmentMembershipEvent(segment_id=segment.id, customer_id=person["id"], kind="left", at=utc(2026, 10, 1))
        )
    return {"person": person, "orders": orders, "bystander": bystander, "segment_id": segment.id}


async def _text_columns(conn: AsyncConnection) -> list[tuple[str, str]]:
    """Every text-like column of every table in the database (read from the database itself, not from the
    models, so a table added without a model is scanned too)."""

    def walk(sync_conn: Any) -> list[tuple[str, str]]:
        inspector = inspect(sync_conn)
        found = []
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if isinstance(column["type"], (String, Text, JSON)) or "CHAR" in str(column["type"]).upper():
                    found.append((table, column["name"]))
        return found

    return await conn.run_sync(walk)


async def _traces(database: Database) -> dict[str, list[str]]:
    """Where each trace of the person is found: {trace: ["table.column", ...]}."""
    found: dict[str, list[str]] = {}
    async with database.engine.connect() as conn:
        columns = await _text_columns(conn)
        assert len(columns) > 40  # customers, orders, users, segments, audit_log, ...
        for table, column in columns:
            for trace in [*TRACES, PERSON["email"].lower()]:
                hits = await conn.scalar(
                    text(f'SELECT count(*) FROM "{table}" WHERE lower(CAST("{column}" AS TEXT)) LIKE :p'),
                    {"p": f"%{trace.lower()}%"},
                )
                if hits:
                    found.setdefault(trace, []).append(f"{table}.{column}")
    return found


async def _figures(client: httpx.AsyncClient, database: Database, admin: dict[str, str]) -> dict[str, Any]:
    """What the store's numbers say: the dashboard (rolled up), the order list's counts, stock, and the
    customers' aggregates, as the API and the tables give them."""
    async with database.transaction() as session:
        await refresh_in(session, tz=ZoneInfo("UTC"), timezone="UTC", settle=dt.timedelta(0))
    dashboard = {}
    for period in ("7d", "30d", "90d"):
        answer = (await client.get("/api/dashboard", params={"period": period}, headers=admin)).json()
        dashboard[period] = answer
    orders = (await client.get("/api/orders", params={"limit": 100}, headers=admin)).json()
    async with database.sessionmaker() as session:
        stock = dict((await session.execute(select(Product.sku, Product.stock))).all())
        customers = sorted(
            (
                await session.execute(
                    select(
                        Customer.id,
                        Customer.total_spend,
                        Customer.total_orders,
                        Customer.first_order_at,
                        Customer.last_order_at,
                    )
                )
            ).all()
        )
        amounts = sorted(
            (await session.execute(select(Order.order_number, Order.status, Order.total_amount, Order.placed_at))).all()
        )
        lines = sorted(
            (
                await session.execute(
                    select(OrderItem.order_id, OrderItem.product_id, OrderItem.quantity, OrderItem.price)
                )
            ).all()
        )
    return {
        "dashboard": dashboard,
        "order_counts": orders["status_counts"],
        "order_totals": [(o["order_number"], o["total_amount"], o["status"]) for o in orders["items"]],
        "stock": stock,
        "customers": customers,
        "orders": amounts,
        "lines": lines,
    }


async def test_erasure_leaves_no_trace_and_keeps_every_figure(app_client, database, admin):
    shop = await _store(app_client, database, admin)
    person_id = shop["person"]["id"]
    before = await _figures(app_client, database, admin)
    # The scan finds the person before (so it can fail): in customers and in the orders' shipping columns.
    traces = await _traces(database)
    assert set(traces) == {*TRACES, PERSON["email"].lower()}, traces
    assert "orders.shipping_address1" in traces["mondscheinweg"]

    wrong = await app_client.post(
        f"/api/customers/{person_id}/erase", json={"confirm": "bea@example.com"}, headers=admin
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"][0]["loc"] == ["body", "confirm"]
    assert "zoltana" not in wrong.text.lower()

    erased = await app_client.post(
        f"/api/customers/{person_id}/erase", json={"confirm": "  zoltana.quixwell@EXAMPLE.org "}, headers=admin
    )
    assert erased.status_code == 200, erased.text
    body = erased.json()
    assert body["already_erased"] is False
    assert body["orders_anonymised"] == 3
    customer = body["customer"]
    assert (customer["first_name"], customer["last_name"]) == ("Erased", "customer")
    assert customer["email"] == f"erased-{person_id}@erased.invalid"
    assert (customer["phone"], customer["city"], customer["status"]) == (None, None, "archived")
    assert customer["erased_at"] is not None
    assert customer["email_consent"] is False
    assert customer["country"] == "DE"  # a country identifies no one and keeps the sales-by-country figures

    assert await _traces(database) == {}
    after = await _figures(app_client, database, admin)
    assert after == before

    # The order stays, anonymous: amounts, lines and history are there, the address is not.
    details = (await app_client.get(f"/api/orders/{shop['orders'][1]['id']}", headers=admin)).json()
    assert details["total_amount"] == "54.00"
    assert details["shipping"] == {
        "name": None,
        "address1": None,
        "address2": None,
        "city": None,
        "postal_code": None,
        "country": "DE",
    }
    assert details["customer"]["first_name"] == "Erased"

    # Again: nothing changes, whatever is typed, and it says so.
    again = await app_client.post(f"/api/customers/{person_id}/erase", json={"confirm": "x"}, headers=admin)
    assert again.status_code == 200
    assert again.json()["already_erased"] is True
    assert again.json()["orders_anonymised"] == 0
    assert again.json()["customer"] == {**customer, "updated_at": again.json()["customer"]["updated_at"]}
    assert await _figures(app_client, database, admin) == before

    # Both erasures are in the audit log, with no personal data.
    log = (await app_client.get("/api/audit-log", params={"action": "customer.erase"}, headers=admin)).json()
    assert [(e["target_id"], e["details"]["already_erased"], e["row_count"]) for e in log["items"]] == [
        (person_id, True, 0),
        (person_id, False, 3),
    ]
    assert {e["actor_email"] for e in log["items"]} == {"dpo@shop.example"}


async def test_the_person_does_not_come_back(app_client, database, admin):
    shop = await _store(app_client, database, admin)
    person_id = shop["person"]["id"]
    await app_client.post(f"/api/customers/{person_id}/erase", json={"confirm": PERSON["email"]}, headers=admin)

    async with database.sessionmaker() as session:
        assert await is_suppressed(session, " ZOLTANA.quixwell@example.org")
        assert not await is_suppressed(session, "bea@example.com")
        assert await suppressed_among(session, ["bea@example.com", "zoltana.quixwell@example.org", "x@y.example"]) == {
            "zoltana.quixwell@example.org"
        }
        stored = (await session.execute(text("SELECT email_hash FROM suppressed_emails"))).scalars().all()
    assert stored == [email_hash(PERSON["email"])]
    assert len(stored[0]) == 64
    assert "zoltana" not in stored[0]

    # A new record with the email (any case) is refused, naming the field.
    again = await app_client.post("/api/customers", json={**PERSON, "email": PERSON["email"].upper()}, headers=admin)
    assert again.status_code == 409
    assert again.json()["error"]["details"][0]["loc"] == ["body", "email"]
    # So is giving the email to someone else.
    bea = shop["bystander"]
    moved = await app_client.put(
        f"/api/customers/{bea.id}",
        json={"first_name": "Bea", "last_name": "B", "email": PERSON["email"]},
        headers=admin,
    )
    assert moved.status_code == 409
    # The erased record itself cannot be edited back to life.
    edit = await app_client.put(
        f"/api/customers/{person_id}", json={**PERSON, "email": "new@example.com"}, headers=admin
    )
    assert edit.status_code == 409

    # An order for the erased customer is refused (docs/privacy.md), and takes no stock.
    async with database.sessionmaker() as session:
        stock = dict((await session.execute(select(Product.sku, Product.stock))).all())
    order = await app_client.post(
        "/api/orders",
        json={
            "order_number": "Q-NEW",
            "customer_id": person_id,
            "items": [{"sku": "MUG-1", "quantity": 1}],
            "shipping": SHIPPING,
        },
        headers=admin,
    )
    assert order.status_code == 409, order.text
    assert order.json()["error"]["details"][0]["loc"] == ["body", "customer_id"]
    async with database.sessionmaker() as session:
        assert dict((await session.execute(select(Product.sku, Product.stock))).all()) == stock
        assert await session.scalar(select(func.count()).select_from(Order).where(Order.order_number == "Q-NEW")) == 0
    # A repeat of one of their stored orders is still answered (the storefront retrying), with no address.
    replay = await app_client.post(
        "/api/orders",
        json={
            "order_number": "Q-1",
            "customer_id": person_id,
            "placed_at": "2026-10-01T10:00:00Z",
            "items": [{"sku": "TEE-1", "quantity": 3, "unit_price": "18.00"}],
            "shipping": SHIPPING,
        },
        headers=admin,
    )
    assert replay.status_code == 200
    assert replay.json()["shipping"]["address1"] is None
    assert await _traces(database) == {}


async def test_export_holds_every_order_item_consent_and_segment(app_client, database, admin):
    shop = await _store(app_client, database, admin)
    person_id = shop["person"]["id"]
    response = await app_client.get(f"/api/customers/{person_id}/export", headers=admin)
    assert response.status_code == 200, response.text
    assert f"customer-{person_id}-personal-data.json" in response.headers["content-disposition"]
    data = response.json()
    assert data["format"] == "shopcrm.personal-data.v1"
    assert data["customer"]["email"] == PERSON["email"].lower()
    assert data["customer"]["phone"] == PERSON["phone"]
    assert [c["email_consent"] for c in data["consent"]["history"]] == [True, False, True]
    assert data["consent"]["email_consent"] is True

    # Every order and every item, checked against the tables.
    async with database.sessionmaker() as session:
        expected = sorted(
            (
                await session.execute(
                    select(Order.order_number, Product.sku, OrderItem.quantity, OrderItem.price)
                    .join(OrderItem, OrderItem.order_id == Order.id)
                    .join(Product, Product.id == OrderItem.product_id)
                    .where(Order.customer_id == person_id)
                )
            ).all()
        )
        consent_rows = await session.scalar(
            select(func.count()).select_from(ConsentEvent).where(ConsentEvent.customer_id == person_id)
        )
    exported = sorted(
        (o["order_number"], i["sku"], i["quantity"], Decimal(i["unit_price"]))
        for o in data["orders"]
        for i in o["items"]
    )
    assert exported == expected
    assert len(exported) == 4
    assert consent_rows == 3
    assert [o["order_number"] for o in data["orders"]] == ["Q-0", "Q-1", "Q-2"]
    first = data["orders"][0]
    assert first["shipping"]["address1"] == SHIPPING["address1"]
    assert [(h["from_status"], h["to_status"]) for h in first["status_history"]] == [
        (None, "pending"),
        ("pending", "paid"),
    ]
    assert data["orders"][2]["status"] == "cancelled"
    assert sum(Decimal(i["line_total"]) for i in data["orders"][1]["items"]) == Decimal("54.00")
    assert data["segments"]["memberships"] == [
        {"segment_id": shop["segment_id"], "segment_name": "Big spenders", "joined_at": "2026-10-02T00:00:00Z"}
    ]
    assert [e["kind"] for e in data["segments"]["events"]] == ["left", "joined"]
    # Nothing of the bystander.
    assert "bystander" not in response.text.lower()
    assert "B-1" not in response.text

    log = (await app_client.get("/api/audit-log", params={"action": "customer.export"}, headers=admin)).json()
    assert len(log["items"]) == 1
    entry = log["items"][0]
    assert (entry["target_type"], entry["target_id"], entry["row_count"]) == ("customer", person_id, 3)
    assert "zoltana" not in str(entry).lower()
    assert (await app_client.get("/api/customers/999999/export", headers=admin)).status_code == 404


async def test_only_admins_and_only_on_purpose(app_client, database, admin, make_user):
    shop = await _store(app_client, database, admin)
    person_id = shop["person"]["id"]
    for role in (Role.marketer, Role.viewer):
        user = await make_user(role)
        headers = {"Authorization": f"Bearer {user.token}"}
        assert (await app_client.get(f"/api/customers/{person_id}/export", headers=headers)).status_code == 403
        erase = await app_client.post(
            f"/api/customers/{person_id}/erase", json={"confirm": PERSON["email"]}, headers=headers
        )
        assert erase.status_code == 403
        assert (await app_client.get("/api/audit-log", headers=headers)).status_code == 403
    assert (await app_client.get(f"/api/customers/{person_id}/export")).status_code == 401
    # A body that does not confirm is a 422 naming the field; nothing is erased.
    for body, loc in [
        ({}, "confirm"),
        ({"confirm": ""}, "confirm"),
        ({"confirm": "a\x00b"}, "confirm"),
        ({"confirm": PERSON["email"], "force": True}, "force"),
    ]:
        response = await app_client.post(f"/api/customers/{person_id}/erase", json=body, headers=admin)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"][0]["loc"][-1] == loc
    huge = await app_client.post("/api/customers/99999999999999999999/erase", json={"confirm": "x"}, headers=admin)
    assert huge.status_code == 422
    missing = await app_client.post("/api/customers/424242/erase", json={"confirm": "x"}, headers=admin)
    assert missing.status_code == 404
    # A browser session must send the CSRF token to erase.
    admin_user = await make_user(Role.admin)
    csrf = await login(app_client, admin_user)
    no_csrf = await app_client.post(f"/api/customers/{person_id}/erase", json={"confirm": PERSON["email"]})
    assert no_csrf.status_code == 403
    with_csrf = await app_client.post(
        f"/api/customers/{person_id}/erase", json={"confirm": PERSON["email"]}, headers={"X-CSRF-Token": csrf}
    )
    assert with_csrf.status_code == 200
    async with database.sessionmaker() as session:
        assert (await session.get(Customer, person_id)).erased_at is not None  # type: ignore[union-attr]


async def test_an_admin_lifts_the_suppression_when_the_person_comes_back(app_client, database, admin, make_user):
    shop = await _store(app_client, database, admin)
    await app_client.post(
        f"/api/customers/{shop['person']['id']}/erase", json={"confirm": PERSON["email"]}, headers=admin
    )
    lift = "/api/customers/suppressions/lift"

    # Marketers and viewers may not; a login is needed; a bad email is a 422 naming it.
    for role in (Role.marketer, Role.viewer):
        user = await make_user(role)
        refused = await app_client.post(
            lift, json={"email": PERSON["email"]}, headers={"Authorization": f"Bearer {user.token}"}
        )
        assert refused.status_code == 403
    assert (await app_client.post(lift, json={"email": PERSON["email"]})).status_code == 401
    bad = await app_client.post(lift, json={"email": "not an email"}, headers=admin)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["loc"] == ["body", "email"]
    # An email that is not on the list: a 404 naming it, and nothing written to the log.
    missing = await app_client.post(lift, json={"email": "bea@example.com"}, headers=admin)
    assert missing.status_code == 404
    assert missing.json()["error"]["details"][0]["loc"] == ["body", "email"]
    async with database.sessionmaker() as session:
        assert await is_suppressed(session, PERSON["email"])

    # Lifted (any case): the email can be stored again, the erased record stays erased.
    assert (await app_client.post(lift, json={"email": PERSON["email"].upper()}, headers=admin)).status_code == 204
    async with database.sessionmaker() as session:
        assert not await is_suppressed(session, PERSON["email"])
        assert (await session.execute(text("SELECT count(*) FROM suppressed_emails"))).scalar() == 0
    back = await app_client.post("/api/customers", json=PERSON, headers=admin)
    assert back.status_code == 201, back.text
    assert back.json()["id"] != shop["person"]["id"]
    old = (await app_client.get(f"/api/customers/{shop['person']['id']}", headers=admin)).json()
    assert "zoltana" not in str(old).lower()
    # Lifting twice: nothing left to lift.
    assert (await app_client.post(lift, json={"email": PERSON["email"]}, headers=admin)).status_code == 404

    # Audited once, by whom, without the email.
    log = (await app_client.get("/api/audit-log", params={"action": "customer.suppression_lift"}, headers=admin)).json()
    assert [(e["actor_email"], e["target_type"]) for e in log["items"]] == [("dpo@shop.example", "suppression")]
    assert "zoltana" not in str(log).lower()
