ALTER TABLE "work_orders" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
-- Orders already completed or invoiced: their last job's completion, else their last change (hand-written backfill).
UPDATE "work_orders" SET "completed_at" = coalesce(
  (SELECT max("completed_at") FROM "work_order_jobs" WHERE "work_order_jobs"."work_order_id" = "work_orders"."id"),
  "work_orders"."updated_at"
) WHERE "status" in ('completed', 'invoiced');--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_completed_at_check" CHECK (("work_orders"."status" in ('completed', 'invoiced')) = ("work_orders"."completed_at" is not null));
