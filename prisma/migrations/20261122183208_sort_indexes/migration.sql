-- CreateIndex
CREATE INDEX "figures_created_at_id_idx" ON "figures"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "sources_created_at_id_idx" ON "sources"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "sources_title_id_idx" ON "sources"("title", "id");

-- CreateIndex
CREATE INDEX "statements_created_at_id_idx" ON "statements"("created_at" DESC, "id" DESC);
