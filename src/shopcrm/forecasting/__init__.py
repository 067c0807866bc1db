"""Demand forecasts, their backtest and reorder advice for every product, computed in one batch."""
