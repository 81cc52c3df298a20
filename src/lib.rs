//! `qwen`: a fast, scriptable client for Alibaba's Qwen models.
//!
//! `main` parses the command line and calls [`run`]; this module resolves settings once,
//! builds the single-threaded runtime, and dispatches to one command. Ctrl-C anywhere
//! outside a command's own handling ends the process with exit status 130.

pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod input;
pub mod ledger;
pub mod models;
pub mod output;
pub mod store;

use cli::{Cli, Command};
use config::Settings;
use error::Exit;

/// Runs the parsed command line and returns the exit status.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    if let Command::Completions(args) = &cli.command {
        return commands::completions::run(args);
    }
    let lookup = |name: &str| std::env::var(name).ok();
    let quiet = cli.global.quiet;
    let settings = Settings::resolve(&cli.global, &lookup, &mut |warning| {
        if !quiet {
            error::note("warning", &warning);
        }
    })?;
    // One thread is plenty for an I/O-bound client and starts fastest; batch concurrency
    // comes from polling many requests on it, not from threads.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        tokio::select! {
            biased;
            result = dispatch(&settings, cli.command) => result,
            _ = tokio::signal::ctrl_c() => Ok(Exit::Interrupted),
        }
    })
}

async fn dispatch(settings: &Settings, command: Command) -> anyhow::Result<Exit> {
    match command {
        Command::Chat(args) => commands::chat::run(settings, args).await,
        Command::Completions(args) => commands::completions::run(&args),
    }
}
