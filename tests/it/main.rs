//! The one integration-test binary: drives the real `qwen` binary against loopback servers.

mod assets;
mod batch;
mod batch_api;
mod batch_output;
mod batch_run;
mod chat;
mod common;
mod complete;
mod config;
mod doctor;
mod embed;
mod errors;
mod fault;
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
mod usage;
