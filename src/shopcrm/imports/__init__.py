"""Imports: a store's customers, products and order history from CSV files (Shopify's exports, a plain
one-row-per-order history, and ShopCRM's own export formats), as background jobs in chunks."""
