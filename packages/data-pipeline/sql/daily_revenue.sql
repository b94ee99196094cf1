-- Revenue per day before {{cutoff}} with its running total and the day before's revenue (a lag feature).
WITH daily AS (
  SELECT CAST(ts AS DATE) AS day,
         COUNT(*) AS purchases,
         SUM(price) AS revenue
  FROM events
  WHERE event_type = 'purchase' AND ts < TIMESTAMP '{{cutoff}}'
  GROUP BY CAST(ts AS DATE)
)
SELECT day, purchases, revenue,
       SUM(revenue) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_revenue,
       LAG(revenue) OVER (ORDER BY day) AS previous_revenue
FROM daily
ORDER BY day
