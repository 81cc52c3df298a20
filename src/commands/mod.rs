//! One module per subcommand: glue between the CLI, the API engine, the store and output.

pub mod chat;
pub mod completions;
