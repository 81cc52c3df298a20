//! `qwen`: a fast, scriptable client for Alibaba's Qwen models.
//!
//! `main` parses the command line and calls [`run`]; this module resolves settings once,
//! builds the single-threaded runtime, and dispatches to one command.
//!
//! Ctrl-C: commands that have output to flush (chat's stream, batch's in-flight items)
//! catch it themselves where it matters. Before they do, the default SIGINT action ends
//! the process, which the shell reports as status 130, as it should.

pub mod api;
pub mod args;
pub mod attach;
pub mod batch;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod conversation;
pub mod docs;
pub mod embed;
pub mod error;
pub mod exit;
pub mod input;
pub mod ledger;
pub mod media;
pub mod models;
pub mod output;
pub mod pace;
pub mod prices;
pub mod prompt_cache;
pub mod render;
pub mod report;
pub mod rerank;
pub mod secret;
pub mod speech;
pub mod store;
pub mod term;
pub mod tools;
pub mod units;
pub mod validate;

use cli::{Cli, Command};
use config::Settings;
use exit::Exit;

/// Runs the parsed command line and returns the exit status.
pub fn run(mut cli: Cli) -> anyhow::Result<Exit> {
    let env = |name: &str| std::env::var(name).ok();
    cli.global = cli.global.with_env(&env)?;
    let path: Vec<&str> = cli.path.iter().map(String::as_str).collect();
    cli::formats::check(&path, cli.global.format)?;
    if let Command::Completions(args) = &cli.command {
        return commands::completions::run(args, cli::command());
    }
    // Reports on the local store need only the data directory: no profile, key or runtime.
    if let Command::Usage(args) = &cli.command {
        return commands::usage::run(cli.global.format, cli.global.quiet, args);
    }
    if let Command::Cache(args) = &cli.command {
        return commands::cache::run(cli.global.format, cli.global.quiet, args);
    }
    // `doctor` resolves the settings itself: a broken config is one of its findings.
    if let Command::Doctor(args) = &cli.command {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        return runtime.block_on(commands::doctor::run(&cli.global.overrides(), args));
    }
    let lookup = |name: &str| std::env::var(name).ok();
    let quiet = cli.global.quiet;
    let settings = Settings::resolve(&cli.global.overrides(), &lookup, &mut |warning| {
        if !quiet {
            term::note("warning", &warning);
        }
    })?;
    // One thread is plenty for an I/O-bound client and starts fastest; batch concurrency
    // comes from polling many requests on it too (`block_on` needs no `Send`). Worker
    // threads for `batch` were measured too: hyper's connection tasks then parse beside
    // the engine, but every response and request crosses threads, and with the slot,
    // ledger and walker fixes of bench/batch.sh the single thread was as fast or faster.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(dispatch(&settings, cli.command))
}

async fn dispatch(settings: &Settings, command: Command) -> anyhow::Result<Exit> {
    match command {
        Command::Chat(args) => commands::chat::run(settings, args).await,
        Command::Sessions(args) => commands::sessions::run(settings, args),
        Command::Files(args) => commands::files::run(settings, args).await,
        Command::Batch(args) => commands::batch::run(settings, args).await,
        Command::Tools(args) => commands::tools::run(settings, args).await,
        Command::Complete(args) => commands::complete::run(settings, args.0).await,
        Command::Models(args) => commands::models::run(settings, args).await,
        Command::Embed(args) => commands::embed::run(settings, args.0).await,
        Command::Rerank(args) => commands::rerank::run(settings, args.0).await,
        Command::Completions(args) => commands::completions::run(&args, cli::command()),
        Command::Usage(_) | Command::Cache(_) | Command::Doctor(_) => {
            unreachable!("run() handles these first")
        }
    }
}
