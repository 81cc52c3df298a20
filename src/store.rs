//! The local SQLite store: schema, migrations, ledger rows and saved conversations.
//!
//! This module owns the on-disk format only: `store/report.rs` reads ledger rows for
//! `commands/usage.rs`, which builds the reports; `store/replies.rs` keeps the response
//! cache, whose keys and values `cache.rs` makes. Many `qwen` processes may write at once
//! (`xargs -P 16`): WAL, a busy timeout and short `IMMEDIATE` transactions keep them from
//! failing on a locked database (simonw/llm#789).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::api::types::{Message, Role, ToolCall};

mod jobs;
mod replies;
mod report;
mod routes;

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
];

/// An open store.
pub struct Store {
    conn: Connection,
    /// The WAL size at which to try folding it next: past the limit, and after a fold that
    /// another process held up, another limit's worth of growth later.
    fold_at: u64,
}

/// A saved conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// Row id.
    pub id: i64,
    /// The name given with `--session`, if any.
    pub name: Option<String>,
    /// The model of its last exchange.
    pub model: String,
}

/// One line of `--list-sessions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    /// The conversation.
    pub conversation: Conversation,
    /// How many messages it holds.
    pub messages: u64,
    /// When it was last used (Unix ms).
    pub updated_ms: i64,
    /// The start of its first user message.
    pub preview: String,
}

/// One row of the usage ledger: one API attempt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallRow {
    /// When the attempt started.
    pub ts: Option<SystemTime>,
    /// The `qwen` command (`chat`, `batch`, …).
    pub command: String,
    /// The profile in use.
    pub profile: Option<String>,
    /// The API host.
    pub host: Option<String>,
    /// The model that answered, as the server named it (else the model asked for).
    pub model: String,
    /// The model asked for, when the server answered as another.
    pub requested_model: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// The HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// The error code, if the attempt failed.
    pub error_code: Option<String>,
    /// Attempt number within its request (1 = first try).
    pub attempt: u32,
    /// Input tokens.
    pub prompt_tokens: Option<u64>,
    /// Output tokens.
    pub completion_tokens: Option<u64>,
    /// Reasoning tokens.
    pub reasoning_tokens: Option<u64>,
    /// Cached input tokens.
    pub cached_tokens: Option<u64>,
    /// Time to first token.
    pub ttft: Option<Duration>,
    /// Total latency.
    pub latency: Duration,
    /// Batch job id, for batch items.
    pub batch_id: Option<String>,
    /// Batch item id.
    pub item_id: Option<String>,
    /// Estimated cost, when the price is known.
    pub cost: Option<f64>,
    /// The currency of `cost` (`USD`, `CNY`).
    pub currency: Option<String>,
    /// The reply came from the response cache: nothing was sent or billed.
    pub cache_hit: bool,
    /// For a cache hit: the tokens the original request used.
    pub saved_tokens: Option<u64>,
    /// Prompt text, only with `log_content`.
    pub prompt: Option<String>,
    /// Response text, only with `log_content`.
    pub response: Option<String>,
}

