-- CreateEnum
CREATE TYPE "figure_unit" AS ENUM ('count', 'percent', 'share');

-- CreateEnum
CREATE TYPE "figure_method" AS ENUM ('reported', 'estimated', 'extrapolated', 'derived');

-- AlterEnum (PostgreSQL 12 and later add several values in one transaction)

ALTER TYPE "qualifier" ADD VALUE 'several';
ALTER TYPE "qualifier" ADD VALUE 'dozens';
ALTER TYPE "qualifier" ADD VALUE 'hundreds';
ALTER TYPE "qualifier" ADD VALUE 'thousands';
ALTER TYPE "qualifier" ADD VALUE 'tens_of_thousands';
ALTER TYPE "qualifier" ADD VALUE 'majority';
ALTER TYPE "qualifier" ADD VALUE 'minority';

-- AlterTable
ALTER TABLE "figures" ADD COLUMN     "derived_from" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "method" "figure_method" NOT NULL DEFAULT 'reported',
ADD COLUMN     "share_of_id" UUID,
ADD COLUMN     "unit" "figure_unit" NOT NULL DEFAULT 'count',
ALTER COLUMN "value" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "figures_share_of_id_idx" ON "figures"("share_of_id");

-- CreateIndex
CREATE INDEX "figures_derived_from_idx" ON "figures" USING GIN ("derived_from");

-- AddForeignKey
ALTER TABLE "figures" ADD CONSTRAINT "figures_share_of_id_fkey" FOREIGN KEY ("share_of_id") REFERENCES "figures"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: derived_from is a list of figure ids, which a foreign key cannot check. Every id
-- must name a figure, and a figure others were derived from cannot be deleted (the API refuses it
-- first, with a 409 naming them; this holds for every other path, bulk imports included).
CREATE FUNCTION attest_check_derived_from() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM figures f WHERE f.derived_from @> ARRAY[OLD.id]) THEN
      RAISE EXCEPTION 'attest: figure % is one that others were derived from', OLD.id USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(NEW.derived_from) d WHERE NOT EXISTS (SELECT 1 FROM figures f WHERE f.id = d)) THEN
    RAISE EXCEPTION 'attest: derived_from of figure % names a figure that does not exist', NEW.id USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER figures_derived_from AFTER INSERT OR UPDATE OF derived_from OR DELETE ON figures
  FOR EACH ROW EXECUTE FUNCTION attest_check_derived_from();
