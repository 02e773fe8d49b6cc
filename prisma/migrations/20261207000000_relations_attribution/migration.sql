-- CreateEnum
CREATE TYPE "relation_kind" AS ENUM ('responds_to', 'disputes', 'denies', 'confirms', 'corrects');

-- CreateEnum
CREATE TYPE "attribution" AS ENUM ('named', 'unnamed_group', 'anonymous');

-- AlterTable
ALTER TABLE "statements" ADD COLUMN     "attributed_to" TEXT,
ADD COLUMN     "attribution" "attribution" NOT NULL DEFAULT 'named',
ALTER COLUMN "speaker_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "relations" (
    "id" UUID NOT NULL,
    "statement_id" UUID NOT NULL,
    "kind" "relation_kind" NOT NULL,
    "target_statement_id" UUID,
    "target_figure_id" UUID,
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "relations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "relations_statement_id_idx" ON "relations"("statement_id");

-- CreateIndex
CREATE INDEX "relations_target_statement_id_idx" ON "relations"("target_statement_id");

-- CreateIndex
CREATE INDEX "relations_target_figure_id_idx" ON "relations"("target_figure_id");

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_target_statement_id_fkey" FOREIGN KEY ("target_statement_id") REFERENCES "statements"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_target_figure_id_fkey" FOREIGN KEY ("target_figure_id") REFERENCES "figures"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written from here.

-- A statement is attributed to a named speaker, or to words that say who ("Israeli media reports"):
-- never to no one.
ALTER TABLE "statements" ADD CONSTRAINT "statements_attribution" CHECK (
  CASE "attribution" WHEN 'named' THEN "speaker_id" IS NOT NULL AND "attributed_to" IS NULL
                     ELSE "attributed_to" IS NOT NULL END);

-- A relation points at exactly one statement or figure, never at its own statement.
ALTER TABLE "relations" ADD CONSTRAINT "relations_one_target" CHECK (num_nonnulls("target_statement_id", "target_figure_id") = 1);
ALTER TABLE "relations" ADD CONSTRAINT "relations_not_itself" CHECK ("target_statement_id" IS DISTINCT FROM "statement_id");
-- One relation of a type between the same two records: a second "disputes" says nothing new.
CREATE UNIQUE INDEX "relations_once" ON "relations" ("statement_id", "kind", (coalesce("target_statement_id", "target_figure_id")));

CREATE TRIGGER relations_revision AFTER INSERT OR UPDATE OR DELETE ON relations FOR EACH ROW EXECUTE FUNCTION attest_record_change('relation');
