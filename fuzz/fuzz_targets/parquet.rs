//! Fuzzes the Parquet reader: any bytes in a `.parquet` file end in events or a clear error,
//! never a panic (the parquet crate's own included) or unbounded memory.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read_file(data, "parquet"));
