"""The demo data set as numpy arrays: deterministic for a seed, realistic, consistent.

Everything random is drawn here, up front, from one `Generator(PCG64(seed))` in a fixed order, and
every time is relative to a fixed anchor date, so the same seed gives the same data on any machine
and any database. The column builders at the bottom turn a slice of rows into `Column`s; they draw
nothing, so chunking never changes the data.

Money is integer cents throughout; times are integer microseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from shopcrm.demo import vocab
from shopcrm.demo.encoding import Column, Part, Vocab, const, digits, num, template_fill, text
from shopcrm.orders.models import UNCOUNTED_STATUSES, OrderStatus

I64 = npt.NDArray[np.int64]
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


@dataclass(frozen=True)
class DemoSize:
    """How much to generate, and how to load it.

    `bulk` selects the PostgreSQL bulk-load technique (drop secondary indexes and foreign keys,
    COPY, recreate them); it is what `large` uses and what a test can run at a reduced scale.
    """

    name: str
    customers: int
    orders: int
    products: int
    mean_items_per_order: float = 3.0
    bulk: bool = False
    chunk_rows: int = 200_000

    @property
    def postgres_only(self) -> bool:
        return self.bulk


SIZES: dict[str, DemoSize] = {
    "small": DemoSize("small", customers=2_000, orders=10_000, products=300),
    "large": DemoSize("large", customers=1_000_000, orders=5_000_000, products=50_000, bulk=True),
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
class Customers:
    first: I64
    last: I64
    email_prefix: I64  # index into the local-part vocabulary (style x first x last x case)
    domain: I64
    country: I64
    city: I64  # index into the flattened city vocabulary
    phone: I64  # national number
    has_phone: Bools
    status: I64
    email_consent: Bools
    unsubscribed: Bools
    unsubscribed_at: I64
    created: I64
    updated: I64
    total_spend: I64
    total_orders: I64
    first_order: I64
    last_order: I64
    has_counted_order: Bools
    street_no: I64
    street: I64
    street_suffix: I64
    unit_kind: I64
    unit_no: I64  # 0: no second address line
    postal_random: I64


@dataclass
class Orders:
    customer_id: I64
    placed: I64
    status: I64
    total: I64
    updated: I64


@dataclass
class Items:
    order_id: I64
    product_id: I64
    customer_id: I64
    quantity: I64
    price: I64


@dataclass
class Events:
    """Each order's status history, rows grouped by order (ascending) and in time order within one.

    `from_status` is the previous row's `to_status` within the order (NULL on its first row), so it is
    derived when columns are built rather than stored.
    """

    order_id: I64
    to_status: npt.NDArray[np.int8]
    changed_at: I64
    first: Bools  # the order's first event (from_status NULL)


@dataclass
class DemoDataset:
    size: DemoSize
    seed: int
    anchor_us: int
    products: Products
    customers: Customers
    orders: Orders
    items: Items
    events: Events

    @property
    def counts(self) -> dict[str, int]:
        return {
            "products": len(self.products.price),
            "customers": len(self.customers.first),
            "orders": len(self.orders.placed),
            "order_items": len(self.items.order_id),
            "order_status_events": len(self.events.order_id),
        }


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


def _unix_us(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("anchor must be timezone-aware")
    delta = moment.astimezone(dt.UTC) - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def generate(size: DemoSize, seed: int = 42, anchor: dt.datetime = DEFAULT_ANCHOR) -> DemoDataset:
    """Draw the whole data set. Deterministic in (size, seed, anchor)."""
    if size.customers < 1 or size.products < 1 or size.orders < 0:
        raise ValueError("a demo size needs at least one customer and one product")
    rng = np.random.Generator(np.random.PCG64(seed))
    anchor_us = _unix_us(anchor)
    start_us = anchor_us - HISTORY_DAYS * DAY
    products = _products(rng, size.products, start_us, anchor_us)
    orders, items = _orders_and_items(rng, size, products, start_us, anchor_us)
    customers = _customers(rng, size.customers, orders, start_us, anchor_us)
    events = _events(rng, orders)
    return DemoDataset(size, seed, anchor_us, products, customers, orders, items, events)


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


def _orders_and_items(
    rng: np.random.Generator, size: DemoSize, products: Products, start_us: int, anchor_us: int
) -> tuple[Orders, Items]:
    n_customers, n_orders = size.customers, size.orders
    # Who buys and how often: ~20% never ordered; order counts log-normal (a few big spenders).
    is_buyer = rng.random(n_customers) < 0.8
    buyer_ids = np.flatnonzero(is_buyer).astype(np.int64) + 1
    if len(buyer_ids) > n_orders:
        buyer_ids = buyer_ids[:n_orders]
    if len(buyer_ids) == 0 and n_orders > 0:
        buyer_ids = np.array([1], dtype=np.int64)
    weights = np.minimum(np.exp(rng.normal(0.0, 1.0, len(buyer_ids))), 40.0)
    extra = rng.multinomial(n_orders - len(buyer_ids), weights / weights.sum()) if len(buyer_ids) else np.zeros(0)
    counts = (1 + extra).astype(np.int64)
    customer_of = np.repeat(buyer_ids, counts)

    # When: seasonal days (growth, Nov/Dec peak, Black Friday, weekly rhythm), evening-heavy hours.
    day_w = _day_weights((dt.datetime.fromtimestamp(start_us / SECOND, dt.UTC)).date(), HISTORY_DAYS)
    day = _sample(rng, day_w, n_orders)
    hour = _sample(rng, _HOUR_WEIGHTS, n_orders)
    second = rng.integers(0, 3600, n_orders)
    placed = start_us + day * DAY + hour * HOUR + second * SECOND

    # Order ids follow time.
    perm = np.argsort(placed, kind="stable")
    placed = placed[perm]
    customer_of = customer_of[perm]

    age = anchor_us - placed
    bracket = np.searchsorted(_AGE_BRACKETS_US, age, side="right")
    cum_status = np.cumsum(_STATUS_BY_AGE, axis=1)[:, :-1]
    u = rng.random(n_orders)
    status = (u[:, None] >= cum_status[bracket]).sum(axis=1).astype(np.int64)
    _ensure_every_status(status, bracket)
    delay = _STATUS_DELAY_S[status]
    delay_s = delay[:, 0] + (rng.random(n_orders) * (delay[:, 1] - delay[:, 0])).astype(np.int64)
    updated = np.minimum(placed + delay_s * SECOND, anchor_us)

    # Items: ~mean_items_per_order lines per order, popular products more often, no product twice.
    n_products = len(products.price)
    lines = 1 + np.minimum(rng.poisson(max(size.mean_items_per_order - 1.0, 0.0), n_orders), 11)
    lines = np.minimum(lines, n_products).astype(np.int64)
    order_id = np.repeat(np.arange(1, n_orders + 1, dtype=np.int64), lines)
    # Popularity: a long tail, and cheaper products sell more often.
    relative_price = products.price / np.median(products.price)
    popularity = _zipf(n_products, 0.85)[rng.permutation(n_products)] * relative_price**-0.7
    product = _sample(rng, popularity, len(order_id))
    for _ in range(50):
        key = order_id * n_products + product
        by_key = np.argsort(key, kind="stable")
        sorted_key = key[by_key]
        dup = by_key[1:][sorted_key[1:] == sorted_key[:-1]]
        if len(dup) == 0:
            break
        product[dup] = (product[dup] + rng.integers(1, max(n_products, 2), len(dup))) % n_products
    else:  # pragma: no cover - only with absurd sizes
        raise RuntimeError("could not make order lines distinct")
    quantity = 1 + _sample(rng, [0.74, 0.16, 0.05, 0.025, 0.015, 0.01], len(order_id))
    discount = np.where(rng.random(len(order_id)) < 0.12, rng.choice([10, 15, 20, 25, 30], len(order_id)), 0)
    price = products.price[product] * (100 - discount) // 100
    line_total = quantity * price
    starts = np.cumsum(lines) - lines
    total = np.add.reduceat(line_total, starts) if n_orders else np.zeros(0, dtype=np.int64)
    item_customer = customer_of[order_id - 1]

    orders = Orders(customer_of, placed, status, total.astype(np.int64), updated)
    items = Items(order_id, product + 1, item_customer, quantity, price)
    return orders, items


def _ensure_every_status(status: I64, bracket: npt.NDArray[np.intp]) -> None:
    """Tiny data sets may miss a status by chance; give each missing one to a plausible order."""
    for code in range(len(ORDER_STATUSES)):
        if len(status) == 0 or (status == code).any():
            continue
        counts = np.bincount(status, minlength=len(ORDER_STATUSES))
        plausible = (_STATUS_BY_AGE[bracket, code] > 0) & (counts[status] > 1)
        candidates = np.flatnonzero(plausible)
        if len(candidates) == 0:
            candidates = np.flatnonzero(counts[status] > 1)
        if len(candidates):
            status[candidates[-1]] = code


def _events(rng: np.random.Generator, orders: Orders) -> Events:
    """The path each order took to its status, ending exactly at its updated_at.

    The first event (from NULL to pending, or to paid) is at placed_at; each later one follows the
    previous by a scaled step, so times strictly increase and never pass the anchor (updated_at does not).
    """
    status, n = orders.status, len(orders.status)
    terminal = (status == _CANCELLED) | (status == _REFUNDED)
    # Last chain status reached: the status itself, or where the order left the chain.
    chain_end = np.where(terminal, 0, status)
    cancelled, refunded = status == _CANCELLED, status == _REFUNDED
    chain_end[cancelled] = _sample(rng, _CANCELLED_FROM, int(cancelled.sum()))
    chain_end[refunded] = _sample(rng, _REFUNDED_FROM, int(refunded.sum()))
    chain_start = ((rng.random(n) < _ARRIVES_PAID) & (chain_end >= 1)).astype(np.int64)
    counts = chain_end - chain_start + 1 + terminal
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
    return Events(order_index + 1, to_status.astype(np.int8), changed_at, step == 0)


def _customers(rng: np.random.Generator, n: int, orders: Orders, start_us: int, anchor_us: int) -> Customers:
    cust = orders.customer_id
    counted = ~np.isin(orders.status, UNCOUNTED_CODES)
    total_orders = np.bincount(cust[counted], minlength=n + 1)[1:].astype(np.int64)
    spend = np.zeros(n + 1, dtype=np.int64)
    np.add.at(spend, cust[counted], orders.total[counted])
    big = np.iinfo(np.int64).max
    first_order = np.full(n + 1, big, dtype=np.int64)
    np.minimum.at(first_order, cust[counted], orders.placed[counted])
    last_order = np.full(n + 1, -1, dtype=np.int64)
    np.maximum.at(last_order, cust[counted], orders.placed[counted])
    any_first = np.full(n + 1, big, dtype=np.int64)
    np.minimum.at(any_first, cust, orders.placed)
    any_last = np.full(n + 1, -1, dtype=np.int64)
    np.maximum.at(any_last, cust, orders.placed)
    first_order, last_order, any_first, any_last = first_order[1:], last_order[1:], any_first[1:], any_last[1:]
    has_counted = total_orders > 0
    has_any = any_last >= 0

    first = _sample(rng, _zipf(len(vocab.FIRST_NAMES), 0.6), n)
    last = _sample(rng, _zipf(len(vocab.LAST_NAMES), 0.6), n)
    style = _sample(rng, [0.45, 0.25, 0.2, 0.1], n)
    capital = (rng.random(n) < 0.05).astype(np.int64)
    n_first, n_last = len(vocab.FIRST_NAMES), len(vocab.LAST_NAMES)
    email_prefix = ((style * 2 + capital) * n_first + first) * n_last + last
    domain = _sample(rng, [w for _, w in vocab.EMAIL_DOMAINS], n)

    countries = vocab.COUNTRIES
    country = _sample(rng, [c.weight for c in countries], n)
    city_count = np.array([len(c.cities) for c in countries], dtype=np.int64)
    city_start = np.concatenate([[0], np.cumsum(city_count)[:-1]]).astype(np.int64)
    city = _within(rng, city_start[country], city_count[country])
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

    street_no = 1 + np.minimum(rng.lognormal(3.5, 1.1, n).astype(np.int64), 9998)
    street = rng.integers(0, len(vocab.STREETS), n).astype(np.int64)
    street_suffix = rng.integers(0, len(vocab.STREET_SUFFIXES), n).astype(np.int64)
    unit_kind = rng.integers(0, len(vocab.UNIT_PREFIXES), n).astype(np.int64)
    unit_no = np.where(rng.random(n) < 0.25, rng.integers(1, 60, n), 0).astype(np.int64)
    postal_random = rng.integers(0, 10**8, n).astype(np.int64)

    return Customers(
        first=first,
        last=last,
        email_prefix=email_prefix,
        domain=domain,
        country=country,
        city=city,
        phone=phone,
        has_phone=has_phone,
        status=status,
        email_consent=email_consent,
        unsubscribed=unsubscribed,
        unsubscribed_at=unsubscribed_at,
        created=created,
        updated=updated,
        total_spend=spend[1:],
        total_orders=total_orders,
        first_order=np.where(has_counted, first_order, 0),
        last_order=np.where(has_counted, last_order, 0),
        has_counted_order=has_counted,
        street_no=street_no,
        street=street,
        street_suffix=street_suffix,
        unit_kind=unit_kind,
        unit_no=unit_no,
        postal_random=postal_random,
    )


# ---------------------------------------------------------------- columns per table (rows a..b)
# Fixed-width columns first: the binary COPY encoder lays them out as one block per row.


def product_columns(ds: DemoDataset, a: int, b: int) -> list[Column]:
    p, v = ds.products, VOCABS
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


def customer_columns(ds: DemoDataset, a: int, b: int) -> list[Column]:
    c, v = ds.customers, VOCABS
    ids = np.arange(a + 1, b + 1, dtype=np.int64)
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


def order_columns(ds: DemoDataset, a: int, b: int) -> list[Column]:
    o, c, v = ds.orders, ds.customers, VOCABS
    ids = np.arange(a + 1, b + 1, dtype=np.int64)
    cust = o.customer_id[a:b]
    ci = cust - 1
    unit_no = c.unit_no[ci]
    address: list[Part] = [
        digits(c.street_no[ci]),
        const(" "),
        v.street.pick(c.street[ci]),
        const(" "),
        v.street_suffix.pick(c.street_suffix[ci]),
    ]
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
        text("shipping_name", v.first.pick(c.first[ci]), const(" "), v.last.pick(c.last[ci])),
        text("shipping_address1", *address),
        text("shipping_address2", v.unit.pick(c.unit_kind[ci]), digits(unit_no), null=unit_no == 0),
        text("shipping_city", v.city.pick(c.city[ci])),
        text("shipping_postal_code", template_fill(v.postal, c.city[ci], c.postal_random[ci])),
        text("shipping_country", v.country.pick(c.country[ci])),
    ]


def item_columns(ds: DemoDataset, a: int, b: int) -> list[Column]:
    i = ds.items
    return [
        num("id", "int8", np.arange(a + 1, b + 1, dtype=np.int64)),
        num("order_id", "int8", i.order_id[a:b]),
        num("product_id", "int8", i.product_id[a:b]),
        num("customer_id", "int8", i.customer_id[a:b]),
        num("quantity", "int4", i.quantity[a:b]),
        num("price", "numeric", i.price[a:b]),
    ]


def event_columns(ds: DemoDataset, a: int, b: int) -> list[Column]:
    e, v = ds.events, VOCABS
    order_id = e.order_id[a:b]
    first = e.first[a:b]
    # from_status: the previous row's to_status (the same order's previous event unless this is its first).
    previous = np.zeros(b - a, dtype=np.int8)
    if b > a:
        previous[1:] = e.to_status[a : b - 1]
        previous[0] = e.to_status[a - 1] if a > 0 else 0
    return [
        num("id", "int8", np.arange(a + 1, b + 1, dtype=np.int64)),
        num("order_id", "int8", order_id),
        num("customer_id", "int8", ds.orders.customer_id[order_id - 1]),
        num("changed_at", "timestamptz", e.changed_at[a:b]),
        text("from_status", v.order_status.pick(previous), null=first),
        text("to_status", v.order_status.pick(e.to_status[a:b])),
    ]


TABLE_COLUMNS = {
    "products": product_columns,
    "customers": customer_columns,
    "orders": order_columns,
    "order_items": item_columns,
    "order_status_events": event_columns,
}
LOAD_ORDER: tuple[str, ...] = ("products", "customers", "orders", "order_items", "order_status_events")
