-- Penguins per species (rows) and island (columns), counted and weighed: a pivot written as conditional aggregation,
-- which every engine runs (DuckDB's PIVOT and Spark's PIVOT clause are spelled differently). Birds without a body
-- mass are left out, as @mle/datasets leaves them out.
SELECT species,
       COUNT(CASE WHEN island = 'Biscoe' THEN 1 END) AS biscoe_birds,
       COUNT(CASE WHEN island = 'Dream' THEN 1 END) AS dream_birds,
       COUNT(CASE WHEN island = 'Torgersen' THEN 1 END) AS torgersen_birds,
       AVG(CASE WHEN island = 'Biscoe' THEN body_mass_g END) AS biscoe_mass_g,
       AVG(CASE WHEN island = 'Dream' THEN body_mass_g END) AS dream_mass_g,
       AVG(CASE WHEN island = 'Torgersen' THEN body_mass_g END) AS torgersen_mass_g
FROM penguins
WHERE body_mass_g IS NOT NULL
GROUP BY species
ORDER BY species
