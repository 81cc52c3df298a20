//! `--doc`: documents for Qwen-Long (dashscope-protocol.md §11.4, research-wire.md §3).
//!
//! Each document is uploaded once per content and endpoint with `purpose=file-extract` (the
//! store keeps hash → file id), waited for while the server parses it, and referenced by one
//! system message `fileid://ID1,fileid://ID2` placed after the ordinary system prompt (the
//! comma-joined form of the Qwen-Long page; one message keeps "the first system message is
//! the role" true whatever the number of documents). The wire calls are in
//! `api::batches::files`; the rows in `store::docs`.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use crate::api::batches::files::{MAX_DOC_BYTES, Parse};
use crate::api::types::{Message, Role};
use crate::api::{Client, Endpoint, Protocol, endpoints};
use crate::config::Settings;
use crate::exit::UsageError;
use crate::prices::Market;
use crate::store::{DocRow, Store};
use crate::term::note;

/// A document given to `--doc` (or a batch line's `"docs"`), checked but not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The path as given.
    pub path: PathBuf,
    /// The file name it is uploaded under.
    pub name: String,
    /// Its size in bytes.
    pub len: u64,
}

impl Doc {
    /// Checks one path: it must be a readable file of at most 150 MB (exit 2 otherwise).
    pub fn check(path: &Path) -> Result<Self, UsageError> {
        let shown = path.display();
        let meta = std::fs::metadata(path)
            .map_err(|e| UsageError::new(format!("cannot read `{shown}`: {e}"), None))?;
        if meta.is_dir() {
            return Err(UsageError::new(
                format!("`{shown}` is a directory (`--doc` takes files)"),
                None,
            ));
        }
        if meta.len() > MAX_DOC_BYTES {
            return Err(UsageError::new(
                format!(
                    "`{shown}` is {}, more than the 150 MB a document may be",
                    crate::units::format_size(meta.len())
                ),
                Some("split the document, or send the part that matters".into()),
            ));
        }
        let name = path
            .file_name()
            .map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Self {
            path: path.to_owned(),
            name,
            len: meta.len(),
        })
    }

    /// Returns the SHA-256 of its bytes, hex.
    pub fn digest(&self) -> Result<String, UsageError> {
        let cannot = |e: std::io::Error| {
            UsageError::new(format!("cannot read `{}`: {e}", self.path.display()), None)
        };
        let mut file = std::fs::File::open(&self.path).map_err(cannot)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0; 64 * 1024];
        loop {
            let n = file.read(&mut buf).map_err(cannot)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(hex::encode(hasher.finalize()))
    }

    /// What `--dry-run` shows in the file id's place.
    fn shown(&self, how: &str) -> String {
        format!(
            "<document {} {} bytes, {how}>",
            self.name,
            crate::media::grouped(self.len)
        )
    }
}

/// Checks every path given (before anything is sent).
pub fn load(paths: &[PathBuf]) -> Result<Vec<Doc>, UsageError> {
    paths.iter().map(|p| Doc::check(p)).collect()
}

/// Chooses the model for a request with documents: `--model` as given, else `doc_model`
/// (said on stderr once per process when it changes the model).
pub fn choose_model(settings: &Settings, model: &str, given: bool) -> String {
    let doc_model = &settings.media.doc_model;
    if given || model == doc_model {
        return model.to_owned();
    }
    if !settings.quiet {
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            note(
                "note",
                &format!("documents attached: using `{doc_model}` (pass `-m` to choose)"),
            );
        });
    }
    doc_model.clone()
}

/// Warns (once, unless `--quiet`) when the endpoint is a DashScope host outside Beijing:
/// Qwen-Long file references are a Beijing feature (§11.4). Local servers are not warned of.
pub fn warn_region(settings: &Settings) {
    let host = endpoints::host_of(&settings.base_url);
    if settings.quiet || host.and_then(Market::of_host) != Some(Market::International) {
        return;
    }
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        note(
            "warning",
            &format!(
                "documents (`--doc`) are read by Qwen-Long through file references, a Beijing \
                 feature: `{}` may refuse them (`--region cn` uses Beijing)",
                host.unwrap_or("?")
            ),
        );
    });
}

