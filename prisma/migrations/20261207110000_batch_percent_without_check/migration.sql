-- The schema engine's drift check stops at a CHECK constraint it cannot
-- represent; setModelPrice keeps batch_percent within 0 to 100 instead.
ALTER TABLE "model_prices" DROP CONSTRAINT "model_prices_batch_percent_range";
