//! Fuzzes reading zip archives: members listed, event members read (see common.rs).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read_file(data, "zip"));
