//! `relmap`: the GUI with no subcommand, or a CLI subcommand (see `relmap --help`).

use clap::Parser;
use relmap::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Stats { file, format }) => relmap::cli::stats(&file, format),
        None => match relmap::ui::run_gui(cli.files, cli.format) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("relmap: cannot start the window: {e}");
                1
            }
        },
    };
    std::process::exit(code);
}
