//! One module per subcommand: glue between the CLI, the API engine, the store and output.

pub mod batch;
pub mod cache;
pub mod chat;
pub mod common;
pub mod complete;
pub mod completions;
pub mod doctor;
pub mod embed;
pub mod models;
pub mod tools;
pub mod usage;
