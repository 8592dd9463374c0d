-- GDELT 2.0 events grouped by ISO week (dated on its Monday), actor pair, event code and QuadClass, for relmap.
-- `count` is the number of events in a group; relmap reads the result (CSV or Parquet)
-- as that many events. SOURCEURL and the place are the group's first event's.
-- Scans 396 days of partitions (2025-01-01 to 2025-12-31, and 31 more for late additions):
-- about 8.8 GB (~96000 events a day, ~232 bytes a row in the columns read), about
-- $0.05 on demand at $6.25/TiB (the first TiB a month is free).
-- An estimate: `bq query --dry_run --use_legacy_sql=false < query.sql` gives the exact bytes.
-- Run: bq query --use_legacy_sql=false --format=csv --max_rows=100000000 < query.sql > grouped.csv
-- (a large result: save it as a table, then bq extract --destination_format=PARQUET).
WITH grouped AS (
  SELECT
    CAST(FORMAT_DATE('%Y%m%d', DATE_TRUNC(PARSE_DATE('%Y%m%d', CAST(CAST(SQLDATE AS INT64) AS STRING)), ISOWEEK)) AS INT64) AS period,
    Actor1Code,
    Actor1Name,
    Actor1CountryCode,
    Actor1KnownGroupCode,
    Actor1Type1Code,
    Actor2Code,
    Actor2Name,
    Actor2CountryCode,
    Actor2KnownGroupCode,
    Actor2Type1Code,
    EventCode,
    EventRootCode,
    QuadClass,
    COUNT(*) AS event_count,
    SUM(NumMentions) AS mentions,
    AVG(GoldsteinScale) AS goldstein,
    ARRAY_AGG(STRUCT(SOURCEURL AS url, ActionGeo_FullName AS place, ActionGeo_Lat AS lat, ActionGeo_Long AS lon) ORDER BY GLOBALEVENTID LIMIT 1)[OFFSET(0)] AS first_event
  FROM `gdelt-bq.gdeltv2.events_partitioned`
  WHERE SQLDATE IS NOT NULL
    AND COALESCE(NULLIF(Actor1Code, ''), NULLIF(Actor1Name, ''), NULLIF(Actor1CountryCode, ''), NULLIF(Actor2Code, ''), NULLIF(Actor2Name, ''), NULLIF(Actor2CountryCode, '')) IS NOT NULL
    AND CAST(SQLDATE AS INT64) >= 20250101
    AND _PARTITIONTIME >= TIMESTAMP('2025-01-01')
    AND CAST(SQLDATE AS INT64) <= 20251231
    AND _PARTITIONTIME < TIMESTAMP('2026-02-01')
    AND (Actor1CountryCode IN ('BLR', 'IRN') OR Actor2CountryCode IN ('BLR', 'IRN'))
    AND CAST(EventRootCode AS STRING) IN ('04', '05', '06')
  GROUP BY
    CAST(FORMAT_DATE('%Y%m%d', DATE_TRUNC(PARSE_DATE('%Y%m%d', CAST(CAST(SQLDATE AS INT64) AS STRING)), ISOWEEK)) AS INT64),
    Actor1Code,
    Actor1Name,
    Actor1CountryCode,
    Actor1KnownGroupCode,
    Actor1Type1Code,
    Actor2Code,
    Actor2Name,
    Actor2CountryCode,
    Actor2KnownGroupCode,
    Actor2Type1Code,
    EventCode,
    EventRootCode,
    QuadClass
)
SELECT
  period AS SQLDATE,
  Actor1Code,
  Actor1Name,
  Actor1CountryCode,
  Actor1KnownGroupCode,
  Actor1Type1Code,
  Actor2Code,
  Actor2Name,
  Actor2CountryCode,
  Actor2KnownGroupCode,
  Actor2Type1Code,
  EventCode,
  EventRootCode,
  QuadClass,
  goldstein AS GoldsteinScale,
  mentions AS NumMentions,
  first_event.place AS ActionGeo_FullName,
  first_event.lat AS ActionGeo_Lat,
  first_event.lon AS ActionGeo_Long,
  first_event.url AS SOURCEURL,
  event_count AS count
FROM grouped
ORDER BY SQLDATE, count DESC, Actor1Code, Actor1Name, Actor1CountryCode, Actor1KnownGroupCode, Actor1Type1Code, Actor2Code, Actor2Name, Actor2CountryCode, Actor2KnownGroupCode, Actor2Type1Code
