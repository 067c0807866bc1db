"""The demo data set, drawn in chunks: deterministic for a seed, realistic, consistent, bounded memory.

Nothing the size of the orders (or of their items or status events) is held at once: any size streams
into a database with memory bounded by the customers (a few dozen bytes each) and one chunk of orders.
The randomness is laid out so that the data never depend on the chunk size:

- `generate()` draws what is per product or per customer from one `Generator(PCG64(seed))`: the products,
  the customers' lasting attributes (name and address, which an order's shipping fields copy), who buys
  and how much, the day of each buyer's first order and how many other orders each day has.
- Orders, their items and their status history are drawn per *span* of consecutive days (one day on the
  large data set, more on small ones: it depends on the size only), each span from its own generators
  seeded with (seed, span). Order ids follow time.
- Pass 1 (`DemoDataset.aggregates`) draws the spans once for what the customers table needs from the
  orders: counted orders and spend, first and last order times. Pass 2 (`DemoDataset.chunks`) draws the
  customers' other columns (email, phone, sign-up, consent, status) per block of CUSTOMER_BLOCK customers,
  each block from its own generator, then draws the spans again and yields their rows, chunk by chunk.

The column builders at the bottom turn rows a..b of a chunk into `Column`s; they draw nothing. Every
time is relative to a fixed anchor date, so the same seed and anchor give the same data on any machine
and any database. Money is integer cents throughout; times are integer microseconds since the Unix
epoch (UTC).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from shopcrm.demo import vocab
from shopcrm.demo.encoding import Column, Part, Vocab, const, digits, num, template_fill, text
from shopcrm.orders.models import UNCOUNTED_STATUSES, OrderStatus

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]
Ints = npt.NDArray[Any]  # small integer types for the per-customer arrays
Bools = npt.NDArray[np.bool_]

DEFAULT_ANCHOR = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
HISTORY_DAYS = 3 * 365 + 1  # orders span the three years before the anchor
SECOND = 1_000_000
HOUR = 3600 * SECOND
DAY = 24 * HOUR

ORDER_STATUSES: tuple[str, ...] = tuple(s.value for s in OrderStatus)
_STATUS_INDEX = {s: i for i, s in enumerate(ORDER_STATUSES)}
UNCOUNTED_CODES = np.array(sorted(_STATUS_INDEX[s.value] for s in UNCOUNTED_STATUSES), dtype=np.int64)
CUSTOMER_STATUSES: tuple[str, ...] = ("active", "inactive", "archived")

# Customers' own columns are drawn per block of this many customers (a constant: the data must not depend
# on the chunk size). Orders are drawn per span of days holding about SPAN_ORDERS orders on average.
CUSTOMER_BLOCK = 16_384
SPAN_ORDERS = 4_096
_INT32_MAX = np.iinfo(np.int32).max
# Stream tags, so each part of the data has its own generators: (seed, tag, index).
_TAG_ORDERS, _TAG_HISTORY, _TAG_CUSTOMERS = 1, 2, 3


@dataclass(frozen=True)
class DemoSize:
    """How much to generate, and how to load it.

    `bulk` selects the PostgreSQL bulk-load technique (drop secondary indexes and foreign keys, COPY,
    recreate them); SQLite ignores it. `chunk_rows` is about how many orders are drawn and written at a
    time (and the most rows encoded at once): the memory a load needs beyond the per-customer arrays.
    `postgres_only` refuses SQLite (far too slow there for the size).
    """

    name: str
    customers: int
    orders: int
    products: int
    mean_items_per_order: float = 3.0
    bulk: bool = False
    chunk_rows: int = 100_000
    postgres_only: bool = False


SIZES: dict[str, DemoSize] = {
    "small": DemoSize("small", customers=2_000, orders=10_000, products=300),
    "medium": DemoSize("medium", customers=100_000, orders=500_000, products=5_000, bulk=True),
    "large": DemoSize("large", customers=1_000_000, orders=5_000_000, products=50_000, bulk=True, postgres_only=True),
}


@dataclass
class Products:
    category: I64
    adjective: I64
    modifier: I64
    noun: I64  # index into the flattened noun vocabulary
    price: I64  # cents
    cost: I64
    stock: I64
    low_stock_threshold: I64
    reorder_lead_days: I64
    created: I64
    updated: I64


@dataclass
class People:
    """Every customer's lasting attributes (index: id - 1), in small integer types: orders copy them."""

    first: Ints
    last: Ints
    country: Ints
    city: Ints  # index into the flattened city vocabulary
    street_no: Ints
    street: Ints
    street_suffix: Ints
    unit_kind: Ints
    unit_no: Ints  # 0: no second address line
    postal_random: Ints


@dataclass
class Aggregates:
    """Pass 1: per customer (index: id - 1), what the customers table needs from the orders.

    Times are whole seconds after the start of the history (orders are placed on whole seconds), so
    they fit int32; a customer without such an order has _INT32_MAX as first and -1 as last.
    """

    spend: I64  # counted orders' totals, cents
    orders: I32  # counted orders
    first: I32  # counted orders' first and last placed_at
    last: I32
    any_first: I32  # any order's first and last placed_at
    any_last: I32
    items: int  # rows of order_items and order_status_events over all orders
    events: int

    @classmethod
    def empty(cls, n: int) -> Aggregates:
        never, none = np.full(n, _INT32_MAX, dtype=np.int32), np.full(n, -1, dtype=np.int32)
        spend, orders = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int32)
        return cls(spend, orders, never, none, never.copy(), none.copy(), 0, 0)


@dataclass
class Customers:
    """The customers table's values for one block of customers, ids offset + 1 ..."""

    offset: int
    first: Ints
    last: Ints
    email_prefix: I64  # index into the local-part vocabulary (style x first x last x case)
    domain: I64
    country: Ints
    city: Ints
    phone: I64  # national number
    has_phone: Bools
    status: I64
    email_consent: Bools
    unsubscribed: Bools
    unsubscribed_at: I64
    created: I64
    updated: I64
    total_spend: I64
    total_orders: I32
    first_order: I64
    last_order: I64
    has_counted_order: Bools


