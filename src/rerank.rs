//! Rerank (`qwen rerank`): a query and documents in, the documents ranked by relevance out.
//!
//! Documents are split into requests within the model's limits (documents per request, and
//! query tokens × documents + document tokens per request; research-wire §1.3), sent like
//! embedding groups (`crate::pace::run_all` for bounded concurrency, [`Paced`] for
//! throttling, retries and the ledger's attempts), and the results merged by score. Scores
//! are comparable only within one request, so a split run says so on stderr.

use std::io::{self, Write};

use futures_util::stream;
use serde_json::{Map, Value, json};

use crate::api::paced::{Answered, Paced};
use crate::api::rerank::{self, Ranking, RerankRequest, Route};
use crate::api::types::Usage;
use crate::api::{ApiError, Client};
use crate::config::Settings;
use crate::exit::{Exit, RequestFailed};
use crate::ledger::LazyStore;
use crate::models;
use crate::output::{Format, SCHEMA_VERSION, error_json, usage_json};
use crate::pace::run_all;
use crate::term::note;

/// The model used when `--model` is not given.
pub const DEFAULT_MODEL: &str = "qwen3-rerank";

/// Limits of an unknown model: qwen3-rerank's.
const FALLBACK_LIMITS: models::RerankModel = models::RERANK_MODELS[0];

/// One document to rank.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `arg N`, `line N`, the file path, or the `id` of a JSONL line (any JSON value).
    pub id: Value,
    /// The text.
    pub text: String,
}

/// What `qwen rerank` was asked for.
#[derive(Debug, Clone)]
pub struct RerankOptions {
    /// The rerank model.
    pub model: String,
    /// What the documents are ranked against.
    pub query: String,
    /// Keep only the best N.
    pub top_n: Option<usize>,
    /// The task instruction.
    pub instruct: Option<String>,
    /// Each document's text goes in its output line.
    pub with_text: bool,
    /// Requests in flight at most.
    pub concurrency: usize,
}

/// Documents per request and tokens per request for `model`: config.toml's settings, else
/// the catalogue's, else qwen3-rerank's.
pub fn limits(settings: &Settings, model: &str) -> (usize, u64, u64) {
    let known = models::rerank_model(model)
        .copied()
        .unwrap_or(FALLBACK_LIMITS);
    (
        settings
            .levers
            .rerank_max_documents
            .unwrap_or(known.max_documents),
        settings
            .levers
            .rerank_max_request_tokens
            .unwrap_or(known.max_request_tokens),
        known.max_document_tokens,
    )
}

