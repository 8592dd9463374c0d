//! `relmap`: the GUI with no subcommand, or a CLI subcommand (see `relmap --help`).

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
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
        Some(Command::Convert {
            input,
            output,
            format,
            map,
        }) => relmap::cli::convert(
            &input,
            &output,
            &LoadOptions {
                format,
                mapping: map,
            },
        ),
        Some(Command::Render {
            file,
            out,
            from,
            to,
            layout,
            size,
            theme,
            format,
            map,
        }) => relmap::cli::render(
            &file,
            &out,
            &LoadOptions {
                format,
                mapping: map,
            },
            &relmap::cli::RenderOptions {
                from,
                to,
                layout,
                size,
                theme,
            },
        ),
        Some(Command::Presets { action }) => relmap::cli::presets(action),
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
