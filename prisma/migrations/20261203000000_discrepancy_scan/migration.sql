-- Hand-written (an index on expressions; see 20261122191500_discrepancy_index). GET /figures/discrepancies
-- now walks the figures in this order, (metric, area, population, as-of, id), a bounded number per
-- request: the id makes the order total, so that a page stops, and the next one starts, at an exact
-- pair, and both sides of a pair are read from this index in order.
DROP INDEX "figures_discrepancy_idx";
CREATE INDEX "figures_discrepancy_idx" ON "figures" ("metric", coalesce("area", ''), coalesce("population", ''), "as_of", "id");
