fn main() -> std::process::ExitCode {
    let cli = qwen::cli::parse();
    match qwen::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => qwen::error::report(&err).into(),
    }
}
