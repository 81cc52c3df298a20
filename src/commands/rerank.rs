//! `qwen rerank`: a query and documents read from the arguments, standard input, files and
//! JSONL, ranked by `crate::rerank`.

use std::io;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Value, json};

use super::common::write_dry_run;
use crate::api::Client;
use crate::api::rerank as wire;
use crate::args::{Typed, TypedOnly};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::input;
use crate::output::Format;
use crate::rerank::{self, Document, RerankOptions};

/// Arguments of `qwen rerank`.
#[derive(Debug, Clone, Default, Args)]
pub struct RerankArgs {
    /// What the documents are ranked against
    #[arg(value_name = "QUERY")]
    pub query: String,

    /// Documents, one per argument; `-` stands for the standard input lines
    #[arg(value_name = "DOC")]
    pub documents: Vec<String>,

    /// A file's whole contents is one document (repeatable)
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Documents as JSONL lines `{"id": …, "text": "…"}` (`-` for standard input)
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Never read standard input (otherwise, when it is not a terminal, each line is a document)
    #[arg(long)]
    pub no_stdin: bool,

    /// Rerank model [default: qwen3-rerank]
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<String>,

    /// Keep only the N most relevant documents
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub top_n: Option<u64>,

    /// The task, e.g. "Retrieve semantically similar text." (qwen3-rerank)
    #[arg(long, value_name = "TEXT")]
    pub instruct: Option<String>,

    /// Leave each document's text out of its output line
    #[arg(long)]
    pub no_text: bool,

    /// Requests in flight at most
    #[arg(short = 'j', long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,

    /// Accept non-UTF-8 input, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,

