//! `qwen completions`: print a shell completion script.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::Exit;

/// Runs `qwen completions`.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<Exit> {
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut Cli::command(), "qwen", &mut out);
    out.flush()?;
    Ok(Exit::Success)
}