/// The endpoint of the files API: the compat root (the native root's compat twin).
pub fn files_endpoint(settings: &Settings, key: bool) -> anyhow::Result<Endpoint> {
    let mut endpoint = if key {
        settings.endpoint()?
    } else {
        settings.endpoint_without_key()
    };
    if endpoint.protocol == Protocol::Native {
        let Some(base) = endpoints::compat_base_of(&endpoint.base_url) else {
            return Err(UsageError::new(
                "documents are uploaded under the OpenAI-compatible root, and none is known for this base URL",
                Some("pass `--api compat`, or a `--base-url` ending in `/compatible-mode/v1`".into()),
            )
            .into());
        };
        endpoint.base_url = base;
        endpoint.protocol = Protocol::Compat;
    }
    Ok(endpoint)
}

/// Documents go to Qwen-Long, which reads no media: with both, the model must be chosen.
pub fn check_with_media(settings: &Settings, docs: &[Doc], media: bool) -> Result<(), UsageError> {
    if docs.is_empty() || !media || settings.model_given {
        return Ok(());
    }
    Err(UsageError::new(
        "documents (`--doc`) go to Qwen-Long, which reads no images, video or audio (`--attach`)",
        Some("pass `-m MODEL` with a model that takes both, or send them separately".into()),
    ))
}

