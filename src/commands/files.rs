//! `qwen files list|rm|prune`: the documents `--doc` uploaded for Qwen-Long, as the local
//! store and the server (`GET /files?purpose=file-extract`) know them, and their deletion.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::api::batches::files::{DocFile, FILE_EXTRACT};
use crate::api::{ApiError, Client};
use crate::config::Settings;
use crate::docs::{Doc, files_endpoint};
use crate::exit::{Exit, UsageError};
use crate::output::{Format, SCHEMA_VERSION};
use crate::report::when::format_time;
use crate::store::{DocRow, Store};
use crate::term::note;

/// Arguments of `qwen files`.
#[derive(Debug, Clone, Args)]
pub struct FilesArgs {
    #[command(subcommand)]
    pub action: FilesAction,
}

/// What `qwen files` does.
#[derive(Debug, Clone, Subcommand)]
pub enum FilesAction {
    /// List uploaded documents, marked where each exists (local, server or both)
    ///
    /// Local rows are the uploads this machine made (`--doc`) to the current endpoint; the
    /// server's are its `file-extract` files. When the server does not list files, a warning
    /// says so and only the local rows are shown.
    List,
    /// Delete documents on the server and locally, by file id or by the path uploaded
    Rm(FilesRmArgs),
    /// Forget local rows whose server file is gone; `--older-than` deletes older uploads
    Prune(PruneArgs),
}

/// Arguments of `qwen files rm`.
#[derive(Debug, Clone, Args)]
pub struct FilesRmArgs {
    /// A file id (`file-fe-…`) or the path of a file uploaded with `--doc`
    #[arg(value_name = "ID|PATH", required = true)]
    pub targets: Vec<String>,
}

/// Arguments of `qwen files prune`.
#[derive(Debug, Clone, Args)]
pub struct PruneArgs {
    /// Also delete this machine's uploads older than this, e.g. `30d`, on the server
    #[arg(long, value_name = "DURATION")]
    pub older_than: Option<String>,
}

/// Runs `qwen files`.
pub async fn run(settings: &Settings, args: FilesArgs) -> anyhow::Result<Exit> {
    let client = Client::new(
        files_endpoint(settings, true)?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let root = client.endpoint().base_url.clone();
    let store = Store::open(&settings.data_dir)?;
    match args.action {
        FilesAction::List => list(settings, &client, &store, &root).await,
        FilesAction::Rm(rm) => remove(settings, &client, &store, &root, &rm.targets).await,
        FilesAction::Prune(prune) => {
            let cutoff = super::common::older_than_cutoff(prune.older_than.as_deref())?;
            prune_rows(settings, &client, &store, &root, cutoff).await
        }
    }
}

/// True for the answers of a server that has no file list (a local model server).
fn unavailable(err: &ApiError) -> bool {
    matches!(err.status(), Some(404 | 405))
}

/// One document in the list.
struct Listed {
    id: String,
    name: String,
    bytes: Option<u64>,
    created_ms: Option<i64>,
    local: bool,
    server: bool,
}

impl Listed {
    fn place(&self) -> &'static str {
        match (self.local, self.server) {
            (true, true) => "both",
            (true, false) => "local",
            _ => "server",
        }
    }

    fn json(&self, line: bool) -> Value {
        let mut v = json!({});
        if line {
            v["v"] = json!(SCHEMA_VERSION);
            v["type"] = json!("file");
        }
        for (key, value) in [
            ("id", json!(self.id)),
            ("name", json!(self.name)),
            ("bytes", json!(self.bytes)),
            ("created", json!(self.created_ms.map(format_time))),
            ("where", json!(self.place())),
        ] {
            v[key] = value;
        }
        v
    }
}

async fn list(
    settings: &Settings,
    client: &Client,
    store: &Store,
    root: &str,
) -> anyhow::Result<Exit> {
    let server = match client.list_files(FILE_EXTRACT, &settings.retry).await {
        Ok(files) => Some(files),
        Err(err) if unavailable(&err) => {
            if !settings.quiet {
                note(
                    "warning",
                    &format!(
                        "server list unavailable ({}): showing this machine's uploads only",
                        err.status().unwrap_or(0)
                    ),
                );
            }
            None
        }
        Err(err) => {
            return Err(anyhow::Error::new(err).context("listing the server's files failed"));
        }
    };
    let mut rows: BTreeMap<String, Listed> = BTreeMap::new();
    for row in store.docs(root)? {
        rows.insert(
            row.file_id.clone(),
            Listed {
                id: row.file_id,
                name: row.name,
                bytes: Some(row.bytes),
                created_ms: Some(row.created_ms),
                local: true,
                server: false,
            },
        );
    }
    for file in server.iter().flatten() {
        let entry = rows
            .entry(file.id.clone())
            .or_insert_with(|| from_server(file));
        entry.server = true;
    }
    let mut rows: Vec<Listed> = rows.into_values().collect();
    rows.sort_by(|a, b| (a.created_ms, &a.id).cmp(&(b.created_ms, &b.id)));
    let mut out = io::stdout().lock();
    write_list(&mut out, settings.format, &rows)?;
    Ok(Exit::Success)
}

