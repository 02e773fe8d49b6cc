-- DropIndex
DROP INDEX "figures_metric_reporter_id_area_population_as_of_created_at_idx";

-- CreateIndex
CREATE INDEX "figures_latest_idx" ON "figures"("metric", "reporter_id", "area", "population", "unit", "cumulative", "as_of" DESC, "created_at" DESC, "id" DESC);
