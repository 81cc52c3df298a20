//! The one integration-test binary: drives the real `qwen` binary against loopback servers.

mod assets;
