-- AlterTable
ALTER TABLE "citations" ADD COLUMN     "relays_source_id" UUID;

-- CreateIndex
CREATE INDEX "citations_relays_source_id_idx" ON "citations"("relays_source_id");

-- AddForeignKey
ALTER TABLE "citations" ADD CONSTRAINT "citations_relays_source_id_fkey" FOREIGN KEY ("relays_source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
