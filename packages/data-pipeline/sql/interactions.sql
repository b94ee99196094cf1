-- The recommender's implicit feedback as of {{cutoff}}: one row per (user, item) the user touched before it, with a
-- strength that weighs a click as 3 views and a purchase as 10, and when the pair was first and last seen.
SELECT user_id, item_id,
       COUNT(CASE WHEN event_type = 'view' THEN 1 END) AS views,
       COUNT(CASE WHEN event_type = 'click' THEN 1 END) AS clicks,
       COUNT(CASE WHEN event_type = 'purchase' THEN 1 END) AS purchases,
       COUNT(CASE WHEN event_type = 'view' THEN 1 END)
         + 3 * COUNT(CASE WHEN event_type = 'click' THEN 1 END)
         + 10 * COUNT(CASE WHEN event_type = 'purchase' THEN 1 END) AS strength,
       MIN(ts) AS first_seen,
       MAX(ts) AS last_seen
FROM events
WHERE ts < TIMESTAMP '{{cutoff}}'
GROUP BY user_id, item_id
ORDER BY user_id, item_id
