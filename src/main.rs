//! `relmap`: the GUI with no subcommand, or a CLI subcommand (see `relmap --help`).

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use relmap::cli::{Cli, Command};
use relmap::io::LoadOptions;

/// The command line reads its files and exits: freed memory goes back to the system at once
/// instead of being kept a while for reuse (mimalloc's purge delay, 10 ms by default). During a
/// 1M-row load the columns' old buffers and the workers' parts are freed in bursts; keeping
/// them raised the peak of `relmap stats` on a 430 MB GDELT file with a unique URL on every row
/// from 235 MiB (0.56 × the file) to 291–315 MiB (0.71–0.77 ×). The GUI keeps the delay: its
/// frames reuse the tessellation buffers (see Cargo.toml).
fn release_freed_memory_at_once() {
    // `mi_option_purge_delay` comes right before `mi_option_use_numa_nodes` in mimalloc.h
    // (v2 and v3); the Rust bindings name the one but not the other.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_use_numa_nodes - 1;
    // SAFETY: setting an option is thread-safe in mimalloc and takes plain values.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

fn main() {
    let cli = Cli::parse();
    // Except for films: each frame allocates and frees megabytes of pixels and picture, which
    // handed back at once are page-faulted in again for the next frame.
    if cli.command.is_some() && !matches!(cli.command, Some(Command::Animate { .. })) {
        release_freed_memory_at_once();
    }
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
        Some(Command::Metrics {
            files,
            from,
            to,
            format,
            out,
            input_format,
            map,
        }) => relmap::cli::metrics(
            &files,
            &LoadOptions {
                format: input_format,
                mapping: map,
            },
            &relmap::cli::MetricsOptions {
                from,
                to,
                format,
                out,
            },
        ),
        Some(Command::Animate {
            files,
            out,
            from,
            to,
            step,
            window,
            cumulative,
            scenes,
            tween,
            fps,
            size,
            scale,
            layout,
            theme,
            max_frames,
            format,
            map,
        }) => {
            // Ctrl+C asks the export to stop at the next batch of frames; it then removes
            // its temporary file and exits 130. A second Ctrl+C is the default: stop now
            // (the temporary file may stay, the film at OUT is never half written).
            let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = cancel.clone();
            let _ = ctrlc::set_handler(move || {
                if flag.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    std::process::exit(130);
                }
            });
            relmap::cli::animate(
                &files,
                &out,
                &LoadOptions {
                    format,
                    mapping: map,
                },
                &relmap::cli::AnimateOptions {
                    from,
                    to,
                    step,
                    window,
                    cumulative,
                    scenes,
                    tween,
                    fps,
                    size,
                    scale,
                    layout,
                    theme,
                    max_frames,
                },
                &cancel,
            )
        }
        Some(Command::Extract {
            file,
            date,
            format,
            out,
            known,
            baseline,
        }) => relmap::cli::extract(
            &file,
            date.as_deref(),
            format,
            out.as_deref(),
            known.as_deref(),
            baseline,
        ),
        Some(Command::Sql {
            dialect,
            table,
            files,
            from,
            to,
            countries,
            roots,
            by,
        }) => relmap::cli::sql(
            dialect,
            &relmap::sql::Request {
                table,
                files,
                from,
                to,
                countries,
                roots,
                by,
                as_of: None,
            },
        ),
        Some(Command::Presets { action }) => relmap::cli::presets(action),
        Some(Command::Index {
            files,
            out,
            append,
            format,
            map,
        }) => relmap::cli::index(
            &files,
            &out,
            append,
            LoadOptions {
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
