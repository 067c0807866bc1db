"""A customer's personal data: all of it as one document (GDPR article 15), and its erasure (article 17).

Erasure replaces what identifies the person (name, email, phone, city; the shipping name and address of
their orders) for good, in place: no copy is kept, the erased email survives only as a one-way hash on the
suppression list (customers/suppression.py). Orders, items, amounts, statuses and times stay, as anonymous
figures, so the store's sales, stock and rollups stay true; the customer row stays (archived, `erased_at`
set) so every foreign key holds. What is kept and why: docs/privacy.md. Services never commit."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.audit import service as audit
from shopcrm.auth.models import User
from shopcrm.config import Settings
from shopcrm.core.errors import InvalidInput, NotFound
from shopcrm.core.types import normalize_email
from shopcrm.customers import service as customers_service
from shopcrm.customers.models import ConsentEvent, Customer, CustomerStatus
from shopcrm.customers.suppression import lift, suppress
from shopcrm.db import utcnow
from shopcrm.inventory.models import Product
from shopcrm.orders.models import Order, OrderItem, OrderStatus, OrderStatusEvent
from shopcrm.orders.service import CENT
from shopcrm.privacy.schemas import (
    Consent,
    ConsentChange,
    ErasureOut,
    PersonalData,
    PersonalOrder,
    PersonalOrderItem,
    PersonalShipping,
    PersonalStatusChange,
    SegmentMembership,
    SegmentMembershipEvent,
    Segments,
)
from shopcrm.segments.models import Segment, SegmentMember
from shopcrm.segments.models import SegmentMembershipEvent as MembershipEventRow

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "customer"


def erased_email(customer_id: int) -> str:
    """The placeholder address of an erased customer: unique (the email index is), and on the reserved
    .invalid domain (RFC 2606), so nothing can ever be sent to it."""
    return f"erased-{customer_id}@erased.invalid"


async def personal_data(session: AsyncSession, *, customer_id: int, settings: Settings, actor: User) -> PersonalData:
    """The document, and its audit row (who asked, when) in the caller's transaction."""
    customer = await customers_service.get_customer(session, customer_id)
    consent_rows = (
        await session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.customer_id == customer_id)
            .order_by(ConsentEvent.at, ConsentEvent.id)
        )
    ).all()
    data = PersonalData(
        generated_at=utcnow(),
        customer=customers_service.to_out(customer, settings),
        consent=Consent(
            email_consent=customer.email_consent,
            unsubscribed_at=customer.unsubscribed_at,
            history=[ConsentChange(email_consent=e.email_consent, at=e.at, source=e.source) for e in consent_rows],
        ),
        orders=await _orders(session, customer_id),
        segments=await _segments(session, customer_id),
    )
    await audit.record(
        session,
        actor=actor,
        action="customer.export",
        target_type="customer",
        target_id=customer_id,
        row_count=len(data.orders),
        details={"orders": len(data.orders), "segment_memberships": len(data.segments.memberships)},
    )
    return data


async def _orders(session: AsyncSession, customer_id: int) -> list[PersonalOrder]:
    """Every order of the customer with its lines and status history: three statements, whatever the count."""
    orders = (
        await session.scalars(select(Order).where(Order.customer_id == customer_id).order_by(Order.placed_at, Order.id))
    ).all()
    lines: dict[int, list[PersonalOrderItem]] = defaultdict(list)
    for item, sku, name in (
        await session.execute(
            select(OrderItem, Product.sku, Product.name)
            .join(Product, Product.id == OrderItem.product_id)
            .where(OrderItem.customer_id == customer_id)
            .order_by(OrderItem.id)
        )
    ).all():
        lines[item.order_id].append(
            PersonalOrderItem(
                sku=sku,
                product_name=name,
                quantity=item.quantity,
                unit_price=item.price,
                line_total=(item.price * item.quantity).quantize(CENT),
            )
        )
    history: dict[int, list[PersonalStatusChange]] = defaultdict(list)
    for event in (
        await session.scalars(
            select(OrderStatusEvent)
            .where(OrderStatusEvent.customer_id == customer_id)
            .order_by(OrderStatusEvent.changed_at, OrderStatusEvent.id)
        )
    ).all():
        history[event.order_id].append(
            PersonalStatusChange(
                from_status=OrderStatus(event.from_status) if event.from_status else None,
                to_status=OrderStatus(event.to_status),
                changed_at=event.changed_at,
            )
        )
    return [
        PersonalOrder(
            order_number=o.order_number,
            placed_at=o.placed_at,
            status=OrderStatus(o.status),
            currency=o.currency,
            total_amount=o.total_amount,
            shipping=PersonalShipping(
                name=o.shipping_name,
                address1=o.shipping_address1,
                address2=o.shipping_address2,
                city=o.shipping_city,
                postal_code=o.shipping_postal_code,
                country=o.shipping_country,
            ),
            items=lines[o.id],
            status_history=history[o.id],
        )
        for o in orders
    ]


