//! One module per subcommand, each with its clap arguments beside its handler: it turns the
//! command line into an engine's options, calls the engine, and renders what it returns.
//! `common.rs` holds what the commands that send a prompt share.

pub mod batch;
pub mod cache;
pub mod chat;
pub mod common;
pub mod complete;
pub mod completions;
pub mod doctor;
pub mod editor;
pub mod embed;
pub mod exchange;
pub mod files;
pub mod interactive;
pub mod models;
pub mod rerank;
pub mod sessions;
pub mod tools;
pub mod usage;