/// Uploads `docs` to the endpoint's files root (or reuses earlier uploads of the same
/// bytes), waits until they are parsed, and returns the system message that references
/// them.
pub async fn prepare(settings: &Settings, docs: &[Doc]) -> anyhow::Result<String> {
    let client = Client::new(
        files_endpoint(settings, true)?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let store = Store::open(&settings.data_dir).ok();
    Ok(reference(
        &upload(&client, settings, store.as_ref(), docs).await?,
    ))
}

/// The system message that references the files.
pub fn reference(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("fileid://{id}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Puts the reference after the ordinary system prompt(s), before the conversation.
pub fn insert(messages: &mut Vec<Message>, reference: &str) {
    let at = messages
        .iter()
        .take_while(|m| m.role == Role::System)
        .count();
    messages.insert(at, Message::new(Role::System, reference));
}

/// `--dry-run`: what stands in the reference for each document, looked up in the store
/// (never created by a dry run) without any traffic.
pub fn shown(settings: &Settings, docs: &[Doc]) -> anyhow::Result<String> {
    Ok(shown_each(settings, docs)?.join(","))
}

/// [`shown`], one string per document.
fn shown_each(settings: &Settings, docs: &[Doc]) -> anyhow::Result<Vec<String>> {
    let root = files_endpoint(settings, false)?.base_url;
    let store = Store::path(&settings.data_dir)
        .exists()
        .then(|| Store::open(&settings.data_dir).ok())
        .flatten();
    let mut parts = Vec::with_capacity(docs.len());
    for doc in docs {
        let found = match &store {
            Some(store) => store.find_doc(&doc.digest()?, &root)?,
            None => None,
        };
        parts.push(match found {
            Some(row) => doc.shown(&format!("reused {}", row.file_id)),
            None => doc.shown("upload (file-extract)"),
        });
    }
    Ok(parts)
}

/// A batch `--dry-run`: the documents an item's request would reference, shown as
/// `chat --dry-run` shows them; `None` without any.
pub fn shown_pending(
    settings: &Settings,
    req: &crate::api::types::ChatRequest,
) -> anyhow::Result<Option<Vec<String>>> {
    let Some(docs) = pending_docs(req)? else {
        return Ok(None);
    };
    Ok(Some(shown_each(settings, &docs)?))
}

/// The documents of a request's placeholder (see [`pending`]), checked again.
fn pending_docs(req: &crate::api::types::ChatRequest) -> anyhow::Result<Option<Vec<Doc>>> {
    let Some(message) = req
        .messages
        .iter()
        .find(|m| m.role == Role::System && m.content.starts_with(PENDING))
    else {
        return Ok(None);
    };
    let list: Vec<serde_json::Value> = serde_json::from_str(&message.content[PENDING.len()..])?;
    let paths: Vec<PathBuf> = list
        .iter()
        .filter_map(|v| v["path"].as_str().map(PathBuf::from))
        .collect();
    Ok(Some(load(&paths)?))
}

/// What a batch item's request carries in the reference's place until it starts: the
/// documents' paths and digests (so `--resume` knows an item by its documents' content).
const PENDING: &str = "\u{1}qwen-docs:";

/// The placeholder of a batch item's reference (see [`resolve_pending`]).
pub fn pending(docs: &[Doc]) -> Result<String, UsageError> {
    let mut list = Vec::with_capacity(docs.len());
    for doc in docs {
        list.push(serde_json::json!({
            "path": doc.path.to_string_lossy(), "sha256": doc.digest()?}));
    }
    Ok(format!("{PENDING}{}", serde_json::Value::Array(list)))
}

/// The documents of a batch line's `"docs": [PATH, …]`, checked.
pub fn from_line(value: Option<serde_json::Value>) -> Result<Vec<Doc>, String> {
    let paths = match value {
        None | Some(serde_json::Value::Null) => return Ok(Vec::new()),
        Some(serde_json::Value::Array(list)) => list
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Ok(PathBuf::from(s)),
                _ => Err("`docs` holds paths (strings)".to_owned()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err("`docs` is not an array".into()),
    };
    load(&paths).map_err(|e| e.message)
}

/// Serialises document uploads of a batch's items: two items with the same document
/// must not both upload it before either has saved its id.
static UPLOADING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Uploads (or reuses) the documents a batch item's placeholder names and puts their
/// reference in its place; `client` is the run's client (its compat twin is used).
pub async fn resolve_pending(
    client: &Client,
    settings: &Settings,
    req: &mut crate::api::types::ChatRequest,
) -> anyhow::Result<()> {
    let Some(docs) = pending_docs(req)? else {
        return Ok(());
    };
    let client = files_client(client)?;
    let _one_at_a_time = UPLOADING.lock().await;
    let store = Store::open(&settings.data_dir).ok();
    let reference = reference(&upload(&client, settings, store.as_ref(), &docs).await?);
    if let Some(message) = req
        .messages
        .iter_mut()
        .find(|m| m.role == Role::System && m.content.starts_with(PENDING))
    {
        message.content = reference;
    }
    Ok(())
}

/// A client for the files API on `client`'s host and key: itself on the compat protocol,
/// else its compat twin (sharing the connection pool).
pub fn files_client(client: &Client) -> anyhow::Result<Client> {
    let endpoint = client.endpoint();
    if endpoint.protocol == Protocol::Compat {
        return Ok(client.clone());
    }
    let base = endpoints::compat_base_of(&endpoint.base_url).ok_or_else(|| {
        UsageError::new(
            "documents are uploaded under the OpenAI-compatible root, and none is known for this base URL",
            Some("pass `--api compat`, or a `--base-url` ending in `/compatible-mode/v1`".into()),
        )
    })?;
    Ok(client.rebased(base, Protocol::Compat))
}

/// Uploads the documents not uploaded before to `client`'s root (or reuses the file ids
/// the store has for the same bytes), waits until the new ones are parsed, and returns
/// their ids in order.
pub async fn upload(
    client: &Client,
    settings: &Settings,
    store: Option<&Store>,
    docs: &[Doc],
) -> anyhow::Result<Vec<String>> {
    let root = client.endpoint().base_url.clone();
    let retry = settings.retry;
    let mut ids = Vec::with_capacity(docs.len());
    let mut waits = Vec::new();
    for doc in docs {
        let digest = doc.digest()?;
        if let Some(row) = store.and_then(|s| s.find_doc(&digest, &root).ok().flatten()) {
            ids.push(row.file_id);
            continue;
        }
        let file = client
            .upload_document(&doc.path, &doc.name, doc.len, &retry)
            .await
            .map_err(|e| {
                anyhow::Error::new(e).context(format!("upload of `{}` failed", doc.name))
            })?;
        if let Some(store) = store {
            let _ = store.save_doc(&DocRow {
                digest: digest.clone(),
                root: root.clone(),
                file_id: file.id.clone(),
                name: doc.name.clone(),
                bytes: file.bytes.unwrap_or(doc.len),
                created_ms: crate::store::now_ms(),
            });
        }
        match file.parse() {
            Parse::Done => {}
            Parse::Pending => waits.push((doc, file.id.clone())),
            Parse::Failed(why) => return Err(failed(store, &root, doc, &file.id, &why)),
        }
        ids.push(file.id);
    }
    let mut wait = ParseWait::new(settings);
    for (doc, id) in waits {
        loop {
            let file = client.get_file(&id, &retry).await.map_err(|e| {
                anyhow::Error::new(e).context(format!("status of `{}` failed", doc.name))
            })?;
            match file.parse() {
                Parse::Done => break,
                Parse::Failed(why) => return Err(failed(store, &root, doc, &id, &why)),
                Parse::Pending => wait.pause(&[doc.name.as_str()]).await?,
            }
        }
    }
    Ok(ids)
}

/// A document the server could not parse: forgotten locally (a rerun uploads it again).
fn failed(store: Option<&Store>, root: &str, doc: &Doc, id: &str, why: &str) -> anyhow::Error {
    if let Some(store) = store {
        let _ = store.forget_doc(root, id);
    }
    anyhow::anyhow!(
        "the server could not parse `{}` ({id}): {}",
        doc.name,
        crate::term::printable(why)
    )
}

/// Waiting for documents to be parsed, within `doc_parse_timeout`: growing pauses, a note
/// the first time, an error when the time is up.
pub struct ParseWait {
    deadline: Instant,
    timeout: Duration,
    next: Duration,
    quiet: bool,
    said: bool,
    fast: bool,
}

impl ParseWait {
    /// Starts the clock.
    pub fn new(settings: &Settings) -> Self {
        let timeout = settings.media.doc_parse_timeout;
        Self {
            deadline: Instant::now() + timeout,
            timeout,
            next: Duration::from_millis(500),
            quiet: settings.quiet,
            said: false,
            // The tests' zero-delay switch (debug builds only) shortens the pauses too.
            fast: settings.retry.no_delay,
        }
    }

    /// Waits before the next look at `names`; an error once `doc_parse_timeout` has passed.
    pub async fn pause(&mut self, names: &[&str]) -> anyhow::Result<()> {
        let listed = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let now = Instant::now();
        if now >= self.deadline {
            anyhow::bail!(
                "gave up waiting for {listed} to be parsed after {} (`doc_parse_timeout`)",
                crate::units::format_duration(self.timeout)
            );
        }
        if !self.said && !self.quiet {
            note("note", &format!("waiting for {listed} to be parsed"));
        }
        self.said = true;
        let pause = if self.fast {
            Duration::from_millis(20)
        } else {
            self.next
        };
        self.next = (self.next * 2).min(Duration::from_secs(5));
        tokio::time::sleep(pause.min(self.deadline - now)).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_goes_after_the_system_prompt() {
        let mut messages = vec![
            Message::new(Role::System, "be brief"),
            Message::new(Role::User, "hi"),
        ];
        insert(
            &mut messages,
            &reference(&["file-fe-1".into(), "file-fe-2".into()]),
        );
        assert_eq!(messages[1].content, "fileid://file-fe-1,fileid://file-fe-2");
        assert_eq!(messages[1].role, Role::System);
        let mut alone = vec![Message::new(Role::User, "hi")];
        insert(&mut alone, "fileid://x");
        assert_eq!(alone[0].content, "fileid://x");
    }
}