async def _segments(session: AsyncSession, customer_id: int) -> Segments:
    members = (
        await session.execute(
            select(SegmentMember.segment_id, Segment.name, SegmentMember.joined_at)
            .outerjoin(Segment, Segment.id == SegmentMember.segment_id)
            .where(SegmentMember.customer_id == customer_id)
            .order_by(SegmentMember.joined_at, SegmentMember.segment_id)
        )
    ).all()
    events = (
        await session.execute(
            select(MembershipEventRow.segment_id, Segment.name, MembershipEventRow.kind, MembershipEventRow.at)
            .outerjoin(Segment, Segment.id == MembershipEventRow.segment_id)
            .where(MembershipEventRow.customer_id == customer_id)
            .order_by(MembershipEventRow.at, MembershipEventRow.id)
        )
    ).all()
    return Segments(
        memberships=[SegmentMembership(segment_id=s, segment_name=n, joined_at=j) for s, n, j in members],
        events=[SegmentMembershipEvent(segment_id=s, segment_name=n, kind=k, at=a) for s, n, k, a in events],
    )


async def erase(
    session: AsyncSession, *, customer_id: int, confirm: str, settings: Settings, actor: User
) -> ErasureOut:
    """Erase the person behind `customer_id`, if `confirm` is their email, with its audit row. Idempotent: a
    customer erased before is answered as they are, whatever `confirm` says (nothing is left to destroy)."""
    result = await _erase(session, customer_id=customer_id, confirm=confirm, settings=settings)
    await audit.record(
        session,
        actor=actor,
        action="customer.erase",
        target_type="customer",
        target_id=customer_id,
        row_count=result.orders_anonymised,
        details={"orders_anonymised": result.orders_anonymised, "already_erased": result.already_erased},
    )
    return result


async def _erase(session: AsyncSession, *, customer_id: int, confirm: str, settings: Settings) -> ErasureOut:
    # Locked first (a row lock on PostgreSQL, the write lock on SQLite), so an edit or an order of the same
    # customer waits, and then sees the erased row.
    locked = await session.scalar(
        select(Customer).where(Customer.id == customer_id).with_for_update().execution_options(populate_existing=True)
    )
    if locked is None:
        raise NotFound("No such customer")
    customer: Customer = locked
    if customer.erased_at is not None:
        return ErasureOut(
            customer=customers_service.to_out(customer, settings), already_erased=True, orders_anonymised=0
        )
    if normalize_email(confirm) != normalize_email(customer.email):
        # Not echoing either address: error messages end up in logs and screenshots.
        raise InvalidInput("confirm: type the customer's email exactly as it is stored", loc=["body", "confirm"])
    await suppress(session, customer.email)
    now = utcnow()
    anonymised = await session.execute(
        update(Order)
        .where(Order.customer_id == customer_id)
        .values(
            shipping_name=None,
            shipping_address1=None,
            shipping_address2=None,
            shipping_city=None,
            shipping_postal_code=None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    values: dict[str, Any] = {
        "first_name": ERASED_FIRST_NAME,
        "last_name": ERASED_LAST_NAME,
        "email": erased_email(customer.id),
        "phone": None,
        "city": None,
        "email_consent": False,
        "status": CustomerStatus.archived.value,
        "erased_at": now,
        "updated_at": now,
    }
    if customer.email_consent:
        values["unsubscribed_at"] = now
    for name, value in values.items():
        setattr(customer, name, value)
    await session.flush()
    return ErasureOut(
        customer=customers_service.to_out(customer, settings),
        already_erased=False,
        orders_anonymised=cast(CursorResult[Any], anonymised).rowcount,
    )


async def lift_suppression(session: AsyncSession, *, email: str, actor: User) -> None:
    """Take an erased person's email off the suppression list, so a customer can be made for it again (they
    asked to come back); audited without the email. A 404 naming `email` when it is not on the list."""
    if not await lift(session, email):
        raise NotFound(
            "This email is not on the suppression list",
            details=[{"loc": ["body", "email"], "message": "not on the suppression list", "type": "not_suppressed"}],
        )
    await audit.record(session, actor=actor, action="customer.suppression_lift", target_type="suppression")