@dataclass
class Orders:
    offset: int  # ids offset + 1 ...
    customer_id: I64
    placed: I64
    status: I64
    total: I64
    updated: I64


@dataclass
class Items:
    offset: int
    order_id: I64
    product_id: I64
    customer_id: I64
    quantity: I64
    price: I64


@dataclass
class Events:
    """Each order's status history, rows grouped by order (ascending) and in time order within one.

    `from_status` is the previous row's `to_status` within the order (NULL on its first row), so it is
    derived when columns are built rather than stored. A chunk always holds whole orders.
    """

    offset: int
    order_id: I64
    customer_id: I64
    to_status: npt.NDArray[np.int8]
    changed_at: I64
    first: Bools  # the order's first event (from_status NULL)


@dataclass(frozen=True)
class TableChunk:
    """Consecutive rows of one table, built on demand: `columns(a, b)` for rows a..b of the chunk."""

    table: str
    rows: int
    build: Callable[[int, int], list[Column]]

    def columns(self, a: int = 0, b: int | None = None) -> list[Column]:
        return self.build(a, self.rows if b is None else b)


@dataclass
class _Span:
    orders: Orders
    items: Items
    events: Events | None  # None on pass 1
    event_count: int


# ---------------------------------------------------------------- the data set


class DemoDataset:
    """A data set's plan (per product and per customer arrays) and its passes over the orders."""

    def __init__(self, size: DemoSize, seed: int, anchor_us: int) -> None:
        if size.customers < 1 or size.products < 1 or size.orders < 0:
            raise ValueError("a demo size needs at least one customer and one product")
        self.size, self.seed, self.anchor_us = size, seed, anchor_us
        self.start_us = anchor_us - HISTORY_DAYS * DAY
        rng = np.random.Generator(np.random.PCG64(seed))
        self.products = _products(rng, size.products, self.start_us, anchor_us)
        n_products = size.products
        # Popularity: a long tail, and cheaper products sell more often.
        relative_price = self.products.price / np.median(self.products.price)
        self.product_cum = _cumulative(_zipf(n_products, 0.85)[rng.permutation(n_products)] * relative_price**-0.7)
        self.people = _people(rng, size.customers)

        # Who buys and how often: ~20% never ordered; order counts log-normal (a few big spenders). Each buyer
        # has one order on a day drawn for it; the other orders are spread over the days, and each of them
        # goes to a buyer drawn by weight (as a multinomial over the buyers would).
        n_customers, n_orders = size.customers, size.orders
        buyer_ids = np.flatnonzero(rng.random(n_customers) < 0.8).astype(np.int64) + 1
        if len(buyer_ids) > n_orders:
            buyer_ids = buyer_ids[:n_orders]
        if len(buyer_ids) == 0 and n_orders > 0:
            buyer_ids = np.array([1], dtype=np.int64)
        weights = np.minimum(np.exp(rng.normal(0.0, 1.0, len(buyer_ids))), 40.0)
        self.buyer_ids = buyer_ids.astype(np.int32)
        self.buyer_cum = _cumulative(weights) if len(buyer_ids) else np.ones(1)
        # When: seasonal days (growth, Nov/Dec peak, Black Friday, weekly rhythm).
        day_w = _day_weights(dt.datetime.fromtimestamp(self.start_us / SECOND, dt.UTC).date(), HISTORY_DAYS)
        first_day = _sample(rng, day_w, len(buyer_ids))
        self.extra_per_day = rng.multinomial(n_orders - len(buyer_ids), day_w / day_w.sum()).astype(np.int64)

        self.span_days = int(min(HISTORY_DAYS, max(1, -(-SPAN_ORDERS * HISTORY_DAYS // max(n_orders, 1)))))
        self.spans = -(-HISTORY_DAYS // self.span_days)
        by_day = np.argsort(first_day, kind="stable")
        self.first_buyer = self.buyer_ids[by_day]
        self.first_day = first_day[by_day].astype(np.int16)
        span_of_first = np.bincount(first_day // self.span_days, minlength=self.spans)
        self.first_start = np.concatenate([[0], np.cumsum(span_of_first)]).astype(np.int64)
        extra_per_span = np.add.reduceat(self.extra_per_day, np.arange(0, HISTORY_DAYS, self.span_days))
        self.span_orders = (span_of_first + extra_per_span).astype(np.int64)
        non_empty = np.flatnonzero(self.span_orders)
        self.last_span = int(non_empty[-1]) if len(non_empty) else -1

    @cached_property
    def aggregates(self) -> Aggregates:
        """Pass 1 over the orders (drawn again by `chunks`)."""
        agg = Aggregates.empty(self.size.customers)
        for span in self._spans(history=False):
            self._accumulate(agg, span)
        return agg

    def _accumulate(self, agg: Aggregates, span: _Span) -> None:
        """Add a span's orders to the per-customer figures."""
        o = span.orders
        agg.items += len(span.items.order_id)
        agg.events += span.event_count
        if len(o.placed) == 0:
            return
        # Grouped by customer (sorted), each customer's figures are combined once: no ufunc.at.
        by_customer = np.argsort(o.customer_id, kind="stable")
        c = o.customer_id[by_customer] - 1
        at = ((o.placed[by_customer] - self.start_us) // SECOND).astype(np.int32)
        starts = np.flatnonzero(np.concatenate([[True], c[1:] != c[:-1]]))
        who = c[starts]
        agg.any_first[who] = np.minimum(agg.any_first[who], np.minimum.reduceat(at, starts))
        agg.any_last[who] = np.maximum(agg.any_last[who], np.maximum.reduceat(at, starts))
        counted = ~np.isin(o.status[by_customer], UNCOUNTED_CODES)
        c, at, total = c[counted], at[counted], o.total[by_customer][counted]
        if len(c) == 0:
            return
        starts = np.flatnonzero(np.concatenate([[True], c[1:] != c[:-1]]))
        who = c[starts]
        agg.spend[who] += np.add.reduceat(total, starts)
        agg.orders[who] += np.diff(np.append(starts, len(c))).astype(np.int32)
        agg.first[who] = np.minimum(agg.first[who], np.minimum.reduceat(at, starts))
        agg.last[who] = np.maximum(agg.last[who], np.maximum.reduceat(at, starts))

    @property
    def counts(self) -> dict[str, int]:
        """Rows per table (the order_items and order_status_events counts take pass 1)."""
        return {
            "products": self.size.products,
            "customers": self.size.customers,
            "orders": self.size.orders,
            "order_items": self.aggregates.items,
            "order_status_events": self.aggregates.events,
        }

    def chunks(self, chunk_rows: int | None = None, *, customers_last: bool = False) -> Iterator[TableChunk]:
        """Every row: products, customers, then orders, order_items and order_status_events chunk by chunk
        (a chunk: whole spans, at least `chunk_rows` orders).

        Customers come after the orders with `customers_last`: one pass over the orders, which collects
        the customers' figures as it goes (for a load without foreign keys); otherwise pass 1 runs first.
        The rows are the same either way.
        """
        rows = max(1, chunk_rows or self.size.chunk_rows)
        n_products = self.size.products
        for a in range(0, n_products, rows):
            b = min(n_products, a + rows)
            yield TableChunk("products", b - a, _shifted(product_columns, self.products, a))
        if not customers_last:
            yield from self._customer_chunks()
        collect = (
            Aggregates.empty(self.size.customers) if customers_last and "aggregates" not in self.__dict__ else None
        )
        pending: list[_Span] = []
        pending_orders = 0
        for span in self._spans(history=True):
            if collect is not None:
                self._accumulate(collect, span)
            if len(span.orders.placed):
                pending.append(span)
                pending_orders += len(span.orders.placed)
            if pending_orders >= rows:
                yield from self._chunk_tables(pending)
                pending, pending_orders = [], 0
        if pending:
            yield from self._chunk_tables(pending)
        if customers_last:
            if collect is not None:
                self.__dict__["aggregates"] = collect  # what pass 1 would have found
            yield from self._customer_chunks()

    def _customer_chunks(self) -> Iterator[TableChunk]:
        for k in range(-(-self.size.customers // CUSTOMER_BLOCK)):
            block = self._customer_block(k)
            yield TableChunk("customers", len(block.first), _bound(customer_columns, block))

    def _chunk_tables(self, spans: list[_Span]) -> Iterator[TableChunk]:
        orders = _cat([s.orders for s in spans])
        items = _cat([s.items for s in spans])
        events = _cat([s.events for s in spans if s.events is not None])
        people = self.people
        yield TableChunk("orders", len(orders.placed), lambda a, b: order_columns(people, orders, a, b))
        yield TableChunk("order_items", len(items.order_id), _bound(item_columns, items))
        yield TableChunk("order_status_events", len(events.order_id), _bound(event_columns, events))

    def _spans(self, *, history: bool) -> Iterator[_Span]:
        status_counts = np.zeros(len(ORDER_STATUSES), dtype=np.int64)
        offsets = [0, 0, 0]
        for s in range(self.spans):
            span = self._span(s, offsets, status_counts if s == self.last_span else None, history=history)
            status_counts += np.bincount(span.orders.status, minlength=len(ORDER_STATUSES))
            offsets[0] += len(span.orders.placed)
            offsets[1] += len(span.items.order_id)
            offsets[2] += span.event_count
            yield span

    def _span(self, s: int, offsets: list[int], status_before: I64 | None, *, history: bool) -> _Span:
        """The orders placed on the span's days, with their items and (`history`) status events."""
        rng = _rng(self.seed, _TAG_ORDERS, s)
        d0 = s * self.span_days
        d1 = min(d0 + self.span_days, HISTORY_DAYS)
        g0, g1 = int(self.first_start[s]), int(self.first_start[s + 1])
        extra = self.extra_per_day[d0:d1]
        others = self.buyer_ids[_pick(rng, self.buyer_cum, int(extra.sum()))]
        customer = np.concatenate([self.first_buyer[g0:g1], others]).astype(np.int64)
        day = np.concatenate([self.first_day[g0:g1], np.repeat(np.arange(d0, d1), extra)]).astype(np.int64)
        n = len(customer)
        # evening-heavy hours
        hour = _sample(rng, _HOUR_WEIGHTS, n)
        second = rng.integers(0, 3600, n)
        placed = self.start_us + day * DAY + hour * HOUR + second * SECOND
        by_time = np.argsort(placed, kind="stable")  # order ids follow time
        placed, customer = placed[by_time], customer[by_time]

        age = self.anchor_us - placed
        bracket = np.searchsorted(_AGE_BRACKETS_US, age, side="right")
        u = rng.random(n)
        status = (u[:, None] >= _CUM_STATUS[bracket]).sum(axis=1).astype(np.int64)
        if status_before is not None:
            _ensure_every_status(status, bracket, status_before)
        delay = _STATUS_DELAY_S[status]
        delay_s = delay[:, 0] + (rng.random(n) * (delay[:, 1] - delay[:, 0])).astype(np.int64)
        updated = np.minimum(placed + delay_s * SECOND, self.anchor_us)

        # Items: ~mean_items_per_order lines per order, popular products more often, no product twice.
        n_products = self.size.products
        lines = 1 + np.minimum(rng.poisson(max(self.size.mean_items_per_order - 1.0, 0.0), n), 11)
        lines = np.minimum(lines, n_products).astype(np.int64)
        local = np.repeat(np.arange(n, dtype=np.int64), lines)
        product = _pick(rng, self.product_cum, len(local))
        for _ in range(50):
            key = local * n_products + product
            by_key = np.argsort(key, kind="stable")
            sorted_key = key[by_key]
            dup = by_key[1:][sorted_key[1:] == sorted_key[:-1]]
            if len(dup) == 0:
                break
            product[dup] = (product[dup] + rng.integers(1, max(n_products, 2), len(dup))) % n_products
        else:  # pragma: no cover - only with absurd sizes
            raise RuntimeError("could not make order lines distinct")
        m = len(local)
        quantity = 1 + _sample(rng, [0.74, 0.16, 0.05, 0.025, 0.015, 0.01], m)
        discount = np.where(rng.random(m) < 0.12, rng.choice([10, 15, 20, 25, 30], m), 0)
        price = self.products.price[product] * (100 - discount) // 100
        starts = np.cumsum(lines) - lines
        total = np.add.reduceat(quantity * price, starts) if n else np.zeros(0, dtype=np.int64)

        order_offset, item_offset, event_offset = offsets
        orders = Orders(order_offset, customer, placed, status, total.astype(np.int64), updated)
        items = Items(item_offset, order_offset + 1 + local, product + 1, customer[local], quantity, price)

        history_rng = _rng(self.seed, _TAG_HISTORY, s)
        shape = _event_shape(history_rng, status)
        events = None
        if history:
            index, to_status, changed_at, first = _events(history_rng, shape, orders)
            events = Events(event_offset, order_offset + 1 + index, customer[index], to_status, changed_at, first)
        return _Span(orders, items, events, int(shape.counts.sum()))

    def _customer_block(self, k: int) -> Customers:
        """Customers k * CUSTOMER_BLOCK ...: their own columns drawn, their order figures from pass 1."""
        agg, p = self.aggregates, self.people
        a = k * CUSTOMER_BLOCK
        b = min(self.size.customers, a + CUSTOMER_BLOCK)
        n = b - a
        rng = _rng(self.seed, _TAG_CUSTOMERS, k)
        start_us, anchor_us = self.start_us, self.anchor_us

        first, last = p.first[a:b], p.last[a:b]
        style = _sample(rng, [0.45, 0.25, 0.2, 0.1], n)
        capital = (rng.random(n) < 0.05).astype(np.int64)
        n_first, n_last = len(vocab.FIRST_NAMES), len(vocab.LAST_NAMES)
        email_prefix = ((style * 2 + capital) * n_first + first.astype(np.int64)) * n_last + last.astype(np.int64)
        domain = _sample(rng, [w for _, w in vocab.EMAIL_DOMAINS], n)

        countries = vocab.COUNTRIES
        country = p.country[a:b].astype(np.int64)
        # One uniform draw per customer picks the prefix (its whole part) and the subscriber digits (the rest).
        choices = np.array([len(c.mobile) for c in countries], dtype=np.int64)[country]
        offset = np.concatenate([[0], np.cumsum([len(c.mobile) for c in countries])[:-1]]).astype(np.int64)[country]
        prefix_value = np.array([int(p) for c in countries for p, _ in c.mobile], dtype=np.int64)
        prefix_digits = np.array([d for c in countries for _, d in c.mobile], dtype=np.int64)
        scaled = rng.random(n) * choices
        pick = np.minimum(scaled.astype(np.int64), choices - 1)
        scale = 10 ** prefix_digits[offset + pick]
        subscriber = np.minimum(((scaled - pick) * scale).astype(np.int64), scale - 1)
        phone = prefix_value[offset + pick] * scale + subscriber
        has_phone = rng.random(n) < 0.78

        total_orders = agg.orders[a:b]
        has_counted = total_orders > 0
        any_last_s = agg.any_last[a:b].astype(np.int64)
        has_any = any_last_s >= 0
        any_first = start_us + agg.any_first[a:b].astype(np.int64) * SECOND
        any_last = start_us + any_last_s * SECOND
        # Signed up before the first order (often minutes before: at checkout); the rest any time.
        checkout = rng.random(n) < 0.45
        lead = np.where(checkout, rng.random(n) * 900, 3600 + rng.random(n) * 180 * 86400).astype(np.int64)
        never = start_us + (np.sqrt(rng.random(n)) * (anchor_us - start_us)).astype(np.int64)
        created = np.where(has_any, any_first - lead * SECOND, never) // SECOND * SECOND
        created = np.minimum(created, np.where(has_any, any_first - SECOND, anchor_us - SECOND))

        unsubscribed = rng.random(n) < 0.07
        unsubscribed_at = created + (rng.random(n) * (anchor_us - created)).astype(np.int64) // SECOND * SECOND
        email_consent = (rng.random(n) < 0.68) & ~unsubscribed
        dormant = ~has_any | (any_last < anchor_us - 365 * DAY)
        status = np.where(dormant & (rng.random(n) < 0.35), 1, 0)
        status = np.where(rng.random(n) < 0.03, 2, status).astype(np.int64)
        updated = np.maximum(created, np.where(has_any, any_last, created))
        updated = np.maximum(updated, np.where(unsubscribed, unsubscribed_at, created))

        return Customers(
            offset=a,
            first=first,
            last=last,
            email_prefix=email_prefix,
            domain=domain,
            country=country,
            city=p.city[a:b],
            phone=phone,
            has_phone=has_phone,
            status=status,
            email_consent=email_consent,
            unsubscribed=unsubscribed,
            unsubscribed_at=unsubscribed_at,
            created=created,
            updated=updated,
            total_spend=agg.spend[a:b],
            total_orders=total_orders,
            first_order=np.where(has_counted, start_us + agg.first[a:b].astype(np.int64) * SECOND, 0),
            last_order=np.where(has_counted, start_us + agg.last[a:b].astype(np.int64) * SECOND, 0),
            has_counted_order=has_counted,
        )


def generate(size: DemoSize, seed: int = 42, anchor: dt.datetime = DEFAULT_ANCHOR) -> DemoDataset:
    """The data set for (size, seed, anchor): its plan is drawn now, its rows as they are read."""
    return DemoDataset(size, seed, _unix_us(anchor))


def _rng(seed: int, tag: int, index: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64([seed, tag, index]))


def _cumulative(weights: npt.ArrayLike) -> F64:
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    cum /= cum[-1]
    return cum


def _pick(rng: np.random.Generator, cum: F64, n: int) -> I64:
    """n indices drawn with the weights whose normalised cumulative sums are `cum`."""
    u = rng.random(n)
    # Searching sorted keys walks `cum` once instead of jumping around it: ~3x faster on large arrays.
    by_u = np.argsort(u)
    idx = np.empty(n, dtype=np.int64)
    idx[by_u] = np.searchsorted(cum, u[by_u], side="right")
    return np.minimum(idx, len(cum) - 1)


_T = TypeVar("_T", Orders, Items, Events)


def _cat(parts: list[_T]) -> _T:
    """Consecutive pieces of a table as one (the offset is the first piece's)."""
    if len(parts) == 1:
        return parts[0]
    arrays: dict[str, Any] = {
        f.name: np.concatenate([getattr(p, f.name) for p in parts])
        for f in dataclasses.fields(parts[0])
        if f.name != "offset"
    }
    return dataclasses.replace(parts[0], **arrays)


_C = TypeVar("_C")


def _bound(builder: Callable[[_C, int, int], list[Column]], chunk: _C) -> Callable[[int, int], list[Column]]:
    return lambda a, b: builder(chunk, a, b)


def _shifted(
    builder: Callable[[_C, int, int], list[Column]], data: _C, offset: int
) -> Callable[[int, int], list[Column]]:
    return lambda a, b: builder(data, offset + a, offset + b)


def _people(rng: np.random.Generator, n: int) -> People:
    first = _sample(rng, _zipf(len(vocab.FIRST_NAMES), 0.6), n).astype(np.int16)
    last = _sample(rng, _zipf(len(vocab.LAST_NAMES), 0.6), n).astype(np.int16)
    countries = vocab.COUNTRIES
    country = _sample(rng, [c.weight for c in countries], n)
    city_count = np.array([len(c.cities) for c in countries], dtype=np.int64)
    city_start = np.concatenate([[0], np.cumsum(city_count)[:-1]]).astype(np.int64)
    city = _within(rng, city_start[country], city_count[country]).astype(np.int16)
    street_no = (1 + np.minimum(rng.lognormal(3.5, 1.1, n).astype(np.int64), 9998)).astype(np.int16)
    street = rng.integers(0, len(vocab.STREETS), n).astype(np.int16)
    street_suffix = rng.integers(0, len(vocab.STREET_SUFFIXES), n).astype(np.int16)
    unit_kind = rng.integers(0, len(vocab.UNIT_PREFIXES), n).astype(np.int16)
    unit_no = np.where(rng.random(n) < 0.25, rng.integers(1, 60, n), 0).astype(np.int8)
    postal_random = rng.integers(0, 10**8, n).astype(np.int32)
    return People(
        first, last, country.astype(np.int16), city, street_no, street, street_suffix, unit_kind, unit_no, postal_random
    )


# ---------------------------------------------------------------- vocabularies (built once)


class _Vocabs:
    @cached_property
    def first(self) -> Vocab:
        return Vocab.of(vocab.FIRST_NAMES)

    @cached_property
    def last(self) -> Vocab:
        return Vocab.of(vocab.LAST_NAMES)

    @cached_property
    def email_prefix(self) -> Vocab:
        """Every local-part prefix: 4 styles x 2 (former) cases x first names x last names."""
        firsts = [vocab.ascii_slug(f) for f in vocab.FIRST_NAMES]
        lasts = [vocab.ascii_slug(s) for s in vocab.LAST_NAMES]
        words: list[str] = []
        for style in range(4):
            for _case in (False, True):
                for f in firsts:
                    for s in lasts:
                        # Emails are stored normalised (core.types.normalize_email), so the capitalised
                        # variants are kept only to keep every later draw of the generator the same.
                        f2, s2 = f, s
                        words.append((f"{f2}.{s2}", f"{f2}{s2}", f"{f2[0]}{s2}", f"{s2}.{f2}")[style])
        return Vocab.of(words)

    @cached_property
    def domain(self) -> Vocab:
        return Vocab.of([d for d, _ in vocab.EMAIL_DOMAINS])

    @cached_property
    def country(self) -> Vocab:
        return Vocab.of([c.code for c in vocab.COUNTRIES])

    @cached_property
    def dial_code(self) -> Vocab:
        return Vocab.of([f"+{c.dial_code}" for c in vocab.COUNTRIES])

    @cached_property
    def city(self) -> Vocab:
        return Vocab.of([city for c in vocab.COUNTRIES for city, _ in c.cities])

    @cached_property
    def postal(self) -> Vocab:
        return Vocab.of([tpl for c in vocab.COUNTRIES for _, tpl in c.cities])

    @cached_property
    def street(self) -> Vocab:
        return Vocab.of(vocab.STREETS)

    @cached_property
    def street_suffix(self) -> Vocab:
        return Vocab.of(vocab.STREET_SUFFIXES)

    @cached_property
    def unit(self) -> Vocab:
        return Vocab.of(vocab.UNIT_PREFIXES)

    @cached_property
    def customer_status(self) -> Vocab:
        return Vocab.of(CUSTOMER_STATUSES)

    @cached_property
    def order_status(self) -> Vocab:
        return Vocab.of(ORDER_STATUSES)

    @cached_property
    def category(self) -> Vocab:
        return Vocab.of([c.name for c in vocab.CATEGORIES])

    @cached_property
    def sku_prefix(self) -> Vocab:
        return Vocab.of([f"{c.sku_prefix}-" for c in vocab.CATEGORIES])

    @cached_property
    def adjective(self) -> Vocab:
        return Vocab.of([f"{a} " for a in vocab.PRODUCT_ADJECTIVES])

    @cached_property
    def modifier(self) -> Vocab:
        return Vocab.of([f"{m} " for m in vocab.PRODUCT_MODIFIERS])

    @cached_property
    def noun(self) -> Vocab:
        return Vocab.of([n for c in vocab.CATEGORIES for n in c.nouns])


VOCABS = _Vocabs()


# ---------------------------------------------------------------- generation


def _sample(rng: np.random.Generator, weights: npt.ArrayLike, n: int) -> I64:
    """n indices drawn with the given (unnormalised) weights."""
    w = np.asarray(weights, dtype=np.float64)
    cum = np.cumsum(w)
    cum /= cum[-1]
    idx = np.searchsorted(cum, rng.random(n), side="right")
    return np.minimum(idx, len(w) - 1).astype(np.int64)


def _within(rng: np.random.Generator, start: I64, count: I64) -> I64:
    """For each row, a uniform index in [start, start + count)."""
    return start + np.minimum((rng.random(len(start)) * count).astype(np.int64), count - 1)


def _zipf(n: int, exponent: float) -> npt.NDArray[np.float64]:
    return np.asarray(1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent)


def _day_weights(start: dt.date, days: int) -> npt.NDArray[np.float64]:
    """Relative order volume per day: growth, seasons (Nov/Dec peak, Black Friday), weekly rhythm."""
    month = {1: 0.8, 2: 0.78, 3: 0.88, 4: 0.9, 5: 0.95, 6: 0.92, 7: 0.88, 8: 0.93, 9: 0.98, 10: 1.05, 11: 1.5, 12: 1.6}
    weekday = (1.08, 1.0, 0.98, 0.98, 0.95, 0.88, 1.12)  # Monday .. Sunday
    out = np.empty(days, dtype=np.float64)
    for i in range(days):
        d = start + dt.timedelta(days=i)
        w = (0.55 + 0.45 * i / days) * month[d.month] * weekday[d.weekday()]
        # Black Friday (4th Friday of November) to Cyber Monday
        first = dt.date(d.year, 11, 1)
        black_friday = first + dt.timedelta(days=(4 - first.weekday()) % 7 + 21)
        if black_friday <= d <= black_friday + dt.timedelta(days=3):
            w *= 2.6
        elif dt.date(d.year, 12, 10) <= d <= dt.date(d.year, 12, 20):
            w *= 1.3  # last shipping days before Christmas
        out[i] = w
    return out


_HOUR_WEIGHTS = (
    0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.55, 0.8, 0.95, 1.0, 1.05,
    1.2, 1.15, 1.0, 0.95, 0.95, 1.05, 1.25, 1.45, 1.5, 1.35, 0.95, 0.5,
)  # fmt: skip

# Status mix by age of the order: recent ones still open, old ones delivered (or cancelled/refunded).
# Columns follow OrderStatus: pending, paid, processing, shipped, delivered, cancelled, refunded.
_AGE_BRACKETS_US = np.array([1 * DAY, 3 * DAY, 10 * DAY, 60 * DAY], dtype=np.int64)
_STATUS_BY_AGE = np.array(
    [
        [0.45, 0.25, 0.20, 0.00, 0.00, 0.10, 0.00],  # < 1 day
        [0.05, 0.20, 0.35, 0.32, 0.00, 0.08, 0.00],  # 1-3 days
        [0.00, 0.00, 0.05, 0.45, 0.43, 0.05, 0.02],  # 3-10 days
        [0.00, 0.00, 0.00, 0.03, 0.85, 0.06, 0.06],  # 10-60 days
        [0.00, 0.00, 0.00, 0.00, 0.89, 0.06, 0.05],  # older
    ]
)
# How long after placing each status was reached (updated_at), seconds [low, high).
_STATUS_DELAY_S = np.array(
    [[0, 600], [60, 1800], [3600, 86400], [86400, 3 * 86400], [3 * 86400, 9 * 86400], [0, 2 * 86400],
     [10 * 86400, 30 * 86400]],
    dtype=np.int64,
)  # fmt: skip
# A cancelled order was cancelled at least 5 minutes after it was placed (its history needs the room).
_STATUS_DELAY_S[_STATUS_INDEX[OrderStatus.cancelled.value], 0] = 300

# Status history. The fulfilment chain is pending -> paid -> processing -> shipped -> delivered (codes
# 0..4, as in ORDER_STATUSES); cancelled leaves it from pending/paid/processing, refunded from
# paid/processing/shipped/delivered. Some orders arrive already paid (card captured at checkout).
_CANCELLED = _STATUS_INDEX[OrderStatus.cancelled.value]
_REFUNDED = _STATUS_INDEX[OrderStatus.refunded.value]
_ARRIVES_PAID = 0.35
_CANCELLED_FROM = np.array([0.45, 0.35, 0.20, 0.0, 0.0])  # share of cancellations per chain status left
_REFUNDED_FROM = np.array([0.0, 0.10, 0.10, 0.20, 0.60])
# Typical time to reach each status from the previous one, seconds (median of a log-normal, spread 0.6).
# Only the proportions matter: the steps are scaled to end exactly when the order got its status.
_STEP_MEDIAN_S = np.array([0, 300, 4 * 3600, 30 * 3600, 3 * 86400, 6 * 3600, 7 * 86400], dtype=np.float64)


_CUM_STATUS = np.cumsum(_STATUS_BY_AGE, axis=1)[:, :-1]


def _ensure_every_status(status: I64, bracket: npt.NDArray[np.intp], before: I64) -> None:
    """Tiny data sets may miss a status by chance; give each missing one to a plausible order.

    Runs on the last span with orders; `before` counts the statuses of the spans before it.
    """
    for code in range(len(ORDER_STATUSES)):
        counts = before + np.bincount(status, minlength=len(ORDER_STATUSES))
        if len(status) == 0 or counts[code] > 0:
            continue
        plausible = (_STATUS_BY_AGE[bracket, code] > 0) & (counts[status] > 1)
        candidates = np.flatnonzero(plausible)
        if len(candidates) == 0:
            candidates = np.flatnonzero(counts[status] > 1)
        if len(candidates):
            status[candidates[-1]] = code


@dataclass
class _EventShape:
    terminal: Bools
    chain_start: I64
    chain_end: I64
    counts: I64  # events per order


def _event_shape(rng: np.random.Generator, status: I64) -> _EventShape:
    """How many events each order has: its path along the fulfilment chain (pass 1 needs only the count)."""
    n = len(status)
    terminal = (status == _CANCELLED) | (status == _REFUNDED)
    # Last chain status reached: the status itself, or where the order left the chain.
    chain_end = np.where(terminal, 0, status)
    cancelled, refunded = status == _CANCELLED, status == _REFUNDED
    chain_end[cancelled] = _sample(rng, _CANCELLED_FROM, int(cancelled.sum()))
    chain_end[refunded] = _sample(rng, _REFUNDED_FROM, int(refunded.sum()))
    chain_start = ((rng.random(n) < _ARRIVES_PAID) & (chain_end >= 1)).astype(np.int64)
    counts = chain_end - chain_start + 1 + terminal
    return _EventShape(terminal, chain_start, chain_end, counts.astype(np.int64))


def _events(
    rng: np.random.Generator, shape: _EventShape, orders: Orders
) -> tuple[I64, npt.NDArray[np.int8], I64, Bools]:
    """The path each order took to its status, ending exactly at its updated_at.

    Returns per event row: the order's index in `orders`, to_status, changed_at, whether it is the
    order's first. The first event (from NULL to pending, or to paid) is at placed_at; each later one
    follows the previous by a scaled step, so times strictly increase and never pass the anchor
    (updated_at does not).
    """
    status, n = orders.status, len(orders.status)
    terminal, chain_start, counts = shape.terminal, shape.chain_start, shape.counts
    total = int(counts.sum())

    order_index = np.repeat(np.arange(n, dtype=np.int64), counts)
    first_row = np.cumsum(counts) - counts
    step = np.arange(total, dtype=np.int64) - first_row[order_index]  # 0 for the first event of an order
    to_status = chain_start[order_index] + step
    last = step == counts[order_index] - 1
    to_status = np.where(last & terminal[order_index], status[order_index], to_status)

    # Times: step durations drawn around their typical value, scaled to fill placed_at .. updated_at,
    # in whole seconds when the span allows (at least one second per step) and microseconds otherwise.
    weight = _STEP_MEDIAN_S[to_status] * np.exp(rng.normal(0.0, 0.6, total))
    weight[step == 0] = 0.0
    weight_sum = np.add.reduceat(weight, first_row) if n else np.zeros(0)
    steps = counts - 1
    span = orders.updated - orders.placed
    unit = np.where(span >= steps * SECOND, SECOND, 1)
    spare = span // unit - steps  # units left after one per step
    share = np.divide(weight, weight_sum[order_index], out=np.zeros(total), where=weight_sum[order_index] > 0)
    increment = np.where(step > 0, 1 + np.floor(share * spare[order_index]).astype(np.int64), 0)
    offset = (np.cumsum(increment) - np.cumsum(increment)[first_row][order_index]) * unit[order_index]
    changed_at = orders.placed[order_index] + offset
    # The last step takes what rounding left, so a changed order's history ends at its updated_at.
    changed_at = np.where(last & (step > 0), orders.updated[order_index], changed_at)
    return order_index, to_status.astype(np.int8), changed_at, step == 0


def _unix_us(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("anchor must be timezone-aware")
    delta = moment.astimezone(dt.UTC) - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def _products(rng: np.random.Generator, n: int, start_us: int, anchor_us: int) -> Products:
    cats = vocab.CATEGORIES
    category = _sample(rng, [c.weight for c in cats], n)
    noun_count = np.array([len(c.nouns) for c in cats], dtype=np.int64)
    noun_start = np.concatenate([[0], np.cumsum(noun_count)[:-1]]).astype(np.int64)
    noun = _within(rng, noun_start[category], noun_count[category])
    adjective = rng.integers(0, len(vocab.PRODUCT_ADJECTIVES), n).astype(np.int64)
    modifier = rng.integers(0, len(vocab.PRODUCT_MODIFIERS), n).astype(np.int64)
    low = np.log(np.array([c.price_low for c in cats]))[category]
    high = np.log(np.array([c.price_high for c in cats]))[category]
    dollars = np.maximum(np.floor(np.exp(low + rng.random(n) * (high - low))).astype(np.int64), 1)
    ending_kind = _sample(rng, [0.5, 0.2, 0.15, 0.15], n)  # .99, .95, .49, anything
    endings = np.where(ending_kind == 0, 99, np.where(ending_kind == 1, 95, np.where(ending_kind == 2, 49, 0)))
    endings = np.where(ending_kind == 3, rng.integers(0, 100, n), endings)
    price = dollars * 100 + endings
    cost = np.clip((price * (0.3 + 0.42 * rng.random(n))).astype(np.int64), 1, price - 1)
    threshold = np.array([c.low_stock_threshold for c in cats], dtype=np.int64)[category]
    lead = np.array([c.reorder_lead_days for c in cats], dtype=np.int64)[category]
    u = rng.random(n)
    healthy = threshold + np.minimum(np.floor(rng.lognormal(np.log(60.0), 1.0, n)).astype(np.int64), 5000)
    below = 1 + np.minimum((rng.random(n) * (threshold - 1)).astype(np.int64), np.maximum(threshold - 2, 0))
    stock = np.where(u < 0.07, 0, np.where(u < 0.20, below, healthy))
    created = start_us - (rng.random(n) * 400 * DAY).astype(np.int64) // SECOND * SECOND
    updated = created + (rng.random(n) * (anchor_us - created)).astype(np.int64) // SECOND * SECOND
    return Products(category, adjective, modifier, noun, price, cost, stock, threshold, lead, created, updated)


# ---------------------------------------------------------------- columns per table (rows a..b of a chunk)
# Fixed-width columns first: the binary COPY encoder lays them out as one block per row.


def product_columns(p: Products, a: int, b: int) -> list[Column]:
    v = VOCABS
    ids = np.arange(a + 1, b + 1, dtype=np.int64)
    cat = p.category[a:b]
    return [
        num("id", "int8", ids),
        num("price", "numeric", p.price[a:b]),
        num("cost", "numeric", p.cost[a:b]),
        num("stock", "int4", p.stock[a:b]),
        num("low_stock_threshold", "int4", p.low_stock_threshold[a:b]),
        num("reorder_lead_days", "int4", p.reorder_lead_days[a:b]),
        num("created_at", "timestamptz", p.created[a:b]),
        num("updated_at", "timestamptz", p.updated[a:b]),
        text("name", v.adjective.pick(p.adjective[a:b]), v.modifier.pick(p.modifier[a:b]), v.noun.pick(p.noun[a:b])),
        text("sku", v.sku_prefix.pick(cat), digits(ids, width=6)),
        text("category", v.category.pick(cat)),
    ]


def customer_columns(c: Customers, a: int, b: int) -> list[Column]:
    v = VOCABS
    ids = np.arange(c.offset + a + 1, c.offset + b + 1, dtype=np.int64)
    no_order = ~c.has_counted_order[a:b]
    return [
        num("id", "int8", ids),
        num("total_spend", "numeric", c.total_spend[a:b]),
        num("total_orders", "int4", c.total_orders[a:b]),
        num("first_order_at", "timestamptz", c.first_order[a:b], null=no_order),
        num("last_order_at", "timestamptz", c.last_order[a:b], null=no_order),
        num("email_consent", "bool", c.email_consent[a:b]),
        num("unsubscribed_at", "timestamptz", c.unsubscribed_at[a:b], null=~c.unsubscribed[a:b]),
        num("created_at", "timestamptz", c.created[a:b]),
        num("updated_at", "timestamptz", c.updated[a:b]),
        text("first_name", v.first.pick(c.first[a:b])),
        text("last_name", v.last.pick(c.last[a:b])),
        text("email", v.email_prefix.pick(c.email_prefix[a:b]), digits(ids), const("@"), v.domain.pick(c.domain[a:b])),
        text("phone", v.dial_code.pick(c.country[a:b]), digits(c.phone[a:b]), null=~c.has_phone[a:b]),
        text("status", v.customer_status.pick(c.status[a:b])),
        text("city", v.city.pick(c.city[a:b])),
        text("country", v.country.pick(c.country[a:b])),
    ]


def order_columns(people: People, o: Orders, a: int, b: int) -> list[Column]:
    v = VOCABS
    ids = np.arange(o.offset + a + 1, o.offset + b + 1, dtype=np.int64)
    cust = o.customer_id[a:b]
    ci = cust - 1
    unit_no = people.unit_no[ci]
    address: list[Part] = [
        digits(people.street_no[ci]),
        const(" "),
        v.street.pick(people.street[ci]),
        const(" "),
        v.street_suffix.pick(people.street_suffix[ci]),
    ]
    city = people.city[ci]
    return [
        num("id", "int8", ids),
        num("customer_id", "int8", cust),
        num("placed_at", "timestamptz", o.placed[a:b]),
        num("total_amount", "numeric", o.total[a:b]),
        num("created_at", "timestamptz", o.placed[a:b]),
        num("updated_at", "timestamptz", o.updated[a:b]),
        text("order_number", const("SO-"), digits(ids + 100_000)),
        text("status", v.order_status.pick(o.status[a:b])),
        text("currency", const("USD")),
        text("shipping_name", v.first.pick(people.first[ci]), const(" "), v.last.pick(people.last[ci])),
        text("shipping_address1", *address),
        text("shipping_address2", v.unit.pick(people.unit_kind[ci]), digits(unit_no), null=unit_no == 0),
        text("shipping_city", v.city.pick(city)),
        text("shipping_postal_code", template_fill(v.postal, city, people.postal_random[ci].astype(np.int64))),
        text("shipping_country", v.country.pick(people.country[ci])),
    ]


def item_columns(i: Items, a: int, b: int) -> list[Column]:
    return [
        num("id", "int8", np.arange(i.offset + a + 1, i.offset + b + 1, dtype=np.int64)),
        num("order_id", "int8", i.order_id[a:b]),
        num("product_id", "int8", i.product_id[a:b]),
        num("customer_id", "int8", i.customer_id[a:b]),
        num("quantity", "int4", i.quantity[a:b]),
        num("price", "numeric", i.price[a:b]),
    ]


def event_columns(e: Events, a: int, b: int) -> list[Column]:
    v = VOCABS
    first = e.first[a:b]
    # from_status: the previous row's to_status (the same order's previous event unless this is its first).
    previous = np.zeros(b - a, dtype=np.int8)
    if b > a:
        previous[1:] = e.to_status[a : b - 1]
        previous[0] = e.to_status[a - 1] if a > 0 else 0
    return [
        num("id", "int8", np.arange(e.offset + a + 1, e.offset + b + 1, dtype=np.int64)),
        num("order_id", "int8", e.order_id[a:b]),
        num("customer_id", "int8", e.customer_id[a:b]),
        num("changed_at", "timestamptz", e.changed_at[a:b]),
        text("from_status", v.order_status.pick(previous), null=first),
        text("to_status", v.order_status.pick(e.to_status[a:b])),
    ]


LOAD_ORDER: tuple[str, ...] = ("products", "customers", "orders", "order_items", "order_status_events")


@cache
def table_columns() -> dict[str, list[Column]]:
    """Each table's columns (names and kinds, no rows), from a one-order probe."""
    probe = generate(DemoSize("probe", customers=1, orders=1, products=1))
    columns: dict[str, list[Column]] = {}
    for chunk in probe.chunks():
        columns.setdefault(chunk.table, chunk.columns(0, 0))
    return {t: columns[t] for t in LOAD_ORDER}
