//! One module per subcommand: glue between the CLI, the API engine, the store and output.

pub mod batch;
pub mod cache;
pub mod chat;
pub mod completions;
pub mod usage;
