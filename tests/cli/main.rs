//! The `relmap` command as scripts use it (stats, render, convert, metrics, presets, animate,
//! extract), and saving that survives being killed. One test binary for all.

mod animate;
mod atomic_save;
mod commands;
mod extract;
mod index;
mod metrics;
mod sql;
