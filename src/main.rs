//! `relmap`: the GUI with no subcommand, or a CLI subcommand (see `relmap --help`).

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use relmap::cli::{Cli, Command};
use relmap::io::LoadOptions;

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Stats {
            files,
            format,
            map,
            actors,
        }) => {
            let options = LoadOptions {
                format,
                mapping: map,
            };
            if actors {
                relmap::cli::stats_actors(&files, &options)
            } else {
                relmap::cli::stats(&files, &options)
            }
        }
        Some(Command::Convert {
            inputs,
            output,
            format,
            map,
        }) => relmap::cli::convert(
            &inputs,
            &output,
            &LoadOptions {
                format,
                mapping: map,
            },
        ),
        Some(Command::Render {
            files,
            out,
            from,
            to,
            layout,
            size,
            scale,
            theme,
            format,
            map,
        }) => relmap::cli::render(
            &files,
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
                scale,
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
