//! The API layer: one `reqwest::Client` per process, requests in, events or [`ApiError`] out.
//!
//! It knows nothing of the command line, the config file, the store or output. It sends
//! requests ([`client`]), turns non-2xx answers into one typed error whichever body shape
//! the server used ([`error`]), and hands back a [`Reply`] that yields neutral
//! [`types::Event`]s for both streamed and whole responses ([`reply`]).

pub mod batches;
pub mod client;
pub mod compat;
pub mod embeddings;
pub mod endpoints;
pub mod error;
pub mod listing;
pub mod media;
pub mod native;
pub mod paced;
pub mod reply;
pub mod rerank;
pub mod retry;
pub mod sse;
pub mod turn;
pub mod types;
pub mod uploads;

pub use client::{Client, Prepared, prepare_chat};
pub use endpoints::{Endpoint, Protocol, RouteMemory};
pub use error::{ApiError, error_from_body};
use error::{request_id_header, retry_after};
pub use reply::Reply;
