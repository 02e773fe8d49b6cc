-- Hand-written (an index on expressions; see 20261122190500_filter_indexes). Figures that may disagree
-- share metric, area and population (null matching null) and lie a few days apart: GET
-- /figures/discrepancies reads each figure's neighbours in this index instead of comparing every pair
-- of the same metric (on 50,000 figures: 0.6 s of comparisons against 0.2 s of index reads).
CREATE INDEX "figures_discrepancy_idx" ON "figures" ("metric", coalesce("area", ''), coalesce("population", ''), "as_of");
