-- AlterTable
ALTER TABLE "sources" ADD COLUMN     "outlet_id" UUID;

-- CreateIndex
CREATE INDEX "sources_outlet_id_idx" ON "sources"("outlet_id");

-- AddForeignKey
ALTER TABLE "sources" ADD CONSTRAINT "sources_outlet_id_fkey" FOREIGN KEY ("outlet_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
