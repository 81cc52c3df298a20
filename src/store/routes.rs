//! Which native generation path serves each model, learnt from `url error` answers, so the
//! next run goes straight there (the API layer asks through [`RouteMemory`]).

use std::path::PathBuf;

use rusqlite::{OptionalExtension, params};

use super::{Store, now_ms};
use crate::api::RouteMemory;

/// The native routes kept in the store of a data directory; the store is opened only when
/// asked, and never created just to find it empty.
#[derive(Debug, Clone)]
pub struct NativeRoutes(pub PathBuf);

impl RouteMemory for NativeRoutes {
    fn recall(&self, base_url: &str, model: &str) -> Option<String> {
        if !Store::path(&self.0).exists() {
            return None;
        }
        let store = Store::open(&self.0).ok()?;
        store.native_route(base_url, model).ok()?
    }

    fn remember(&self, base_url: &str, model: &str, path: &str) {
        if let Ok(store) = Store::open(&self.0) {
            let _ = store.set_native_route(base_url, model, path);
        }
    }
}

impl Store {
    /// Returns the native generation path learnt for `model` at `base_url`, if any.
    pub fn native_route(&self, base_url: &str, model: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT path FROM native_routes WHERE base_url = ?1 AND model = ?2",
                params![base_url, model],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Remembers the native generation path that served `model` at `base_url`.
    pub fn set_native_route(&self, base_url: &str, model: &str, path: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO native_routes (base_url, model, path, updated_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (base_url, model) DO UPDATE SET path = ?3, updated_ms = ?4",
            params![base_url, model, path, now_ms()],
        )?;
        Ok(())
    }
}
