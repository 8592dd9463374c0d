//! Reading, counting and writing data, without a window: aggregates and Parquet, archives and several files, the
//! formats in the wild (UCDP, ICEWS, ACLED), column mapping and workbooks, timeline bins, window
//! counts and round trips, network metrics against networkx, the article extractor's scores.
//! One test binary, so that the library is linked once.

mod aggregates;
mod archive;
mod extract_eval;
mod formats;
mod index;
mod mapping;
mod metrics;
mod roundtrip_prop;
mod timeline_bins;
mod window_prop;
