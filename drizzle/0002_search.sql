-- Hand-written (drizzle-kit cannot express it): the trigram operator classes of the search indexes below.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. PGlite loads it
-- from @electric-sql/pglite/contrib/pg_trgm where the database is opened (src/platform/db/database.ts).
-- The generated columns are filled for existing rows by ADD COLUMN itself (no separate backfill);
-- normalize(…, NFKC) needs a UTF8 database (docs/decisions/009-search.md).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(normalize(coalesce(name, '') || chr(10) || coalesce(email, '') || chr(10) || coalesce(phone, ''), NFKC))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "search_phone" text GENERATED ALWAYS AS (regexp_replace(lower(normalize(coalesce(phone, ''), NFKC)), '[[:space:]./-]', '', 'g')) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(normalize(coalesce(license_plate, '') || chr(10) || coalesce(vin, '') || chr(10) || coalesce(make, '') || chr(10) || coalesce(model, ''), NFKC))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "search_ids" text GENERATED ALWAYS AS (regexp_replace(lower(normalize(coalesce(license_plate, ''), NFKC)), '[[:space:]./-]', '', 'g') || chr(10) || regexp_replace(lower(normalize(coalesce(vin, ''), NFKC)), '[[:space:]./-]', '', 'g')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "users_search_text_idx" ON "users" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_search_phone_idx" ON "users" USING gin ("search_phone" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "vehicles_search_text_idx" ON "vehicles" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "vehicles_search_ids_idx" ON "vehicles" USING gin ("search_ids" gin_trgm_ops);