//! Files uploaded to the temporary storage (`--attach`): content hash and model to the
//! `oss://` URL and when it expires, so a rerun or a resumed batch never uploads the same
//! bytes twice within their lifetime.

use rusqlite::{OptionalExtension, params};

use super::Store;

impl Store {
    /// Returns the URL of an upload of `digest` for `model` under `root` that is still
    /// valid at `valid_until_ms`, if any.
    pub fn find_upload(
        &self,
        root: &str,
        model: &str,
        digest: &str,
        valid_until_ms: i64,
    ) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT url FROM uploads
                 WHERE root = ?1 AND model = ?2 AND digest = ?3 AND expires_ms > ?4",
                params![root, model, digest, valid_until_ms],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records an upload (replacing an older one of the same bytes), and forgets expired ones.
    pub fn save_upload(
        &self,
        root: &str,
        model: &str,
        digest: &str,
        url: &str,
        expires_ms: i64,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO uploads (root, model, digest, url, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (root, model, digest) DO UPDATE SET url = ?4, expires_ms = ?5",
            params![root, model, digest, url, expires_ms],
        )?;
        self.conn.execute(
            "DELETE FROM uploads WHERE expires_ms < ?1",
            params![super::now_ms()],
        )?;
        Ok(())
    }
}
