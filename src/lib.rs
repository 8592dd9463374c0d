//! relmap: map relations between countries, institutions and people from dated event files.
//!
//! Data flows one way: files ([`io`]) → [`model`] → positions ([`layout`]) → pixels ([`ui`]).
//! `model`, `io`, `layout`, `export` and [`session`] (the open document and its undo history)
//! never touch egui, so the CLI and the tests use them directly. [`analysis`] computes network
//! metrics of a time window (centralities, communities, backbone) on the model.

pub mod analysis;
pub mod cli;
pub mod export;
pub mod extract;
pub mod index;
pub mod io;
pub mod layout;
pub mod model;
pub mod session;
pub mod sql;
#[cfg(feature = "gui")]
pub mod ui;
pub mod workspace;

/// The bundled sample, opened when the app starts with no file.
pub const SAMPLE_CSV: &str = include_str!("../assets/sample/belarus-iran.csv");
/// The file name the bundled sample is shown under.
pub const SAMPLE_NAME: &str = "belarus-iran.csv (bundled sample)";

/// The bundled sample as a dataset, for unit tests across the crate.
#[cfg(test)]
pub(crate) fn sample_dataset() -> model::Dataset {
    io::load_bytes(
        SAMPLE_CSV.as_bytes(),
        std::path::Path::new("sample.csv"),
        &io::LoadOptions::default(),
    )
    .expect("the bundled sample loads")
    .dataset
}
