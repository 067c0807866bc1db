"""Every table, imported in one place so Alembic and the schema tests see the whole metadata."""

from shopcrm.analytics.models import DailyCategorySales, DailyProductSales, DailySales, RollupState
from shopcrm.audit.models import AuditEntry
from shopcrm.auth.models import ApiToken, LoginThrottle, User, UserSession
from shopcrm.customers.models import ConsentEvent, Customer, SuppressedEmail
from shopcrm.db import Base
from shopcrm.imports.models import DataImport, ImportProblem
from shopcrm.inventory.models import ForecastRun, Product, ProductForecast, StockMovement
from shopcrm.orders.models import Order, OrderItem, OrderStatusEvent
from shopcrm.segments.models import Segment, SegmentMember, SegmentMembershipEvent, SegmentRule

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "ConsentEvent",
    "Customer",
    "DailyCategorySales",
    "DailyProductSales",
    "DailySales",
    "DataImport",
    "ForecastRun",
    "ImportProblem",
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
    "SuppressedEmail",
    "User",
    "UserSession",
]
