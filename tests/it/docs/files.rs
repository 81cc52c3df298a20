//! `qwen files list|rm|prune`: documents uploaded for Qwen-Long, locally and on the server.
