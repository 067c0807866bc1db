"""Hand-written driver SQL with named parameters."""

from __future__ import annotations

import pytest

from shopcrm.core.driver import DriverSQL


def test_driver_sql_binds_by_name_and_leaves_casts_alone():
    stmt = DriverSQL("test.stmt", "SELECT :b::int + :a::int, :b, 'x::y', ARRAY[:a]::int[]")
    assert stmt.sql == "SELECT $1::int + $2::int, $1, 'x::y', ARRAY[$2]::int[]"
    assert stmt.args({"a": 1, "b": 2}) == [2, 1]
    with pytest.raises(TypeError, match="missing \\['a'\\], unexpected \\['c'\\]"):
        stmt.args({"b": 2, "c": 3})
