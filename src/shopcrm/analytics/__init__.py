"""Analytics: the dashboard's figures, from a daily rollup for closed days plus a live query for the rest."""
