//! The `relmap` command as scripts use it (stats, render, convert, presets, extract), and saving that
//! survives being killed. One test binary for both.

mod atomic_save;
mod commands;
mod extract;
