"""Named SQL of the inventory domain."""

from __future__ import annotations

# Every product's first ledger row: its stock as it stands, as an opening balance. Plain SQL that both
# engines and both drivers run as it is (the demo-data loader runs it on asyncpg's connection).
OPENING_BALANCES_SQL = (
    "INSERT INTO stock_movements (product_id, kind, quantity, stock_after, reason, created_at) "
    "SELECT id, 'opening', stock, stock, 'opening balance', CURRENT_TIMESTAMP FROM products ORDER BY id"
)
