//! Fuzzes reading with format `Ucdp` (see common.rs).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read(data, relmap::io::FormatChoice::Ucdp));
