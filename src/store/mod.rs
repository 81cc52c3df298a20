//! The local SQLite store: schema, migrations, ledger rows and saved conversations.
//!
//! This module owns the on-disk format only: `calls.rs` writes ledger rows and `report.rs`
//! reads them for `crate::report`, which builds the reports; `conversations.rs` keeps saved
//! conversations; `replies.rs` keeps the response cache, whose keys and values `cache.rs`
//! makes; `jobs.rs` remote batch jobs; `routes.rs` learnt native routes; `uploads.rs` and `docs.rs` uploaded files. Many `qwen` processes may write at once
//! (`xargs -P 16`): WAL, a busy timeout and short `IMMEDIATE` transactions keep them from
//! failing on a locked database (simonw/llm#789).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use rusqlite::{Connection, TransactionBehavior};

mod calls;
mod conversations;
mod docs;
mod jobs;
mod replies;
mod report;
mod routes;
mod uploads;

pub use calls::{CallRow, MediaTokens};
pub use conversations::{Conversation, ConversationSummary, ExchangeMeta, TranscriptEntry};
pub use docs::DocRow;
pub use jobs::{JobItem, JobPart, RemoteJob};
pub use replies::{CachedReply, ReplyStats};
pub use report::{CallFact, CallFilter, KeyColumns, LoggedCall};
pub use routes::NativeRoutes;

/// The file name of the store inside the data directory.
pub const FILE_NAME: &str = "qwen.db";

/// Schema migrations, applied in order; `PRAGMA user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: conversations and the usage ledger.
    "CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        name TEXT UNIQUE,
        model TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        reasoning TEXT,
        tool_calls TEXT,
        tool_call_id TEXT,
        created_ms INTEGER NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE INDEX conversations_by_update ON conversations(updated_ms);
    CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        ts_ms INTEGER NOT NULL,
        command TEXT NOT NULL,
        profile TEXT,
        host TEXT,
        model TEXT NOT NULL,
        request_id TEXT,
        status INTEGER,
        error_code TEXT,
        attempt INTEGER NOT NULL,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        reasoning_tokens INTEGER,
        cached_tokens INTEGER,
        ttft_ms REAL,
        latency_ms REAL NOT NULL,
        batch_id TEXT,
        item_id TEXT,
        cost_usd REAL,
        cache_hit INTEGER NOT NULL DEFAULT 0,
        prompt TEXT,
        response TEXT
    );
    CREATE INDEX calls_by_time ON calls(ts_ms);",
    // 2: cost in the price's own currency (CNY in Beijing), tokens a cache hit saved, the
    // response cache, and an index for `qwen usage --model`.
    "ALTER TABLE calls ADD COLUMN cost REAL;
    ALTER TABLE calls ADD COLUMN currency TEXT;
    UPDATE calls SET cost = cost_usd, currency = 'USD' WHERE cost_usd IS NOT NULL;
    ALTER TABLE calls DROP COLUMN cost_usd;
    ALTER TABLE calls ADD COLUMN saved_tokens INTEGER;
    CREATE INDEX calls_by_model ON calls(model, ts_ms);
    CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        reply TEXT NOT NULL
    );
    CREATE INDEX response_cache_by_time ON response_cache(created_ms);",
    // 3: `qwen batch --remote` jobs: their parts (file and batch ids) and item map, so a
    // crash or Ctrl-C while polling never orphans a job.
    "CREATE TABLE remote_jobs (
        id TEXT PRIMARY KEY,
        created_ms INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        base_url TEXT NOT NULL,
        window TEXT NOT NULL,
        output TEXT,
        out_dir TEXT,
        ext TEXT,
        items INTEGER NOT NULL,
        state TEXT NOT NULL
    );
    CREATE INDEX remote_jobs_by_fingerprint ON remote_jobs(fingerprint, state);
    CREATE TABLE remote_parts (
        job_id TEXT NOT NULL REFERENCES remote_jobs(id) ON DELETE CASCADE,
        part INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        lines INTEGER NOT NULL,
        file_id TEXT,
        batch_id TEXT,
        status TEXT,
        PRIMARY KEY (job_id, part)
    );
    CREATE TABLE remote_items (
        job_id TEXT NOT NULL REFERENCES remote_jobs(id) ON DELETE CASCADE,
        custom_id TEXT NOT NULL,
        part INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        path TEXT,
        key TEXT NOT NULL,
        model TEXT NOT NULL,
        PRIMARY KEY (job_id, custom_id)
    );",
    // 4: when a part's upload and its batch's creation were started, so that only a call
    // whose answer was lost (started, no id recorded) is looked up in the server's lists.
    "ALTER TABLE remote_parts ADD COLUMN upload_started_ms INTEGER;
    ALTER TABLE remote_parts ADD COLUMN create_started_ms INTEGER;",
    // 5: the model asked for, beside the one that answered (`model`), where they differ
    // (`-latest` aliases, local servers); and which native generation path serves each
    // model, learnt from `url error` answers, so the next call goes straight there.
    "ALTER TABLE calls ADD COLUMN requested_model TEXT;
    CREATE TABLE native_routes (
        base_url TEXT NOT NULL,
        model TEXT NOT NULL,
        path TEXT NOT NULL,
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (base_url, model)
    );",
    // 6: what `-c` / `--session` continue with: a conversation's request parameters (JSON)
    // and the tokens its turns used (as the server counted them); a reply cut short by
    // Ctrl-C is kept, marked.
    "ALTER TABLE conversations ADD COLUMN params TEXT;
    ALTER TABLE conversations ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;",
    // 7: the explicit prompt cache (#15): input tokens written to it (billed at 125 %), the
    // `cache_type` of the hits (`ephemeral` = explicit, 10 %; else implicit, 20 %), and the
    // net amount the cache saved, in `currency`.
    "ALTER TABLE calls ADD COLUMN cache_write_tokens INTEGER;
    ALTER TABLE calls ADD COLUMN cache_type TEXT;
    ALTER TABLE calls ADD COLUMN cache_saved REAL;",
    // 8: `--attach`: files in the temporary storage by content hash and model, so the same
    // bytes are not uploaded twice in their 48 hours; media tokens of each call.
    "CREATE TABLE uploads (
        root TEXT NOT NULL,
        model TEXT NOT NULL,
        digest TEXT NOT NULL,
        url TEXT NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (root, model, digest)
    );
    ALTER TABLE calls ADD COLUMN image_tokens INTEGER;
    ALTER TABLE calls ADD COLUMN audio_tokens INTEGER;
    ALTER TABLE calls ADD COLUMN video_tokens INTEGER;",
    // 9: `--doc` (Qwen-Long): documents uploaded with `purpose=file-extract`, by content
    // hash and API root, so the same bytes are uploaded once; Omni's output audio tokens.
    "CREATE TABLE docs (
        digest TEXT NOT NULL,
        root TEXT NOT NULL,
        file_id TEXT NOT NULL,
        name TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (digest, root)
    );
    CREATE INDEX docs_by_file ON docs(file_id);
    ALTER TABLE calls ADD COLUMN output_audio_tokens INTEGER;",
];

