//! Saved conversations (`--continue`, `--session`, `qwen sessions`): their messages, oldest
//! first, the list `qwen sessions list` shows, renaming and deleting them.

use anyhow::Context as _;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, now_ms};
use crate::api::types::{Message, Role, ToolCall};
use crate::exit::UsageError;

/// A saved conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// Row id.
    pub id: i64,
    /// The name given with `--session`, if any.
    pub name: Option<String>,
    /// The model of its last exchange.
    pub model: String,
    /// The request parameters of its last exchange (JSON), if saved.
    pub params: Option<String>,
}

/// One line of `qwen sessions list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    /// The conversation.
    pub conversation: Conversation,
    /// How many messages it holds.
    pub messages: u64,
    /// How many prompts it holds.
    pub turns: u64,
    /// Tokens its turns used, as the server reported them.
    pub tokens: u64,
    /// When it was last used (Unix ms).
    pub updated_ms: i64,
    /// The start of its first user message.
    pub preview: String,
}

impl Store {
    /// Returns the most recently used conversation.
    pub fn last_conversation(&self) -> anyhow::Result<Option<Conversation>> {
        self.find_conversation("ORDER BY updated_ms DESC, id DESC LIMIT 1", None)
    }

    /// Returns the conversation with this `--session` name.
    pub fn named_conversation(&self, name: &str) -> anyhow::Result<Option<Conversation>> {
        self.find_conversation("WHERE name = ?1", Some(name))
    }

    /// Returns the conversation a user means by `key`: the one of that name, else the one
    /// with that id (the ids `qwen sessions list` prints).
    pub fn conversation(&self, key: &str) -> anyhow::Result<Option<Conversation>> {
        if let Some(found) = self.named_conversation(key)? {
            return Ok(Some(found));
        }
        match key.parse::<i64>() {
            Ok(_) => self.find_conversation("WHERE id = ?1", Some(key)),
            Err(_) => Ok(None),
        }
    }

