//! Saved conversations (`--continue`, `--session`): their messages, oldest first, and the
//! list `--list-sessions` shows.

use anyhow::Context as _;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, now_ms};
use crate::api::types::{Message, Role, ToolCall};

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

impl Store {
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
                parts: Vec::new(),
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
}