/// An open store.
pub struct Store {
    conn: Connection,
    /// The WAL size at which to try folding it next: past the limit, and after a fold that
    /// another process held up, another limit's worth of growth later.
    fold_at: u64,
}

/// The time now, in Unix milliseconds (as the store saves times).
pub fn now_ms() -> i64 {
    ms(SystemTime::now())
}

fn ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// WAL size past which the WAL is folded into the database (see [`Store::fold_wal`]).
const WAL_TRUNCATE_BYTES: u64 = 256 * 1024;

/// How long a write waits for another process's transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Switches the connection to WAL, waiting out other processes that are doing the same.
///
/// Processes that create the store at the same moment race to switch the new file to WAL.
/// The losers read the header under a shared lock and then need the write lock; SQLite
/// refuses that upgrade at once with `SQLITE_BUSY`, without calling the busy handler (it
/// could deadlock), so the wait is done here, within the same limit as every other write.
fn enable_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.fold_wal();
    }
}

impl Store {
    /// Folds a WAL past its limit into the database and truncates it.
    ///
    /// With `NO_CKPT_ON_CLOSE` the WAL outlives the process, and the next process rebuilds
    /// the WAL index by reading every frame of it: the index lives in shared memory that
    /// goes with the last process, and so does the record of what was checkpointed, so no
    /// checkpoint can ever reset the WAL. Left alone it grows by every run's pages, and each
    /// run's start-up with it (~1,800 reads after 1,300 runs, bench/usage.sh). So a process
    /// that finds it past 256 KiB folds it into the database and truncates it; when another
    /// process is using the store it does not wait, and a later run does it.
    pub fn fold_wal(&mut self) {
        let Some(wal) = self.conn.path().map(|db| format!("{db}-wal")) else {
            return;
        };
        let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
        if size > self.fold_at {
            let _ = self.conn.busy_timeout(Duration::ZERO);
            // The first column is 1 when another connection kept the checkpoint from
            // finishing: try again only after the WAL has grown another limit's worth.
            let done = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    r.get::<_, i64>(0)
                })
                .is_ok_and(|busy| busy == 0);
            let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
            self.fold_at = if done {
                WAL_TRUNCATE_BYTES
            } else {
                size + WAL_TRUNCATE_BYTES
            };
        }
    }

    /// Returns the store's path inside `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// Opens the store, creating or migrating it; safe to call from many processes at once.
    pub fn open(data_dir: &Path) -> anyhow::Result<Store> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("failed to create `{}`", data_dir.display()))?;
        let path = Self::path(data_dir);
        let conn = Connection::open(&path)
            .with_context(|| format!("failed to open `{}`", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers and one writer work at once; NORMAL sync is durable across a
        // process crash (what matters here) without an fsync per row.
        enable_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // By default the last connection to close checkpoints the WAL into the database and
        // deletes it: four fsyncs and a file create/unlink on every `qwen` run, most of the
        // cost of a short chat. SQLite's periodic auto-checkpoint (every 1,000 pages) does
        // that work instead, amortised over many runs.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            fold_at: WAL_TRUNCATE_BYTES,
        };
        store
            .migrate()
            .with_context(|| format!("failed to prepare `{}`", path.display()))?;
        Ok(store)
    }

    fn migrate(&mut self) -> anyhow::Result<()> {
        if self.schema_version()? >= MIGRATIONS.len() {
            return Ok(());
        }
        // IMMEDIATE takes the write lock first, so two processes never both migrate.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let current = usize::try_from(current).unwrap_or(0);
        for sql in MIGRATIONS.iter().skip(current) {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
        tx.commit()?;
        Ok(())
    }

    /// Returns the schema version (the number of migrations applied).
    pub fn schema_version(&self) -> anyhow::Result<usize> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok(usize::try_from(version).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Processes that create the store at the same moment all get it: the losers of the
    /// race to switch the new file to WAL are refused without SQLite's busy handler (they
    /// hold a read lock), which once failed a CI run with "database is locked".
    #[test]
    fn many_openers_of_a_new_store_all_succeed() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let start = std::sync::Arc::new(std::sync::Barrier::new(12));
            let openers: Vec<_> = (0..12)
                .map(|_| {
                    let (dir, start) = (dir.path().to_owned(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        Store::open(&dir).map(|_| ()).map_err(|e| format!("{e:#}"))
                    })
                })
                .collect();
            for opener in openers {
                opener.join().unwrap().unwrap();
            }
        }
    }

    #[test]
    fn reopening_does_not_migrate_twice() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store
            .record_calls(&[CallRow {
                command: "chat".into(),
                model: "m".into(),
                attempt: 1,
                ..Default::default()
            }])
            .unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.count_calls().unwrap(), 1);
    }

    /// The schema as migration 1 left it, frozen here so that changes to `MIGRATIONS` cannot
    /// hide a broken upgrade path.
    const V1_SCHEMA: &str = "
        CREATE TABLE conversations (id INTEGER PRIMARY KEY, name TEXT UNIQUE,
            model TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
        CREATE TABLE messages (id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL, content TEXT NOT NULL, reasoning TEXT, tool_calls TEXT,
            tool_call_id TEXT, created_ms INTEGER NOT NULL);
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE INDEX conversations_by_update ON conversations(updated_ms);
        CREATE TABLE calls (id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL,
            command TEXT NOT NULL, profile TEXT, host TEXT, model TEXT NOT NULL,
            request_id TEXT, status INTEGER, error_code TEXT, attempt INTEGER NOT NULL,
            prompt_tokens INTEGER, completion_tokens INTEGER, reasoning_tokens INTEGER,
            cached_tokens INTEGER, ttft_ms REAL, latency_ms REAL NOT NULL, batch_id TEXT,
            item_id TEXT, cost_usd REAL, cache_hit INTEGER NOT NULL DEFAULT 0, prompt TEXT,
            response TEXT);
        CREATE INDEX calls_by_time ON calls(ts_ms);
        PRAGMA user_version = 1;";

    #[test]
    fn a_version_1_store_is_migrated_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(Store::path(dir.path())).unwrap();
            conn.execute_batch(V1_SCHEMA).unwrap();
            conn.execute_batch(
                "INSERT INTO conversations VALUES (1, 'old', 'qwen-max', 5, 6);
                 INSERT INTO messages VALUES (1, 1, 'user', 'hello', NULL, NULL, NULL, 5);
                 INSERT INTO calls (ts_ms, command, model, attempt, prompt_tokens, latency_ms,
                     cost_usd) VALUES (7, 'chat', 'qwen-max', 1, 12, 3.5, 0.25);
                 INSERT INTO calls (ts_ms, command, model, attempt, latency_ms, error_code)
                     VALUES (8, 'chat', 'qwen-max', 2, 1.0, 'timeout');",
            )
            .unwrap();
        }
        let mut store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len());
        let conv = store.named_conversation("old").unwrap().unwrap();
        assert_eq!(store.messages(conv.id).unwrap()[0].content, "hello");
        let log = store.recent_calls(&CallFilter::default(), 10).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(
            (log[0].cost, log[0].currency.as_deref()),
            (Some(0.25), Some("USD"))
        );
        assert_eq!((log[0].prompt_tokens, log[0].latency_ms), (Some(12), 3.5));
        assert_eq!((log[1].cost, log[1].currency.as_deref()), (None, None));
        assert_eq!(log[1].error_code.as_deref(), Some("timeout"));
        // The migrated store takes new rows and cached replies.
        store
            .record_calls(&[CallRow {
                command: "chat".into(),
                model: "m".into(),
                attempt: 1,
                cost: Some(1.5),
                currency: Some("CNY".into()),
                ..Default::default()
            }])
            .unwrap();
        store.put_reply("k", "m", "{}").unwrap();
        assert_eq!(store.count_calls().unwrap(), 3);
    }
}
