-- Issue 17: the platform's fee revenue per currency and movement type, with the gross it was
-- charged on and the effective rate in basis points (fees / gross x 10,000, rounded to 2 places);
-- adjustments (late postings) count with the batch that settled them. FINAL: one row per line.
SELECT
    currency,
    movement_type,
    sum(entry_count)                     AS postings,
    sum(toDecimal128(gross_minor, 0))    AS total_gross_minor,
    sum(toDecimal128(fees_minor, 0))     AS total_fees_minor,
    round(toFloat64(total_fees_minor) * 10000 / toFloat64(total_gross_minor), 2) AS effective_bp
FROM settlement_batch_lines FINAL
GROUP BY currency, movement_type
ORDER BY currency, movement_type
