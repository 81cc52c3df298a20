//! The response cache table: replies stored under a request key, for `--cache`.
//!
//! Keys and the reply encoding belong to `cache.rs`; this module only stores text. Writes are
//! single statements (their own short transactions), so concurrent `qwen` processes share the
//! table the way they share the ledger.

use rusqlite::{OptionalExtension, params};

use super::{Store, now_ms};

/// A stored reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedReply {
    /// The reply, as `cache.rs` encoded it.
    pub reply: String,
    /// When it was stored (Unix ms).
    pub created_ms: i64,
}

/// What `qwen cache` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyStats {
    /// Stored replies.
    pub entries: u64,
    /// Their size in bytes.
    pub bytes: u64,
    /// The oldest one (Unix ms).
    pub oldest_ms: Option<i64>,
    /// The newest one (Unix ms).
    pub newest_ms: Option<i64>,
    /// Ledger rows served from the cache.
    pub hits: u64,
    /// Tokens those hits saved.
    pub saved_tokens: u64,
}

impl Store {
    /// Returns the reply stored under `key`, if it was stored at or after `newer_than_ms`.
    pub fn cached_reply(
        &self,
        key: &str,
        newer_than_ms: Option<i64>,
    ) -> anyhow::Result<Option<CachedReply>> {
        let found = self
            .conn
            .query_row(
                "SELECT reply, created_ms FROM response_cache WHERE key = ?1 AND created_ms >= ?2",
                params![key, newer_than_ms.unwrap_or(i64::MIN)],
                |r| {
                    Ok(CachedReply {
                        reply: r.get(0)?,
                        created_ms: r.get(1)?,
                    })
                },
            )
            .optional()?;
        Ok(found)
    }

    /// Stores a reply under `key`, replacing an older one.
    pub fn put_reply(&mut self, key: &str, model: &str, reply: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO response_cache (key, model, created_ms, reply)
             VALUES (?1, ?2, ?3, ?4)",
            params![key, model, now_ms(), reply],
        )?;
        Ok(())
    }

    /// Deletes stored replies (only those older than `older_than_ms`, if given) and returns
    /// how many went.
    pub fn clear_replies(&mut self, older_than_ms: Option<i64>) -> anyhow::Result<u64> {
        let n = self.conn.execute(
            "DELETE FROM response_cache WHERE created_ms < ?1",
            [older_than_ms.unwrap_or(i64::MAX)],
        )?;
        Ok(n as u64)
    }

    /// Counts stored replies and the ledger's cache hits.
    pub fn reply_stats(&self) -> anyhow::Result<ReplyStats> {
        let mut stats = self.conn.query_row(
            "SELECT count(*), coalesce(sum(length(CAST(reply AS BLOB))), 0), min(created_ms),
                max(created_ms)
             FROM response_cache",
            [],
            |r| {
                Ok(ReplyStats {
                    entries: r.get::<_, i64>(0)? as u64,
                    bytes: r.get::<_, i64>(1)? as u64,
                    oldest_ms: r.get(2)?,
                    newest_ms: r.get(3)?,
                    ..Default::default()
                })
            },
        )?;
        (stats.hits, stats.saved_tokens) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(saved_tokens), 0) FROM calls WHERE cache_hit = 1",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?;
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_round_trip_expire_and_clear() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        assert_eq!(store.cached_reply("k", None).unwrap(), None);
        store.put_reply("k", "m", "{\"text\":\"hi\"}").unwrap();
        store.put_reply("k", "m", "{\"text\":\"hello\"}").unwrap();
        let got = store.cached_reply("k", None).unwrap().unwrap();
        assert_eq!(got.reply, "{\"text\":\"hello\"}");
        assert!(
            store
                .cached_reply("k", Some(got.created_ms + 1))
                .unwrap()
                .is_none()
        );
        let stats = store.reply_stats().unwrap();
        assert_eq!((stats.entries, stats.bytes), (1, 16));
        assert_eq!(store.clear_replies(Some(got.created_ms)).unwrap(), 0);
        assert_eq!(store.clear_replies(None).unwrap(), 1);
        assert_eq!(store.reply_stats().unwrap().entries, 0);
    }
}
