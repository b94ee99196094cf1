-- Mauna Loa CO2 by month: the mean over the calendar year ending at this month, and the change from the same month a
-- year before. The record skips five months, so both are written over dates, not row counts: 12 rows back would
-- reach 13 months across a gap, and LAG(co2, 12) would read the wrong month. The year is a range join (a RANGE frame
-- with an interval says the same in DuckDB and Spark, but the portability check's parser does not take it).
WITH yearly AS (
  SELECT c.month, AVG(w.co2) AS mean_12_months, COUNT(*) AS months_in_window
  FROM co2 c
  JOIN co2 w ON w.month > c.month - INTERVAL '12' MONTH AND w.month <= c.month
  GROUP BY c.month
)
SELECT c.month, c.co2, y.mean_12_months, y.months_in_window, c.co2 - p.co2 AS change_from_year_before
FROM co2 c
JOIN yearly y ON y.month = c.month
LEFT JOIN co2 p ON p.month = c.month - INTERVAL '1' YEAR
ORDER BY c.month
