"""Product table (the catalog and its stock)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, Identity, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shopcrm.db import Base, BigId, Money, TimestampMixin


class Product(TimestampMixin, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    price: Mapped[Decimal] = mapped_column(Money())
    cost: Mapped[Decimal | None] = mapped_column(Money())
    stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    category: Mapped[str] = mapped_column(String(64))
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    reorder_lead_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")

    __table_args__ = (
        CheckConstraint("price >= 0", name="price_nonnegative"),
        CheckConstraint("cost IS NULL OR cost >= 0", name="cost_nonnegative"),
        CheckConstraint("stock >= 0", name="stock_nonnegative"),
        CheckConstraint("low_stock_threshold >= 0", name="low_stock_threshold_nonnegative"),
        CheckConstraint("reorder_lead_days >= 0", name="reorder_lead_days_nonnegative"),
        Index("ix_products_category", "category"),
        Index("ix_products_name_sort", "name", "id"),
        Index("ix_products_price_sort", "price", "id"),
        Index("ix_products_stock_sort", "stock", "id"),
    )
