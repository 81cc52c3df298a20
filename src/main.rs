fn main() -> std::process::ExitCode {
    let cli = qwen::cli::Cli::parse_args();
    match qwen::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => qwen::error::report(&err).into(),
    }
}
