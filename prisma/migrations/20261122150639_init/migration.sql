-- CreateEnum
CREATE TYPE "actor_kind" AS ENUM ('person', 'organization', 'government', 'armed_group', 'media_outlet', 'other');

-- CreateEnum
CREATE TYPE "source_kind" AS ENUM ('news_article', 'social_media_post', 'official_report', 'press_release', 'transcript', 'other');

-- CreateEnum
CREATE TYPE "statement_kind" AS ENUM ('direct_quote', 'paraphrase', 'social_media_post', 'official_statement');

-- CreateEnum
CREATE TYPE "medium" AS ENUM ('social_media', 'speech', 'rally', 'meeting', 'interview', 'press_conference', 'press_release', 'broadcast', 'document', 'other');

-- CreateEnum
CREATE TYPE "date_precision" AS ENUM ('day', 'month', 'year');

-- CreateEnum
CREATE TYPE "verification" AS ENUM ('original', 'secondary', 'unverified');

-- CreateEnum
CREATE TYPE "qualifier" AS ENUM ('exact', 'at_least', 'more_than', 'about', 'nearly', 'up_to', 'less_than');

-- CreateEnum
CREATE TYPE "citation_role" AS ENUM ('primary', 'secondary');

-- CreateEnum
CREATE TYPE "involvement_role" AS ENUM ('counterpart', 'addressee', 'mentioned', 'co_speaker');

-- CreateTable
CREATE TABLE "actors" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "actor_kind" NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "role" TEXT,
    "country" CHAR(2),
    "handles" JSONB NOT NULL DEFAULT '[]',
    "external_ids" JSONB NOT NULL DEFAULT '{}',
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "actors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sources" (
    "id" UUID NOT NULL,
    "kind" "source_kind" NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "publisher" TEXT,
    "authors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "published_on" DATE,
    "published_precision" "date_precision",
    "language" TEXT,
    "retrieved_at" TIMESTAMPTZ(3),
    "archive_url" TEXT,
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statements" (
    "id" UUID NOT NULL,
    "speaker_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "original_text" TEXT,
    "original_language" TEXT,
    "kind" "statement_kind" NOT NULL,
    "said_on" DATE NOT NULL,
    "said_precision" "date_precision" NOT NULL DEFAULT 'day',
    "medium" "medium",
    "platform" TEXT,
    "location" TEXT,
    "occasion" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "verification" "verification" NOT NULL DEFAULT 'unverified',
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "statements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statement_actors" (
    "statement_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "role" "involvement_role" NOT NULL,

    CONSTRAINT "statement_actors_pkey" PRIMARY KEY ("statement_id","actor_id")
);

-- CreateTable
CREATE TABLE "figures" (
    "id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "qualifier" "qualifier" NOT NULL DEFAULT 'exact',
    "lower_bound" DOUBLE PRECISION,
    "upper_bound" DOUBLE PRECISION,
    "phrase" TEXT,
    "population" TEXT,
    "area" TEXT,
    "cumulative" BOOLEAN NOT NULL DEFAULT true,
    "period_start" DATE,
    "period_end" DATE,
    "as_of" DATE NOT NULL,
    "as_of_precision" "date_precision" NOT NULL DEFAULT 'day',
    "reporter_id" UUID,
    "statement_id" UUID,
    "caveats" TEXT,
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "figures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "citations" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "statement_id" UUID,
    "figure_id" UUID,
    "excerpt" TEXT NOT NULL,
    "locator" TEXT,
    "role" "citation_role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "citations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "actors_slug_key" ON "actors"("slug");

-- CreateIndex
CREATE INDEX "actors_kind_idx" ON "actors"("kind");

-- CreateIndex
CREATE INDEX "actors_country_idx" ON "actors"("country");

-- CreateIndex
CREATE UNIQUE INDEX "sources_url_key" ON "sources"("url");

-- CreateIndex
CREATE INDEX "sources_publisher_idx" ON "sources"("publisher");

-- CreateIndex
CREATE INDEX "sources_kind_idx" ON "sources"("kind");

-- CreateIndex
CREATE INDEX "sources_published_on_idx" ON "sources"("published_on");

-- CreateIndex
CREATE INDEX "statements_speaker_id_said_on_id_idx" ON "statements"("speaker_id", "said_on" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "statements_said_on_id_idx" ON "statements"("said_on" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "statement_actors_actor_id_idx" ON "statement_actors"("actor_id");

-- CreateIndex
CREATE INDEX "figures_metric_as_of_id_idx" ON "figures"("metric", "as_of" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "figures_reporter_id_metric_as_of_idx" ON "figures"("reporter_id", "metric", "as_of");

-- CreateIndex
CREATE INDEX "figures_as_of_id_idx" ON "figures"("as_of" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "figures_statement_id_idx" ON "figures"("statement_id");

-- CreateIndex
CREATE INDEX "citations_source_id_idx" ON "citations"("source_id");

-- CreateIndex
CREATE INDEX "citations_statement_id_idx" ON "citations"("statement_id");

-- CreateIndex
CREATE INDEX "citations_figure_id_idx" ON "citations"("figure_id");

-- AddForeignKey
ALTER TABLE "statements" ADD CONSTRAINT "statements_speaker_id_fkey" FOREIGN KEY ("speaker_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_actors" ADD CONSTRAINT "statement_actors_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_actors" ADD CONSTRAINT "statement_actors_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "figures" ADD CONSTRAINT "figures_reporter_id_fkey" FOREIGN KEY ("reporter_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "figures" ADD CONSTRAINT "figures_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "citations" ADD CONSTRAINT "citations_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "citations" ADD CONSTRAINT "citations_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "citations" ADD CONSTRAINT "citations_figure_id_fkey" FOREIGN KEY ("figure_id") REFERENCES "figures"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Prisma cannot express this: a citation backs exactly one statement or one figure.
ALTER TABLE "citations" ADD CONSTRAINT "citations_one_target" CHECK (num_nonnulls("statement_id", "figure_id") = 1);
