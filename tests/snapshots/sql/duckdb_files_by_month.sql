-- GDELT 2.0 events grouped by month (dated on its first day), actor pair, event code and QuadClass, for relmap.
-- `count` is the number of events in a group; relmap reads the result (CSV or Parquet)
-- as that many events. SOURCEURL and the place are the group's first event's.
-- Run: duckdb -c "COPY (<this query>) TO 'grouped.parquet' (FORMAT parquet)"
WITH grouped AS (
  SELECT
    CAST(strftime(date_trunc('month', strptime(CAST(CAST(SQLDATE AS BIGINT) AS VARCHAR), '%Y%m%d')), '%Y%m%d') AS BIGINT) AS period,
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
  FROM read_csv('gdelt/*.export.CSV', delim = '\t', header = false, quote = '', escape = '', columns = {'GLOBALEVENTID': 'BIGINT', 'SQLDATE': 'BIGINT', 'MonthYear': 'BIGINT', 'Year': 'BIGINT', 'FractionDate': 'DOUBLE', 'Actor1Code': 'VARCHAR', 'Actor1Name': 'VARCHAR', 'Actor1CountryCode': 'VARCHAR', 'Actor1KnownGroupCode': 'VARCHAR', 'Actor1EthnicCode': 'VARCHAR', 'Actor1Religion1Code': 'VARCHAR', 'Actor1Religion2Code': 'VARCHAR', 'Actor1Type1Code': 'VARCHAR', 'Actor1Type2Code': 'VARCHAR', 'Actor1Type3Code': 'VARCHAR', 'Actor2Code': 'VARCHAR', 'Actor2Name': 'VARCHAR', 'Actor2CountryCode': 'VARCHAR', 'Actor2KnownGroupCode': 'VARCHAR', 'Actor2EthnicCode': 'VARCHAR', 'Actor2Religion1Code': 'VARCHAR', 'Actor2Religion2Code': 'VARCHAR', 'Actor2Type1Code': 'VARCHAR', 'Actor2Type2Code': 'VARCHAR', 'Actor2Type3Code': 'VARCHAR', 'IsRootEvent': 'BIGINT', 'EventCode': 'VARCHAR', 'EventBaseCode': 'VARCHAR', 'EventRootCode': 'VARCHAR', 'QuadClass': 'BIGINT', 'GoldsteinScale': 'DOUBLE', 'NumMentions': 'BIGINT', 'NumSources': 'BIGINT', 'NumArticles': 'BIGINT', 'AvgTone': 'DOUBLE', 'Actor1Geo_Type': 'BIGINT', 'Actor1Geo_FullName': 'VARCHAR', 'Actor1Geo_CountryCode': 'VARCHAR', 'Actor1Geo_ADM1Code': 'VARCHAR', 'Actor1Geo_ADM2Code': 'VARCHAR', 'Actor1Geo_Lat': 'DOUBLE', 'Actor1Geo_Long': 'DOUBLE', 'Actor1Geo_FeatureID': 'VARCHAR', 'Actor2Geo_Type': 'BIGINT', 'Actor2Geo_FullName': 'VARCHAR', 'Actor2Geo_CountryCode': 'VARCHAR', 'Actor2Geo_ADM1Code': 'VARCHAR', 'Actor2Geo_ADM2Code': 'VARCHAR', 'Actor2Geo_Lat': 'DOUBLE', 'Actor2Geo_Long': 'DOUBLE', 'Actor2Geo_FeatureID': 'VARCHAR', 'ActionGeo_Type': 'BIGINT', 'ActionGeo_FullName': 'VARCHAR', 'ActionGeo_CountryCode': 'VARCHAR', 'ActionGeo_ADM1Code': 'VARCHAR', 'ActionGeo_ADM2Code': 'VARCHAR', 'ActionGeo_Lat': 'DOUBLE', 'ActionGeo_Long': 'DOUBLE', 'ActionGeo_FeatureID': 'VARCHAR', 'DATEADDED': 'BIGINT', 'SOURCEURL': 'VARCHAR'})
  WHERE SQLDATE IS NOT NULL
    AND COALESCE(NULLIF(Actor1Code, ''), NULLIF(Actor1Name, ''), NULLIF(Actor1CountryCode, ''), NULLIF(Actor2Code, ''), NULLIF(Actor2Name, ''), NULLIF(Actor2CountryCode, '')) IS NOT NULL
    AND CAST(SQLDATE AS BIGINT) >= 20240601
  GROUP BY
    CAST(strftime(date_trunc('month', strptime(CAST(CAST(SQLDATE AS BIGINT) AS VARCHAR), '%Y%m%d')), '%Y%m%d') AS BIGINT),
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
