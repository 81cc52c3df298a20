//! `qwen tools run`: the tool loop.

pub mod audit;
pub mod gate;