    /// Print the requests that would be sent (key redacted) and send nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `qwen rerank` arguments, with a `--model` that only the command line sets (a chat model
/// in `QWEN_MODEL` is no rerank model).
pub type RerankCommand = Typed<RerankArgs>;

impl TypedOnly for RerankArgs {
    fn drop_env(&mut self, from_env: &dyn Fn(&str) -> bool) {
        if from_env("model") {
            self.model = None;
        }
    }
}

/// Runs `qwen rerank`.
pub async fn run(settings: &Settings, args: RerankArgs) -> anyhow::Result<Exit> {
    if settings.format_flag == Some(Format::Text) {
        return Err(UsageError::new(
            "`qwen rerank` writes jsonl (the default) or json, not text",
            Some("example: `qwen rerank QUERY DOC… | jq -r .text`".into()),
        )
        .into());
    }
    if args.query.trim().is_empty() {
        return Err(UsageError::new("the query is empty", None).into());
    }
    let docs = read_documents(&args, settings).await?;
    let options = RerankOptions {
        model: args
            .model
            .clone()
            .unwrap_or_else(|| rerank::DEFAULT_MODEL.into()),
        query: args.query.clone(),
        top_n: args.top_n.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        instruct: args.instruct.clone(),
        with_text: !args.no_text,
        concurrency: args.concurrency,
    };
    if args.dry_run {
        let endpoint = settings.endpoint_without_key();
        let route = wire::route(&endpoint, settings.native_root());
        let mut out = io::stdout().lock();
        for (_, req) in rerank::requests(settings, &docs, &options) {
            let prepared = wire::prepare(&endpoint, &route, &req);
            let headers = Client::shown_headers(&prepared, settings.has_key());
            write_dry_run(&mut out, settings.format, &prepared, &headers)?;
        }
        return Ok(Exit::Success);
    }
    rerank::run(settings, &docs, &options).await
}

/// Reads the documents: arguments (a `-` stands for the standard input lines), standard
/// input lines (blank ones skipped), whole files, then `--input` JSONL lines.
async fn read_documents(args: &RerankArgs, settings: &Settings) -> anyhow::Result<Vec<Document>> {
    let limit = settings.max_input;
    let jsonl_stdin = args.input.as_deref() == Some(Path::new("-"));
    if jsonl_stdin && args.documents.iter().any(|d| d == "-") {
        return Err(UsageError::new(
            "standard input cannot be both `--input -` and a `-` document",
            None,
        )
        .into());
    }
    let stdin = if jsonl_stdin || input::wants_stdin(&args.documents, args.no_stdin)? {
        let bytes = input::read_stdin(settings.quiet, limit, args.lossy).await?;
        Some(input::decode(bytes, "standard input", args.lossy)?)
    } else {
        None
    };
    let stdin_lines = |out: &mut Vec<Document>, text: &str| {
        for (n, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                out.push(Document {
                    id: json!(format!("line {}", n + 1)),
                    text: line.to_owned(),
                });
            }
        }
    };
    let mut docs = Vec::new();
    let mut stdin_placed = jsonl_stdin;
    for (n, arg) in args.documents.iter().enumerate() {
        if arg == "-" {
            if let (Some(text), false) = (&stdin, stdin_placed) {
                stdin_lines(&mut docs, text);
            }
            stdin_placed = true;
        } else {
            docs.push(Document {
                id: json!(format!("arg {}", n + 1)),
                text: arg.clone(),
            });
        }
    }
    if let (Some(text), false) = (&stdin, stdin_placed) {
        stdin_lines(&mut docs, text);
    }
    for path in &args.files {
        docs.push(Document {
            id: json!(path.display().to_string()),
            text: input::read_text_file(path, args.lossy, limit)?,
        });
    }
    if let Some(path) = &args.input {
        let (what, text) = if jsonl_stdin {
            ("standard input".to_owned(), stdin.unwrap_or_default())
        } else {
            let text = input::read_text_file(path, args.lossy, limit)?;
            (format!("`{}`", path.display()), text)
        };
        docs.extend(jsonl_documents(&what, &text)?);
    }
    if let Some(empty) = docs.iter().find(|d| d.text.trim().is_empty()) {
        return Err(
            UsageError::new(format!("document `{}` is empty", id_text(&empty.id)), None).into(),
        );
    }
    if docs.is_empty() {
        return Err(UsageError::new(
            "nothing to rank: give DOC arguments, pipe lines to standard input, or pass `--file` or `--input`",
            Some("example: `printf 'first\\nsecond\\n' | qwen rerank 'which is first?'`".into()),
        )
        .into());
    }
    Ok(docs)
}

/// Parses `--input` lines: objects with a string `text` and an optional `id` (a string or a
/// number; `line N` when absent). Blank lines are skipped.
fn jsonl_documents(what: &str, text: &str) -> Result<Vec<Document>, UsageError> {
    let mut docs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |why: &str| {
            UsageError::new(
                format!("{what} line {}: {why}", n + 1),
                Some("each line is an object such as `{\"id\": \"a\", \"text\": \"…\"}`".into()),
            )
        };
        let value: Value = serde_json::from_str(line).map_err(|e| bad(&e.to_string()))?;
        let text = value
            .get("text")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no string `text`"))?;
        let id = match value.get("id") {
            None | Some(Value::Null) => json!(format!("line {}", n + 1)),
            Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
            Some(_) => return Err(bad("`id` must be a string or a number")),
        };
        docs.push(Document {
            id,
            text: text.to_owned(),
        });
    }
    Ok(docs)
}

fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_ids_and_errors() {
        let docs = jsonl_documents(
            "`d.jsonl`",
            "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":7,\"text\":\"y\"}\n{\"text\":\"z\"}\n",
        )
        .unwrap();
        let ids: Vec<&Value> = docs.iter().map(|d| &d.id).collect();
        assert_eq!(ids, [&json!("a"), &json!(7), &json!("line 4")]);
        let err = jsonl_documents("`d.jsonl`", "{\"id\":\"a\"}\n").unwrap_err();
        assert_eq!(err.message, "`d.jsonl` line 1: no string `text`");
        assert!(jsonl_documents("`d.jsonl`", "nope\n").is_err());
    }
}
