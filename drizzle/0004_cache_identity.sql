CREATE TABLE "cache_identity" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"deployment_id" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cache_identity_singleton" CHECK ("cache_identity"."singleton")
);
