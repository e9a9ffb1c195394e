-- Every vehicle from before odometer readings gets its mileage as its first reading (in km, as every vehicle was), dated when it was last changed.
INSERT INTO "odometer_readings" ("vehicle_id", "value", "unit", "value_km", "recorded_at", "source", "reason", "recorded_by")
SELECT "id", "mileage", 'km', "mileage", "updated_at", 'staff', 'mileage recorded before odometer readings', NULL FROM "vehicles";