pub(crate) fn now_ms() -> i64 {
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
        conn.pragma_update(None, "journal_mode", "WAL")?;
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

    /// Appends rows to the usage ledger in one short transaction.
    pub fn record_calls(&mut self, rows: &[CallRow]) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO calls (ts_ms, command, profile, host, model, request_id, status,
                    error_code, attempt, prompt_tokens, completion_tokens, reasoning_tokens,
                    cached_tokens, ttft_ms, latency_ms, batch_id, item_id, cost, currency,
                    cache_hit, saved_tokens, prompt, response, requested_model)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
            )?;
            for r in rows {
                let secs = |d: Duration| d.as_secs_f64() * 1000.0;
                stmt.execute(params![
                    ms(r.ts.unwrap_or_else(SystemTime::now)),
                    r.command,
                    r.profile,
                    r.host,
                    r.model,
                    r.request_id,
                    r.status,
                    r.error_code,
                    r.attempt,
                    r.prompt_tokens.map(|v| v as i64),
                    r.completion_tokens.map(|v| v as i64),
                    r.reasoning_tokens.map(|v| v as i64),
                    r.cached_tokens.map(|v| v as i64),
                    r.ttft.map(secs),
                    secs(r.latency),
                    r.batch_id,
                    r.item_id,
                    r.cost,
                    r.currency,
                    r.cache_hit,
                    r.saved_tokens.map(|v| v as i64),
                    r.prompt,
                    r.response,
                    r.requested_model,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Returns the number of ledger rows (for tests and `doctor`).
    pub fn count_calls(&self) -> anyhow::Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Returns the most recently used conversation.
    pub fn last_conversation(&self) -> anyhow::Result<Option<Conversation>> {
        self.find_conversation("ORDER BY updated_ms DESC, id DESC LIMIT 1", None)
    }

    /// Returns the conversation with this `--session` name.
    pub fn named_conversation(&self, name: &str) -> anyhow::Result<Option<Conversation>> {
        self.find_conversation("WHERE name = ?1", Some(name))
    }

    fn find_conversation(
        &self,
        tail: &str,
        arg: Option<&str>,
    ) -> anyhow::Result<Option<Conversation>> {
        let sql = format!("SELECT id, name, model FROM conversations {tail}");
        let map = |r: &rusqlite::Row<'_>| {
            Ok(Conversation {
                id: r.get(0)?,
                name: r.get(1)?,
                model: r.get(2)?,
            })
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let found = match arg {
            Some(a) => stmt.query_row([a], map).optional()?,
            None => stmt.query_row([], map).optional()?,
        };
        Ok(found)
    }

    /// Returns a conversation's messages, oldest first.
    pub fn messages(&self, conversation: i64) -> anyhow::Result<Vec<Message>> {
        let mut stmt = self.conn.prepare(
            "SELECT role, content, reasoning, tool_calls, tool_call_id FROM messages
             WHERE conversation_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([conversation], |r| {
            let role: String = r.get(0)?;
            let calls: Option<String> = r.get(3)?;
            Ok((role, r.get(1)?, r.get(2)?, calls, r.get(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (role, content, reasoning, calls, tool_call_id) = row?;
            let tool_calls: Vec<ToolCall> = match calls {
                Some(json) => serde_json::from_str(&json).context("corrupt tool calls in store")?,
                None => Vec::new(),
            };
            out.push(Message {
                role: Role::parse(&role).unwrap_or(Role::User),
                content,
                reasoning,
                tool_calls,
                tool_call_id,
            });
        }
        Ok(out)
    }

    /// Appends messages to a conversation (creating it when `conversation` is `None`) and
    /// returns its id.
    pub fn append(
        &mut self,
        conversation: Option<i64>,
        name: Option<&str>,
        model: &str,
        messages: &[Message],
    ) -> anyhow::Result<i64> {
        let now = now_ms();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = match conversation {
            Some(id) => {
                tx.execute(
                    "UPDATE conversations SET updated_ms = ?1, model = ?2 WHERE id = ?3",
                    params![now, model, id],
                )?;
                id
            }
            // Create-or-get in one statement: processes that each started a new named
            // session at once (none found it) all append to the one conversation.
            None => tx.query_row(
                "INSERT INTO conversations (name, model, created_ms, updated_ms)
                 VALUES (?1, ?2, ?3, ?3)
                 ON CONFLICT (name) DO UPDATE SET updated_ms = ?3, model = ?2
                 RETURNING id",
                params![name, model, now],
                |r| r.get(0),
            )?,
        };
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO messages (conversation_id, role, content, reasoning, tool_calls,
                    tool_call_id, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for m in messages {
                let calls = (!m.tool_calls.is_empty())
                    .then(|| serde_json::to_string(&m.tool_calls))
                    .transpose()?;
                stmt.execute(params![
                    id,
                    m.role.as_str(),
                    m.content,
                    m.reasoning,
                    calls,
                    m.tool_call_id,
                    now
                ])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// Lists conversations, most recent first.
    pub fn list_conversations(&self, limit: usize) -> anyhow::Result<Vec<ConversationSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.name, c.model, c.updated_ms,
                (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id),
                (SELECT substr(content, 1, 80) FROM messages m
                   WHERE m.conversation_id = c.id AND m.role = 'user' ORDER BY id LIMIT 1)
             FROM conversations c ORDER BY c.updated_ms DESC, c.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(ConversationSummary {
                conversation: Conversation {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    model: r.get(2)?,
                },
                updated_ms: r.get(3)?,
                messages: r.get::<_, i64>(4)? as u64,
                preview: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversations_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len());
        assert!(store.last_conversation().unwrap().is_none());
        let mut answer = Message::new(Role::Assistant, "hello");
        answer.tool_calls.push(ToolCall {
            id: "c1".into(),
            name: "f".into(),
            arguments: "{}".into(),
        });
        let msgs = [Message::new(Role::User, "hi"), answer];
        let id = store
            .append(None, Some("work"), "qwen-plus", &msgs)
            .unwrap();
        store
            .append(
                Some(id),
                None,
                "qwen-max",
                &[Message::new(Role::User, "more")],
            )
            .unwrap();
        let conv = store.named_conversation("work").unwrap().unwrap();
        assert_eq!(conv.model, "qwen-max");
        assert_eq!(store.last_conversation().unwrap().unwrap().id, id);
        let back = store.messages(id).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[1], msgs[1]);
        let list = store.list_conversations(10).unwrap();
        assert_eq!((list[0].messages, list[0].preview.as_str()), (3, "hi"));
    }

    #[test]
    fn a_new_named_session_started_twice_is_one_conversation() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Store::open(dir.path()).unwrap();
        let mut b = Store::open(dir.path()).unwrap();
        // Both looked the name up before either saved: both append as "new".
        assert!(a.named_conversation("s").unwrap().is_none());
        assert!(b.named_conversation("s").unwrap().is_none());
        let first = a
            .append(None, Some("s"), "m", &[Message::new(Role::User, "one")])
            .unwrap();
        let second = b
            .append(None, Some("s"), "m", &[Message::new(Role::User, "two")])
            .unwrap();
        assert_eq!(first, second);
        assert_eq!(a.messages(first).unwrap().len(), 2);
        // Unnamed conversations stay separate (NULL names never conflict).
        let x = a.append(None, None, "m", &[]).unwrap();
        let y = a.append(None, None, "m", &[]).unwrap();
        assert_ne!(x, y);
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
