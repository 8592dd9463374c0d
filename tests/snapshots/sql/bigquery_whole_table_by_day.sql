-- GDELT 2.0 events grouped by day, actor pair, event code and QuadClass, for relmap.
-- `count` is the number of events in a group; relmap reads the result (CSV or Parquet)
-- as that many events. SOURCEURL and the place are the group's first event's.
-- Scans the whole table (since 2015-02-18; give --from to scan only its days):
-- about 95.9 GB (~96000 events a day, ~232 bytes a row in the columns read), about
-- $0.55 on demand at $6.25/TiB (the first TiB a month is free).
-- An estimate: `bq query --dry_run --use_legacy_sql=false < query.sql` gives the exact bytes.
-- Run: bq query --use_legacy_sql=false --format=csv --max_rows=100000000 < query.sql > grouped.csv
-- (a large result: save it as a table, then bq extract --destination_format=PARQUET).
WITH grouped AS (
  SELECT
    CAST(SQLDATE AS INT64) AS period,
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
  FROM `gdelt-bq.gdeltv2.events`
  WHERE SQLDATE IS NOT NULL
    AND COALESCE(NULLIF(Actor1Code, ''), NULLIF(Actor1Name, ''), NULLIF(Actor1CountryCode, ''), NULLIF(Actor2Code, ''), NULLIF(Actor2Name, ''), NULLIF(Actor2CountryCode, '')) IS NOT NULL
  GROUP BY
    CAST(SQLDATE AS INT64),
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
