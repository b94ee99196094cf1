-- Exact deduplication of the labelled sentences: sentences equal after trimming and lower-casing are one, and the
-- first (by position) is kept, with how many copies there were and whether the copies disagree on the
-- label (a duplicate with two labels is noise a classifier cannot learn).
WITH numbered AS (
  SELECT id, source, text, label,
         ROW_NUMBER() OVER (PARTITION BY LOWER(TRIM(text)) ORDER BY id) AS copy_number,
         COUNT(*) OVER (PARTITION BY LOWER(TRIM(text))) AS copies,
         MIN(label) OVER (PARTITION BY LOWER(TRIM(text))) AS lowest_label,
         MAX(label) OVER (PARTITION BY LOWER(TRIM(text))) AS highest_label
  FROM sentences
)
SELECT id, source, text, label, copies,
       CASE WHEN lowest_label <> highest_label THEN 1 ELSE 0 END AS conflicting_labels
FROM numbered
WHERE copy_number = 1
ORDER BY id
