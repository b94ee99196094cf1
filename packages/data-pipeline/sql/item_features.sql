-- Item features as of {{cutoff}}, from rows before it only: the recommender's popularity prior and the ranker's item
-- columns. Click-through and conversion rates are smoothed toward the catalogue's rate (add 1 click per 10 views and
-- 1 purchase per 30 views), so an item seen twice does not get a rate of 0 or 1.
WITH past AS (
  SELECT item_id, user_id, event_type
  FROM events
  WHERE ts < TIMESTAMP '{{cutoff}}'
),
per_item AS (
  SELECT item_id,
         COUNT(*) AS events,
         COUNT(CASE WHEN event_type = 'view' THEN 1 END) AS views,
         COUNT(CASE WHEN event_type = 'click' THEN 1 END) AS clicks,
         COUNT(CASE WHEN event_type = 'purchase' THEN 1 END) AS purchases,
         COUNT(DISTINCT user_id) AS users
  FROM past
  GROUP BY item_id
)
SELECT item_id, events, views, clicks, purchases, users,
       (clicks + 1.0) / (events + 10.0) AS click_rate,
       (purchases + 1.0) / (events + 30.0) AS purchase_rate,
       RANK() OVER (ORDER BY events DESC) AS popularity_rank
FROM per_item
ORDER BY item_id
