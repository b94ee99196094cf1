-- Flights between US states: each route joined to its two airports, flights summed per pair of states, with the
-- pair's share of the origin state's flights and its rank there (windows over the aggregate). A route whose airport
-- is not in the airports table would drop out of the inner joins; the test counts that none does.
WITH legs AS (
  SELECT o.state AS origin_state, d.state AS destination_state, r.flights
  FROM routes r
  JOIN airports o ON r.origin = o.iata
  JOIN airports d ON r.destination = d.iata
),
pairs AS (
  SELECT origin_state, destination_state, SUM(flights) AS flights, COUNT(*) AS routes
  FROM legs
  GROUP BY origin_state, destination_state
)
SELECT origin_state, destination_state, flights, routes,
       CAST(flights AS DOUBLE) / SUM(flights) OVER (PARTITION BY origin_state) AS share_of_origin,
       RANK() OVER (PARTITION BY origin_state ORDER BY flights DESC) AS rank_in_origin
FROM pairs
ORDER BY flights DESC, origin_state, destination_state
