"""Every table, imported in one place so Alembic and the schema tests see the whole metadata."""

from shopcrm.analytics.models import DailyCategorySales, DailyProductSales, DailySales, RollupState
from shopcrm.auth.models import ApiToken, LoginThrottle, User, UserSession
from shopcrm.customers.models import Customer
from shopcrm.db import Base
from shopcrm.inventory.models import ForecastRun, Product, ProductForecast, StockMovement
from shopcrm.orders.models import Order, OrderItem, OrderStatusEvent
from shopcrm.segments.models import Segment, SegmentMember, SegmentMembershipEvent, SegmentRule

__all__ = [
    "ApiToken",
    "Base",
    "Customer",
    "DailyCategorySales",
    "DailyProductSales",
    "DailySales",
    "ForecastRun",
    "LoginThrottle",
    "Order",
    "OrderItem",
    "OrderStatusEvent",
    "Product",
    "ProductForecast",
    "RollupState",
    "Segment",
    "SegmentMember",
    "SegmentMembershipEvent",
    "SegmentRule",
    "StockMovement",
    "User",
    "UserSession",
]
