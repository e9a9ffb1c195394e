DROP INDEX "bays_name_key";--> statement-breakpoint
CREATE UNIQUE INDEX "bays_name_key" ON "bays" USING btree (lower("name"));