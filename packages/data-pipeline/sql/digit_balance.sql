-- MNIST's digits by class: how many, their share, and the ink per image (pixels above half intensity): what a
-- class-balance check and a stratified split read before training.
SELECT label,
       COUNT(*) AS images,
       CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER () AS share,
       AVG(ink) AS mean_ink,
       MIN(ink) AS min_ink,
       MAX(ink) AS max_ink
FROM digits
GROUP BY label
ORDER BY label
