//! The one integration-test binary: drives the real `qwen` binary against loopback servers.

mod assets;
mod batch;
mod batch_api;
mod chat;
mod common;
mod complete;
mod config;
mod doctor;
mod embed;
mod errors;
mod fault;
mod fidelity;
mod hostile;
mod input;
mod keys;
mod live;
mod models;
mod native;
mod remote;
mod retries;
mod sessions;
mod structured;
mod tools;
mod urls;
mod usage;
