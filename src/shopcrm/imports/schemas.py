"""What the import endpoints take and return."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shopcrm.core.types import NAME_PATTERN, NO_NUL
from shopcrm.imports.models import ImportKind, ImportStatus
from shopcrm.orders.models import OrderStatus

MAX_COLUMNS = 500

Header = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
FieldId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]


class ImportPresetOut(BaseModel):
    id: str
    label: str
    kind: ImportKind
    description: str


class ImportFieldOut(BaseModel):
    id: str
    label: str
    required: bool
    help: str


class ImportOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Orders with no line items (the orders_simple preset): the product their totals are booked against.
    product_sku: Annotated[str, Field(min_length=1, max_length=64, pattern=NAME_PATTERN)] | None = None
    # The name of that product when the import creates it (default: its SKU).
    product_name: Annotated[str, Field(min_length=1, max_length=200, pattern=NAME_PATTERN)] | None = None
    # The status of an order whose status cell is empty or whose file has no status column (default paid).
    default_status: OrderStatus | None = None


class ImportStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mapping: Annotated[dict[Header, FieldId | None], Field(max_length=MAX_COLUMNS)]
    preset: Annotated[str, Field(max_length=32, pattern=r"^[a-z_]+$")] | None = None
    options: ImportOptions = Field(default_factory=ImportOptions)


class ImportOut(BaseModel):
    id: int
    status: ImportStatus
    kind: ImportKind
    filename: str
    preset: str | None
    headers: list[str]
    mapping: dict[str, str | None]
    rows_total: int | None
    rows_done: int
    rows_imported: int = Field(description="Rows that created or changed something")
    rows_unchanged: int = Field(description="Rows already in ShopCRM as the file says (a re-run)")
    rows_failed: int = Field(description="Rows reported in errors.csv")
    rows_per_second: float | None
    seconds_left: int | None
    error: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    created_by: str | None = Field(description="The name of the user who uploaded the file")


class ImportDetail(ImportOut):
    preview: list[list[str]] = Field(description="The first rows, as many cells as headers (while the file is kept)")


class ImportList(BaseModel):
    items: list[ImportOut]
    total: int
