"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="active", nullable=False),
        sa.Column(
            "total_spend",
            sa.Numeric(precision=12, scale=2),
            server_default="0",
            nullable=False,
        ),
        sa.Column("total_orders", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_order_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_order_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("email_consent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("unsubscribed_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('active', 'inactive', 'archived')",
            name=op.f("ck_customers_status_valid"),
        ),
        sa.CheckConstraint("total_orders >= 0", name=op.f("ck_customers_total_orders_nonnegative")),
        sa.CheckConstraint("total_spend >= 0", name=op.f("ck_customers_total_spend_nonnegative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index("ix_customers_country", ["country"], unique=False)
        batch_op.create_index("ix_customers_created_at_sort", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_customers_email_consent", ["email_consent"], unique=False)
        batch_op.create_index("ix_customers_last_order_at_sort", ["last_order_at", "id"], unique=False)
        batch_op.create_index("ix_customers_name_sort", ["last_name", "first_name", "id"], unique=False)
        batch_op.create_index("ix_customers_status", ["status"], unique=False)
        batch_op.create_index("ix_customers_total_orders_sort", ["total_orders", "id"], unique=False)
        batch_op.create_index("ix_customers_total_spend_sort", ["total_spend", "id"], unique=False)
    # Case-insensitive uniqueness; autogenerate cannot see expression indexes, so it is written by hand.
    op.create_index("uq_customers_email_lower", "customers", [sa.text("lower(email)")], unique=True)

    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    op.create_table(
        "products",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("stock", sa.Integer(), server_default="0", nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("low_stock_threshold", sa.Integer(), server_default="10", nullable=False),
        sa.Column("reorder_lead_days", sa.Integer(), server_default="14", nullable=False),
        sa.Column(
            "created_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name=op.f("ck_products_cost_nonnegative")),
        sa.CheckConstraint(
            "low_stock_threshold >= 0",
            name=op.f("ck_products_low_stock_threshold_nonnegative"),
        ),
        sa.CheckConstraint("price >= 0", name=op.f("ck_products_price_nonnegative")),
        sa.CheckConstraint(
            "reorder_lead_days >= 0",
            name=op.f("ck_products_reorder_lead_days_nonnegative"),
        ),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_products_stock_nonnegative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index("ix_products_category", ["category"], unique=False)
        batch_op.create_index("ix_products_name_sort", ["name", "id"], unique=False)
        batch_op.create_index("ix_products_price_sort", ["price", "id"], unique=False)
        batch_op.create_index("ix_products_stock_sort", ["stock", "id"], unique=False)

    op.create_table(
        "segments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("criteria_logic", sa.String(length=8), server_default="and", nullable=False),
        sa.Column(
            "created_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segments")),
        sa.UniqueConstraint("name", name=op.f("uq_segments_name")),
    )
    op.create_table(
        "users",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("last_login_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('admin', 'marketer', 'viewer')", name=op.f("ck_users_role_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column(
            "user_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_api_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_api_tokens_user_id", ["user_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column(
            "customer_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("placed_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("total_amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="USD", nullable=False),
        sa.Column("shipping_name", sa.String(length=200), nullable=True),
        sa.Column("shipping_address1", sa.String(length=200), nullable=True),
        sa.Column("shipping_address2", sa.String(length=200), nullable=True),
        sa.Column("shipping_city", sa.String(length=100), nullable=True),
        sa.Column("shipping_postal_code", sa.String(length=20), nullable=True),
        sa.Column("shipping_country", sa.String(length=2), nullable=True),
        sa.Column(
            "created_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded')",
            name=op.f("ck_orders_status_valid"),
        ),
        sa.CheckConstraint("total_amount >= 0", name=op.f("ck_orders_total_amount_nonnegative")),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_orders_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("order_number", name=op.f("uq_orders_order_number")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_customer_placed", ["customer_id", "placed_at"], unique=False)
        batch_op.create_index("ix_orders_placed_at_sort", ["placed_at", "id"], unique=False)
        batch_op.create_index("ix_orders_status_placed", ["status", "placed_at", "id"], unique=False)
        batch_op.create_index("ix_orders_total_amount_sort", ["total_amount", "id"], unique=False)

    op.create_table(
        "segment_rules",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column(
            "segment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("operator", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            shopcrm.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segments.id"],
            name=op.f("fk_segment_rules_segment_id_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_rules")),
    )
    with op.batch_alter_table("segment_rules", schema=None) as batch_op:
        batch_op.create_index("ix_segment_rules_segment_id", ["segment_id"], unique=False)

    op.create_table(
        "user_sessions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column(
            "user_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_user_sessions_expires_at", ["expires_at"], unique=False)
        batch_op.create_index("ix_user_sessions_user_id", ["user_id"], unique=False)

    op.create_table(
        "order_items",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column(
            "order_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "product_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "customer_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("price >= 0", name=op.f("ck_order_items_price_nonnegative")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_items_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_order_items_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_items_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_order_items_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
    )
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.create_index("ix_order_items_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_order_items_order_id", ["order_id"], unique=False)
        batch_op.create_index("ix_order_items_product_id", ["product_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.drop_index("ix_order_items_product_id")
        batch_op.drop_index("ix_order_items_order_id")
        batch_op.drop_index("ix_order_items_customer_id")

    op.drop_table("order_items")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_user_sessions_user_id")
        batch_op.drop_index("ix_user_sessions_expires_at")

    op.drop_table("user_sessions")
    with op.batch_alter_table("segment_rules", schema=None) as batch_op:
        batch_op.drop_index("ix_segment_rules_segment_id")

    op.drop_table("segment_rules")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_total_amount_sort")
        batch_op.drop_index("ix_orders_status_placed")
        batch_op.drop_index("ix_orders_placed_at_sort")
        batch_op.drop_index("ix_orders_customer_placed")

    op.drop_table("orders")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_api_tokens_user_id")

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("segments")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_stock_sort")
        batch_op.drop_index("ix_products_price_sort")
        batch_op.drop_index("ix_products_name_sort")
        batch_op.drop_index("ix_products_category")

    op.drop_table("products")
    op.drop_table("login_throttles")
    op.drop_index("uq_customers_email_lower", table_name="customers")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index("ix_customers_total_spend_sort")
        batch_op.drop_index("ix_customers_total_orders_sort")
        batch_op.drop_index("ix_customers_status")
        batch_op.drop_index("ix_customers_name_sort")
        batch_op.drop_index("ix_customers_last_order_at_sort")
        batch_op.drop_index("ix_customers_email_consent")
        batch_op.drop_index("ix_customers_created_at_sort")
        batch_op.drop_index("ix_customers_country")

    op.drop_table("customers")