fn from_server(file: &DocFile) -> Listed {
    Listed {
        id: file.id.clone(),
        name: file.filename.clone(),
        bytes: file.bytes,
        created_ms: file.created_at.map(|s| s.saturating_mul(1000)),
        local: false,
        server: false,
    }
}

fn write_list(out: &mut impl Write, format: Format, rows: &[Listed]) -> anyhow::Result<()> {
    match format {
        Format::Text => {
            let cells: Vec<[String; 5]> = rows
                .iter()
                .map(|r| {
                    [
                        r.id.clone(),
                        r.place().to_owned(),
                        r.bytes.map_or_else(|| "-".into(), crate::media::grouped),
                        r.created_ms.map_or_else(|| "-".into(), format_time),
                        crate::term::printable(&r.name).into_owned(),
                    ]
                })
                .collect();
            let header = ["ID", "WHERE", "BYTES", "CREATED", "NAME"].map(str::to_owned);
            let mut widths = [0; 5];
            for row in std::iter::once(&header).chain(&cells) {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            if !rows.is_empty() {
                for row in std::iter::once(&header).chain(&cells) {
                    let mut line = String::new();
                    for (i, cell) in row.iter().enumerate() {
                        let pad = " ".repeat(widths[i].saturating_sub(cell.chars().count()));
                        match i {
                            4 => line.push_str(cell),
                            2 => line.push_str(&format!("{pad}{cell}  ")),
                            _ => line.push_str(&format!("{cell}{pad}  ")),
                        }
                    }
                    writeln!(out, "{}", line.trim_end())?;
                }
            }
        }
        Format::Json => {
            let files: Vec<Value> = rows.iter().map(|r| r.json(false)).collect();
            serde_json::to_writer(&mut *out, &json!({"v": SCHEMA_VERSION, "files": files}))?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, &row.json(true))?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Finds what each target names before anything is deleted: a path by its content's
/// upload to this root, anything else as an id.
fn resolve(store: &Store, root: &str, targets: &[String]) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::with_capacity(targets.len());
    for target in targets {
        let path = Path::new(target);
        if path.is_file() {
            let doc = Doc::check(path)?;
            match store.find_doc(&doc.digest()?, root)? {
                Some(row) => ids.push(row.file_id),
                None => {
                    return Err(UsageError::new(
                        format!("`{target}` has not been uploaded to this endpoint"),
                        Some("`qwen files list` shows what was".into()),
                    )
                    .into());
                }
            }
        } else if target.contains('/') || target.contains(std::path::MAIN_SEPARATOR) {
            return Err(UsageError::new(format!("cannot read `{target}`"), None).into());
        } else {
            ids.push(target.clone());
        }
    }
    Ok(ids)
}

async fn remove(
    settings: &Settings,
    client: &Client,
    store: &Store,
    root: &str,
    targets: &[String],
) -> anyhow::Result<Exit> {
    for id in resolve(store, root, targets)? {
        delete(settings, client, store, root, &id).await?;
    }
    Ok(Exit::Success)
}

/// Deletes one file on the server (gone already counts as deleted) and its local row.
async fn delete(
    settings: &Settings,
    client: &Client,
    store: &Store,
    root: &str,
    id: &str,
) -> anyhow::Result<()> {
    let existed = client
        .delete_file(id, &settings.retry)
        .await
        .map_err(|e| anyhow::Error::new(e).context(format!("deleting `{id}` failed")))?;
    store.forget_doc(root, id)?;
    if !settings.quiet {
        let what = if existed {
            format!("deleted `{id}`")
        } else {
            format!("`{id}` was already gone from the server; forgotten here")
        };
        note("note", &what);
    }
    Ok(())
}

async fn prune_rows(
    settings: &Settings,
    client: &Client,
    store: &Store,
    root: &str,
    cutoff: Option<i64>,
) -> anyhow::Result<Exit> {
    let (mut forgotten, mut deleted) = (0, 0);
    for row in store.docs(root)? {
        if cutoff.is_some_and(|c| row.created_ms < c) {
            delete(settings, client, store, root, &row.file_id).await?;
            deleted += 1;
            continue;
        }
        if gone(settings, client, &row).await? {
            store.forget_doc(root, &row.file_id)?;
            forgotten += 1;
        }
    }
    if !settings.quiet {
        note(
            "note",
            &format!(
                "pruned: {deleted} older uploads deleted, {forgotten} rows whose server file is gone forgotten"
            ),
        );
    }
    Ok(Exit::Success)
}

/// True when the server no longer has the file of `row` (a 404).
async fn gone(settings: &Settings, client: &Client, row: &DocRow) -> anyhow::Result<bool> {
    match client.get_file(&row.file_id, &settings.retry).await {
        Ok(_) => Ok(false),
        Err(err) if err.status() == Some(404) => Ok(true),
        Err(err) => {
            Err(anyhow::Error::new(err).context(format!("status of `{}` failed", row.file_id)))
        }
    }
}
