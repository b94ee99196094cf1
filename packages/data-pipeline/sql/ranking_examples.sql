-- The ranker's training set: for each user (the query) the items they touched in the 7 days after {{cutoff}} (the
-- candidates), graded by what they did (0 viewed, 1 clicked, 2 bought), with features read from the tables built
-- from rows before the cutoff only: user_features, item_features and interactions. Users and items first seen after
-- the cutoff get zeros (cold start), never a value from the future; pair_last_seen is NULL for a pair never seen.
-- (It stays a timestamp: DuckDB and Spark share no function for seconds between two timestamps.)
WITH future AS (
  SELECT user_id, item_id,
         MAX(CASE WHEN event_type = 'purchase' THEN 2 WHEN event_type = 'click' THEN 1 ELSE 0 END) AS relevance
  FROM events
  WHERE ts >= TIMESTAMP '{{cutoff}}'
    AND ts < TIMESTAMP '{{cutoff}}' + INTERVAL '7' DAY
  GROUP BY user_id, item_id
)
SELECT f.user_id, f.item_id, f.relevance,
       COALESCE(u.events, 0) AS user_events,
       COALESCE(u.purchases, 0) AS user_purchases,
       COALESCE(u.sessions, 0) AS user_sessions,
       COALESCE(i.events, 0) AS item_events,
       COALESCE(i.click_rate, 0.1) AS item_click_rate,
       COALESCE(i.purchase_rate, 1.0 / 30) AS item_purchase_rate,
       COALESCE(x.strength, 0) AS pair_strength,
       x.last_seen AS pair_last_seen
FROM future f
LEFT JOIN user_features u ON f.user_id = u.user_id
LEFT JOIN item_features i ON f.item_id = i.item_id
LEFT JOIN interactions x ON f.user_id = x.user_id AND f.item_id = x.item_id
ORDER BY f.user_id, f.item_id