/// Splits the documents into requests, in input order: at most `max_docs` each, and at most
/// `max_tokens` counted as the API does (query tokens × documents + document tokens, each
/// capped at `max_doc_tokens`, since longer ones are truncated). A document that alone
/// exceeds the cap still goes, alone.
pub fn chunk(
    query: &str,
    docs: &[Document],
    max_docs: usize,
    max_tokens: u64,
    max_doc_tokens: u64,
) -> Vec<Vec<usize>> {
    let query_tokens = models::estimate_tokens(query).min(max_doc_tokens);
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut current = Vec::new();
    let mut tokens = 0;
    for (i, doc) in docs.iter().enumerate() {
        let cost = query_tokens + models::estimate_tokens(&doc.text).min(max_doc_tokens);
        if !current.is_empty() && (current.len() >= max_docs.max(1) || tokens + cost > max_tokens) {
            chunks.push(std::mem::take(&mut current));
            tokens = 0;
        }
        current.push(i);
        tokens += cost;
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// Builds the requests of a run (also what `--dry-run` shows).
pub fn requests(
    settings: &Settings,
    docs: &[Document],
    opts: &RerankOptions,
) -> Vec<(Vec<usize>, RerankRequest)> {
    let (max_docs, max_tokens, max_doc_tokens) = limits(settings, &opts.model);
    chunk(&opts.query, docs, max_docs, max_tokens, max_doc_tokens)
        .into_iter()
        .map(|c| {
            let req = RerankRequest {
                model: opts.model.clone(),
                query: opts.query.clone(),
                documents: c.iter().map(|&i| docs[i].text.clone()).collect(),
                // The best N overall are among the best N of every request.
                top_n: opts.top_n.map(|n| n.min(c.len())),
                instruct: opts.instruct.clone(),
            };
            (c, req)
        })
        .collect()
}

impl Answered for Ranking {
    fn request_id(&self) -> Option<String> {
        self.request_id.clone()
    }
    fn usage(&self) -> Option<Usage> {
        self.usage
    }
}

/// Ranks `docs` and writes the result; returns the exit status (3 when some requests
/// failed for good).
pub async fn run(
    settings: &Settings,
    docs: &[Document],
    opts: &RerankOptions,
) -> anyhow::Result<Exit> {
    let endpoint = settings.endpoint()?;
    let route = rerank::route(&endpoint, settings.native_root());
    let client = Client::new(endpoint, settings.connect_timeout, settings.verbose)?;
    let requests = requests(settings, docs, opts);
    if requests.len() > 1 && !settings.quiet {
        note(
            "warning",
            &format!(
                "{} documents go in {} requests; scores are comparable only within one request",
                docs.len(),
                requests.len()
            ),
        );
    }
    let paced = Paced::new(
        &opts.model,
        settings.retry,
        settings.first_token_timeout,
        opts.concurrency,
    );
    let mut ranked: Vec<(usize, f64)> = Vec::new();
    let mut failed: Vec<(usize, Value)> = Vec::new();
    let mut tokens = 0;
    let work = run_all(
        stream::iter(requests),
        opts.concurrency.max(1),
        || paced.stopped(),
        |(positions, req)| send(&client, &route, &paced, positions, req),
        |(positions, result)| {
            match result {
                Ok(ranking) => {
                    tokens += ranking.usage.map_or(0, |u| u.total_tokens);
                    ranked.extend(
                        ranking
                            .results
                            .iter()
                            .map(|r| (positions[r.index], r.score)),
                    );
                }
                Err(err) => {
                    let error = Value::Object(error_json(&err));
                    failed.extend(positions.iter().map(|&i| (i, error.clone())));
                }
            }
            Ok(())
        },
    );
    let finished = tokio::select! {
        biased;
        result = work => Some(result),
        _ = tokio::signal::ctrl_c() => None,
    };
    LazyStore::new(settings, None).record("rerank", &paced.records());
    match finished {
        None => return Ok(Exit::Interrupted),
        Some(result) => result?,
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if let Some(n) = opts.top_n {
        ranked.truncate(n);
    }
    failed.sort_by_key(|f| f.0);
    let usage = Usage {
        prompt_tokens: tokens,
        total_tokens: tokens,
        ..Usage::default()
    };
    write(settings.format, docs, opts, &ranked, &failed, &usage)?;
    if let Some(err) = paced.take_fatal() {
        let failed = RequestFailed {
            message: format!("rerank with `{}` failed", opts.model),
            hint: (err.status() == Some(401)).then(|| settings.auth_hint()),
        };
        return Err(anyhow::Error::new(err).context(failed));
    }
    if !failed.is_empty() {
        if !settings.quiet {
            note(
                "warning",
                &format!("{} of {} documents failed", failed.len(), docs.len()),
            );
        }
        return Ok(Exit::Partial);
    }
    Ok(Exit::Success)
}

async fn send(
    client: &Client,
    route: &Route,
    paced: &Paced,
    positions: Vec<usize>,
    req: RerankRequest,
) -> (Vec<usize>, Result<Ranking, ApiError>) {
    let result = paced.send(|| rerank::rerank(client, route, &req)).await;
    (positions, result)
}

/// Writes the ranked documents best first, then one line per document that failed.
fn write(
    format: Format,
    docs: &[Document],
    opts: &RerankOptions,
    ranked: &[(usize, f64)],
    failed: &[(usize, Value)],
    usage: &Usage,
) -> io::Result<()> {
    let line = |i: usize| {
        let mut line = Map::new();
        line.insert("index".into(), json!(i));
        line.insert("id".into(), docs[i].id.clone());
        line
    };
    let mut lines: Vec<Map<String, Value>> = Vec::new();
    for &(i, score) in ranked {
        let mut l = line(i);
        l.insert("score".into(), json!(score));
        if opts.with_text {
            l.insert("text".into(), json!(docs[i].text));
        }
        lines.push(l);
    }
    for (i, error) in failed {
        let mut l = line(*i);
        l.insert("score".into(), Value::Null);
        l.insert("status".into(), json!("failed"));
        l.insert("error".into(), error.clone());
        lines.push(l);
    }
    let mut out = io::stdout().lock();
    if format == Format::Json {
        let value = json!({
            "v": SCHEMA_VERSION, "model": opts.model, "query": opts.query,
            "results": lines, "usage": usage_json(usage),
        });
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    } else {
        for l in lines {
            let mut versioned = Map::new();
            versioned.insert("v".into(), json!(SCHEMA_VERSION));
            versioned.extend(l);
            serde_json::to_writer(&mut out, &Value::Object(versioned))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(texts: &[&str]) -> Vec<Document> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document {
                id: json!(format!("arg {}", i + 1)),
                text: (*t).to_owned(),
            })
            .collect()
    }

    #[test]
    fn chunks_keep_to_the_document_and_token_caps() {
        let five = docs(&["aaaa"; 5]);
        assert_eq!(
            chunk("q", &five, 2, 1_000, 4_000),
            [vec![0, 1], vec![2, 3], vec![4]]
        );
        // Each document costs query (1) + itself (1): four tokens fit two documents.
        assert_eq!(
            chunk("q", &five, 500, 4, 4_000),
            [vec![0, 1], vec![2, 3], vec![4]]
        );
        // A document over the per-document cap counts as the cap (the server truncates it).
        let long = docs(&[&"word ".repeat(8_000), "b"]);
        assert_eq!(chunk("q", &long, 500, 4_003, 4_000), [vec![0, 1]]);
        // One that alone exceeds the request cap still goes, alone.
        assert_eq!(chunk("q", &long, 500, 10, 4_000), [vec![0], vec![1]]);
    }
}
