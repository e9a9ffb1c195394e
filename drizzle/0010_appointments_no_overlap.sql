-- Hand-written: no double booking, enforced by PostgreSQL itself. An appointment in a bay-holding
-- status holds its bay (and its mechanic, when one is set) for [starts_at, ends_at); two such rows
-- never overlap on one bay or one mechanic. btree_gist gives GiST the integer equality the
-- constraints combine with the range overlap; it is a trusted extension (PostgreSQL 13+), and PGlite
-- loads it from @electric-sql/pglite/contrib/btree_gist (src/platform/db/database.ts).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_bay_no_overlap" EXCLUDE USING gist ("bay_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("status" in ('requested', 'confirmed', 'checked_in'));--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_mechanic_no_overlap" EXCLUDE USING gist ("mechanic_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("mechanic_id" IS NOT NULL AND "status" in ('requested', 'confirmed', 'checked_in'));
