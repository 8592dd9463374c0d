-- GDELT 2.0 events grouped by day, actor pair, event code and QuadClass, for relmap.
-- `count` is the number of events in a group; relmap reads the result (CSV or Parquet)
-- as that many events. SOURCEURL and the place are the group's first event's.
-- The table needs GDELT's column names, codes as text (e.g. a view over read_csv;
-- `relmap sql --dialect duckdb --files 'PATH/*.export.CSV'` reads the exports directly).
-- Run: duckdb -c "COPY (<this query>) TO 'grouped.parquet' (FORMAT parquet)"
WITH grouped AS (
  SELECT
    CAST(SQLDATE AS BIGINT) AS period,
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
    arg_min({'url': SOURCEURL, 'place': ActionGeo_FullName, 'lat': ActionGeo_Lat, 'lon': ActionGeo_Long}, GLOBALEVENTID) AS first_event
  FROM events
  WHERE SQLDATE IS NOT NULL
    AND COALESCE(NULLIF(Actor1Code, ''), NULLIF(Actor1Name, ''), NULLIF(Actor1CountryCode, ''), NULLIF(Actor2Code, ''), NULLIF(Actor2Name, ''), NULLIF(Actor2CountryCode, '')) IS NOT NULL
  GROUP BY
    CAST(SQLDATE AS BIGINT),
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
