//! `qwen completions`: print a shell completion script.

use std::io::{self, Write};

use clap::Args;
use clap_complete::Shell;

use crate::exit::Exit;

/// Arguments of `qwen completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Runs `qwen completions` for the whole command tree `cli` (the top-level parser's, which
/// the caller holds: commands sit below it).
pub fn run(args: &CompletionsArgs, mut cli: clap::Command) -> anyhow::Result<Exit> {
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut cli, "qwen", &mut out);
    out.flush()?;
    Ok(Exit::Success)
}
