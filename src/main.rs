//! `relmap`: the GUI with no subcommand, or a CLI subcommand (see `relmap --help`).

use clap::Parser;
use relmap::cli::{Cli, Command};
use relmap::io::LoadOptions;

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Stats { file, format, map }) => relmap::cli::stats(
            &file,
            &LoadOptions {
                format,
                mapping: map,
            },
        ),
        None => match relmap::ui::run_gui(
            cli.files,
            LoadOptions {
                format: cli.format,
                mapping: cli.map,
            },
        ) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("relmap: cannot start the window: {e}");
                1
            }
        },
    };
    std::process::exit(code);
}
