"""Rules every table follows, checked over the SQLAlchemy metadata so a new table cannot forget them."""

from __future__ import annotations

from sqlalchemy import BigInteger, DateTime, Float, Numeric

import shopcrm.models  # noqa: F401 - registers every table
from shopcrm.db import Base, UTCDateTime

TABLES = Base.metadata.tables


def test_every_table_has_a_primary_key_and_bigint_ids():
    for table in TABLES.values():
        assert table.primary_key.columns, f"{table.name} has no primary key"
        for column in table.columns:
            if column.name == "id" or column.name.endswith("_id"):
                assert isinstance(column.type, BigInteger), f"{table.name}.{column.name} is not BIGINT"


def test_money_is_numeric_12_2_and_nothing_is_float():
    money = {"total_spend", "total_amount", "price", "cost"}
    for table in TABLES.values():
        for column in table.columns:
            assert not isinstance(column.type, Float), f"{table.name}.{column.name} is a float"
            if column.name in money:
                assert isinstance(column.type, Numeric)
                assert (column.type.precision, column.type.scale) == (12, 2), f"{table.name}.{column.name}"


def test_times_are_timezone_aware():
    for table in TABLES.values():
        for column in table.columns:
            if isinstance(column.type, DateTime):
                raise AssertionError(f"{table.name}.{column.name} uses DateTime; use UTCDateTime")
            if isinstance(column.type, UTCDateTime):
                assert column.type.impl.timezone, f"{table.name}.{column.name}"


def test_customer_scoped_tables_carry_an_indexed_customer_id():
    for name in ("orders", "order_items", "segment_members", "segment_membership_events"):
        table = TABLES[name]
        assert "customer_id" in table.columns
        leading = {index.columns.values()[0].name for index in table.indexes if index.columns.values()}
        assert "customer_id" in leading, f"{name}.customer_id has no index leading with it"


def test_every_foreign_key_is_indexed():
    for table in TABLES.values():
        leading = {index.columns.values()[0].name for index in table.indexes if index.columns.values()}
        # A composite primary key is an index too, on its leading column.
        leading |= {table.primary_key.columns.values()[0].name} if table.primary_key.columns else set()
        for fk in table.foreign_keys:
            assert fk.parent.name in leading, f"{table.name}.{fk.parent.name} has no index"


def test_business_tables_have_timestamps():
    for name in ("customers", "orders", "products", "segments", "segment_rules", "users"):
        assert {"created_at", "updated_at"} <= set(TABLES[name].columns.keys()), name
