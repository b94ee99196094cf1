-- User features as of {{cutoff}}, from rows before it only, and the label: did the user buy in the 7 days after it.
-- A session ends after 30 minutes without an event. Kept to the SQL that DuckDB and Spark SQL share.
WITH past AS (
  SELECT event_id, user_id, event_type, ts, price
  FROM events
  WHERE ts < TIMESTAMP '{{cutoff}}'
),
gaps AS (
  SELECT user_id, event_type, ts, price,
         LAG(ts) OVER (PARTITION BY user_id ORDER BY ts, event_id) AS previous_ts
  FROM past
),
per_user AS (
  SELECT user_id,
         COUNT(*) AS events,
         COUNT(CASE WHEN event_type = 'click' THEN 1 END) AS clicks,
         COUNT(CASE WHEN event_type = 'purchase' THEN 1 END) AS purchases,
         SUM(CASE WHEN event_type = 'purchase' THEN price ELSE 0 END) AS revenue,
         COUNT(CASE WHEN previous_ts IS NULL OR ts > previous_ts + INTERVAL '30' MINUTE THEN 1 END) AS sessions,
         MAX(ts) AS last_seen
  FROM gaps
  GROUP BY user_id
),
future AS (
  SELECT DISTINCT user_id
  FROM events
  WHERE event_type = 'purchase'
    AND ts >= TIMESTAMP '{{cutoff}}'
    AND ts < TIMESTAMP '{{cutoff}}' + INTERVAL '7' DAY
)
SELECT p.user_id, p.events, p.clicks, p.purchases, p.revenue, p.sessions, p.last_seen,
       CASE WHEN f.user_id IS NULL THEN 0 ELSE 1 END AS bought_next_week
FROM per_user p
LEFT JOIN future f ON p.user_id = f.user_id
ORDER BY p.user_id
