"""Deterministic demo data: `load_demo_data(database, "small" | "medium" | "large", seed=...)`."""

from shopcrm.demo.generate import DEFAULT_ANCHOR, SIZES, DemoSize
from shopcrm.demo.loader import DemoDataError, LoadReport, has_data, load_demo_data

__all__ = ["DEFAULT_ANCHOR", "SIZES", "DemoDataError", "DemoSize", "LoadReport", "has_data", "load_demo_data"]