    fn find_conversation(
        &self,
        tail: &str,
        arg: Option<&str>,
    ) -> anyhow::Result<Option<Conversation>> {
        let sql = format!("SELECT id, name, model, params FROM conversations {tail}");
        let map = |r: &rusqlite::Row<'_>| {
            Ok(Conversation {
                id: r.get(0)?,
                name: r.get(1)?,
                model: r.get(2)?,
                params: r.get(3)?,
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
        Ok(self
            .transcript(conversation)?
            .into_iter()
            .map(|e| e.message)
            .collect())
    }

    /// Returns a conversation's messages, oldest first, with when each was saved and
    /// whether it is a reply cut short.
    pub fn transcript(&self, conversation: i64) -> anyhow::Result<Vec<TranscriptEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT role, content, reasoning, tool_calls, tool_call_id, created_ms, interrupted
             FROM messages WHERE conversation_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([conversation], |r| {
            let role: String = r.get(0)?;
            let calls: Option<String> = r.get(3)?;
            let (created_ms, interrupted): (i64, bool) = (r.get(5)?, r.get(6)?);
            Ok((
                role,
                r.get(1)?,
                r.get(2)?,
                calls,
                r.get(4)?,
                created_ms,
                interrupted,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (role, content, reasoning, calls, tool_call_id, created_ms, interrupted) = row?;
            let tool_calls: Vec<ToolCall> = match calls {
                Some(json) => serde_json::from_str(&json).context("corrupt tool calls in store")?,
                None => Vec::new(),
            };
            let message = Message {
                role: Role::parse(&role).unwrap_or(Role::User),
                content,
                reasoning,
                tool_calls,
                tool_call_id,
                partial: false,
                cache_at: None,
                parts: Vec::new(),
            };
            out.push(TranscriptEntry {
                message,
                created_ms,
                interrupted,
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
        self.append_exchange(
            conversation,
            name,
            model,
            messages,
            &ExchangeMeta::default(),
        )
    }

    /// [`append`](Self::append) with what `-c` continues with: the request parameters, the
    /// tokens the exchange used, and whether its reply was cut short (the last message).
    pub fn append_exchange(
        &mut self,
        conversation: Option<i64>,
        name: Option<&str>,
        model: &str,
        messages: &[Message],
        meta: &ExchangeMeta,
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
                    tool_call_id, created_ms, interrupted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for (i, m) in messages.iter().enumerate() {
                let calls = (!m.tool_calls.is_empty())
                    .then(|| serde_json::to_string(&m.tool_calls))
                    .transpose()?;
                let interrupted = meta.interrupted && i + 1 == messages.len();
                stmt.execute(params![
                    id,
                    m.role.as_str(),
                    m.content,
                    m.reasoning,
                    calls,
                    m.tool_call_id,
                    now,
                    interrupted
                ])?;
            }
        }
        tx.execute(
            "UPDATE conversations SET tokens = tokens + ?1, params = coalesce(?2, params)
             WHERE id = ?3",
            params![meta.tokens as i64, meta.params, id],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Lists conversations, most recent first (`limit` of them, or all).
    pub fn list_conversations(
        &self,
        limit: Option<usize>,
    ) -> anyhow::Result<Vec<ConversationSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.name, c.model, c.params, c.updated_ms, c.tokens,
                (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id),
                (SELECT count(*) FROM messages m
                   WHERE m.conversation_id = c.id AND m.role = 'user'),
                (SELECT substr(content, 1, 80) FROM messages m
                   WHERE m.conversation_id = c.id AND m.role = 'user' ORDER BY id LIMIT 1)
             FROM conversations c ORDER BY c.updated_ms DESC, c.id DESC LIMIT ?1",
        )?;
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let rows = stmt.query_map([limit], |r| {
            Ok(ConversationSummary {
                conversation: Conversation {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    model: r.get(2)?,
                    params: r.get(3)?,
                },
                updated_ms: r.get(4)?,
                tokens: r.get::<_, i64>(5)?.max(0) as u64,
                messages: r.get::<_, i64>(6)? as u64,
                turns: r.get::<_, i64>(7)? as u64,
                preview: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Gives a conversation a new name (or its first); a name in use by another one is a
    /// usage error.
    pub fn rename_conversation(&mut self, id: i64, name: &str) -> anyhow::Result<()> {
        if name.trim().is_empty() {
            return Err(UsageError::new("a conversation's name cannot be empty", None).into());
        }
        if let Some(other) = self.named_conversation(name)?.filter(|c| c.id != id) {
            return Err(UsageError::new(
                format!("the name `{name}` is taken by conversation {}", other.id),
                Some("pick another name, or rename or remove that one first".into()),
            )
            .into());
        }
        self.conn.execute(
            "UPDATE conversations SET name = ?1 WHERE id = ?2",
            params![name, id],
        )?;
        Ok(())
    }

    /// Deletes conversations (their messages go with them) and returns how many were.
    pub fn delete_conversations(&mut self, ids: &[i64]) -> anyhow::Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut gone = 0;
        for id in ids {
            gone += tx.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(gone)
    }

    /// Returns the ids of conversations last used before `cutoff_ms` (Unix ms).
    pub fn conversations_unused_since(&self, cutoff_ms: i64) -> anyhow::Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM conversations WHERE updated_ms < ?1 ORDER BY id")?;
        let ids = stmt.query_map([cutoff_ms], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }
}

/// What an exchange saves beside its messages.
#[derive(Debug, Clone, Default)]
pub struct ExchangeMeta {
    /// The request parameters (JSON) to continue with; `None` keeps the saved ones.
    pub params: Option<String>,
    /// Tokens the exchange used.
    pub tokens: u64,
    /// Its reply (the last message) was cut short by Ctrl-C.
    pub interrupted: bool,
}

/// One message of a transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptEntry {
    /// The message.
    pub message: Message,
    /// When it was saved (Unix ms).
    pub created_ms: i64,
    /// A reply cut short by Ctrl-C.
    pub interrupted: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MIGRATIONS;

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
        let list = store.list_conversations(Some(10)).unwrap();
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
    fn conversations_are_found_by_name_or_id_renamed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let msgs = [
            Message::new(Role::User, "hi"),
            Message::new(Role::Assistant, "yo"),
        ];
        let meta = ExchangeMeta {
            params: Some(r#"{"temperature":0.5}"#.into()),
            tokens: 30,
            interrupted: true,
        };
        let a = store
            .append_exchange(None, Some("work"), "qwen-max", &msgs, &meta)
            .unwrap();
        let b = store.append(None, None, "qwen-plus", &msgs).unwrap();
        assert_eq!(store.conversation("work").unwrap().unwrap().id, a);
        assert_eq!(store.conversation(&b.to_string()).unwrap().unwrap().id, b);
        assert!(store.conversation("nope").unwrap().is_none());
        let found = store.conversation(&a.to_string()).unwrap().unwrap();
        assert_eq!(found.params.as_deref(), Some(r#"{"temperature":0.5}"#));
        let t = store.transcript(a).unwrap();
        assert_eq!((t[0].interrupted, t[1].interrupted), (false, true));
        let list = store.list_conversations(None).unwrap();
        assert_eq!((list[1].turns, list[1].tokens), (1, 30));
        let err = store.rename_conversation(b, "work").unwrap_err();
        assert!(err.to_string().contains("taken"), "{err}");
        store.rename_conversation(b, "home").unwrap();
        assert_eq!(store.conversation("home").unwrap().unwrap().id, b);
        assert_eq!(store.delete_conversations(&[a]).unwrap(), 1);
        assert!(store.messages(a).unwrap().is_empty(), "messages go too");
        assert_eq!(store.conversations_unused_since(i64::MAX).unwrap(), vec![b]);
    }
}
