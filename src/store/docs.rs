//! Documents uploaded for Qwen-Long (`--doc`, `purpose=file-extract`): content hash and API
//! root to the server's file id, so the same bytes are uploaded once per endpoint, and
//! `qwen files` can show and delete what was uploaded.

use rusqlite::{OptionalExtension, params};

use super::Store;

/// One uploaded document as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRow {
    /// SHA-256 of the file's bytes, hex.
    pub digest: String,
    /// The compat root it was uploaded to (`…/compatible-mode/v1`).
    pub root: String,
    /// The server's id (`file-fe-…`).
    pub file_id: String,
    /// The file's name when it was uploaded.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// When it was uploaded, Unix ms.
    pub created_ms: i64,
}

impl DocRow {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            digest: r.get(0)?,
            root: r.get(1)?,
            file_id: r.get(2)?,
            name: r.get(3)?,
            bytes: super::calls::count(r.get(4)?).unwrap_or(0),
            created_ms: r.get(5)?,
        })
    }
}

const COLUMNS: &str = "digest, root, file_id, name, bytes, created_ms";

impl Store {
    /// Returns the upload of `digest` to `root`, if there is one.
    pub fn find_doc(&self, digest: &str, root: &str) -> anyhow::Result<Option<DocRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM docs WHERE digest = ?1 AND root = ?2"),
                params![digest, root],
                DocRow::read,
            )
            .optional()?)
    }

    /// Records an upload, replacing an older one of the same bytes to the same root.
    pub fn save_doc(&self, row: &DocRow) -> anyhow::Result<()> {
        self.conn.execute(
            &format!(
                "INSERT INTO docs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (digest, root) DO UPDATE
                 SET file_id = ?3, name = ?4, bytes = ?5, created_ms = ?6"
            ),
            params![
                row.digest,
                row.root,
                row.file_id,
                row.name,
                i64::try_from(row.bytes).unwrap_or(i64::MAX),
                row.created_ms
            ],
        )?;
        Ok(())
    }

    /// Returns the uploads to `root`, oldest first.
    pub fn docs(&self, root: &str) -> anyhow::Result<Vec<DocRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM docs WHERE root = ?1 ORDER BY created_ms, file_id"
        ))?;
        let rows = stmt.query_map(params![root], DocRow::read)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets the upload with this server id; returns how many rows went.
    pub fn forget_doc(&self, root: &str, file_id: &str) -> anyhow::Result<usize> {
        Ok(self.conn.execute(
            "DELETE FROM docs WHERE root = ?1 AND file_id = ?2",
            params![root, file_id],
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(digest: &str, id: &str, created_ms: i64) -> DocRow {
        DocRow {
            digest: digest.into(),
            root: "http://127.0.0.1:1/v1".into(),
            file_id: id.into(),
            name: "a.pdf".into(),
            bytes: 12,
            created_ms,
        }
    }

    #[test]
    fn docs_are_kept_per_digest_and_root_and_forgotten_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.save_doc(&row("d1", "file-fe-1", 2)).unwrap();
        store.save_doc(&row("d2", "file-fe-2", 1)).unwrap();
        // The same bytes again replace the older id.
        store.save_doc(&row("d1", "file-fe-3", 3)).unwrap();
        let found = store.find_doc("d1", "http://127.0.0.1:1/v1").unwrap();
        assert_eq!(found.map(|r| r.file_id), Some("file-fe-3".into()));
        assert_eq!(store.find_doc("d1", "other").unwrap(), None);
        let ids: Vec<_> = store
            .docs("http://127.0.0.1:1/v1")
            .unwrap()
            .into_iter()
            .map(|r| r.file_id)
            .collect();
        assert_eq!(ids, ["file-fe-2", "file-fe-3"]);
        assert_eq!(
            store
                .forget_doc("http://127.0.0.1:1/v1", "file-fe-2")
                .unwrap(),
            1
        );
        assert_eq!(store.docs("http://127.0.0.1:1/v1").unwrap().len(), 1);
    }
}
