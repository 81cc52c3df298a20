//! Embeddings (`qwen embed`): texts in, one JSONL vector per text out, in input order.
//!
//! Texts are grouped into requests within the API's limits ([`MAX_INPUTS_PER_REQUEST`] per
//! request, [`MAX_TOKENS_PER_INPUT`] per text) and the groups are paced like batch items
//! (`crate::pace::run_all` for bounded concurrency, [`Paced`] to back off on throttling and
//! retry with the shared retry policy and `Retry-After`). A group that
//! fails for good yields an error line per text (exit 3); a key or billing failure stops the
//! run and is the command's error.

use std::collections::BTreeMap;
use std::io::{self, Write};

use futures_util::stream;
use serde_json::{Map, Value, json};

use crate::api::embeddings::{
    self, EmbedRequest, Embeddings, MAX_INPUTS_PER_REQUEST, MAX_TOKENS_PER_INPUT,
};
use crate::api::paced::{Answered, Paced};
use crate::api::{ApiError, Client};
use crate::config::Settings;
use crate::exit::Exit;
use crate::ledger::LazyStore;
use crate::models;
use crate::output::{Format, SCHEMA_VERSION, error_json, usage_json};
use crate::pace::run_all;
use crate::term::note;

/// The model used when `--model` is not given (dashscope-protocol.md §7.1).
pub const DEFAULT_MODEL: &str = "text-embedding-v4";

/// One text to embed.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// `arg N`, `line N` (standard input) or the file path.
    pub id: String,
    /// The text.
    pub text: String,
}

/// Texts sent in one request, by their positions in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Group(pub Vec<usize>);

/// Splits the sendable texts into requests of at most [`MAX_INPUTS_PER_REQUEST`], keeping
/// the input order; returns the groups and the positions of texts too long to send.
pub fn group(texts: &[Text]) -> (Vec<Group>, Vec<usize>) {
    let (fits, too_long): (Vec<usize>, Vec<usize>) = (0..texts.len())
        .partition(|&i| models::estimate_tokens(&texts[i].text) <= MAX_TOKENS_PER_INPUT);
    let groups = fits
        .chunks(MAX_INPUTS_PER_REQUEST)
        .map(|c| Group(c.to_vec()))
        .collect();
    (groups, too_long)
}

/// What `qwen embed` was asked for.
#[derive(Debug, Clone)]
pub struct EmbedOptions {
    /// The embedding model.
    pub model: String,
    /// The vector size, where the model offers a choice.
    pub dimensions: Option<u32>,
    /// Each text goes in its output line.
    pub with_text: bool,
    /// Requests in flight at most.
    pub concurrency: usize,
}

/// Embeds `texts` and writes one line per text, in input order; returns the exit status
/// (3 when some texts failed).
pub async fn run(settings: &Settings, texts: &[Text], opts: &EmbedOptions) -> anyhow::Result<Exit> {
    let model = &opts.model;
    let (groups, too_long) = group(texts);
    let client = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let mut out = io::stdout().lock();
    let mut writer = Writer::new(texts, opts.with_text, settings.format);
    for &i in &too_long {
        let tokens = models::estimate_tokens(&texts[i].text);
        let message =
            format!("about {tokens} tokens; the API takes at most {MAX_TOKENS_PER_INPUT} per text");
        writer.fail(
            i,
            json!({"status": null, "code": "input_too_long", "message": message,
                               "request_id": null}),
        );
    }
    writer.flush(&mut out)?;

    let paced = Paced::new(
        model,
        settings.retry,
        settings.first_token_timeout,
        opts.concurrency,
    );
    let work = run_all(
        stream::iter(groups),
        opts.concurrency.max(1),
        || paced.stopped(),
        |g| embed_group(&client, &paced, opts, texts, g),
        |(g, result)| {
            writer.group(&g, result);
            writer.flush(&mut out)?;
            Ok(())
        },
    );
    let finished = tokio::select! {
        biased;
        result = work => Some(result),
        _ = tokio::signal::ctrl_c() => None,
    };
    LazyStore::new(settings, None).record("embed", &paced.records());
    match finished {
        None => return Ok(Exit::Interrupted),
        Some(result) => result?,
    }
    // What was embedded before a stop is still written (and was billed): `--format json`
    // gets its object with the lines there are, as `jsonl` already has them.
    writer.finish(&mut out, model)?;
    if let Some(err) = paced.take_fatal() {
        // A refused key exits 4; billing, or throttling that outlasted every retry, exits 5
        // (the exit table's meaning), not 3: the run stopped, it did not finish.
        let failed = crate::exit::RequestFailed {
            message: format!("embedding with `{model}` failed"),
            hint: (err.status() == Some(401)).then(|| settings.auth_hint()),
        };
        return Err(anyhow::Error::new(err).context(failed));
    }
    if writer.failed > 0 {
        if !settings.quiet {
            note(
                "warning",
                &format!("{} of {} texts failed", writer.failed, texts.len()),
            );
        }
        return Ok(Exit::Partial);
    }
    Ok(Exit::Success)
}

impl Answered for Embeddings {
    fn request_id(&self) -> Option<String> {
        self.request_id.clone()
    }
    fn usage(&self) -> Option<crate::api::types::Usage> {
        self.usage
    }
}

/// Sends one group, retrying transient failures as batch items do.
async fn embed_group(
    client: &Client,
    paced: &Paced,
    opts: &EmbedOptions,
    texts: &[Text],
    group: Group,
) -> (Group, Result<Embeddings, ApiError>) {
    let req = EmbedRequest {
        model: opts.model.clone(),
        texts: group.0.iter().map(|&i| texts[i].text.clone()).collect(),
        dimensions: opts.dimensions,
    };
    let result = paced.send(|| embeddings::embed(client, &req)).await;
    (group, result)
}

/// Writes one line per text in input order, holding back lines that finish early.
struct Writer<'a> {
    texts: &'a [Text],
    with_text: bool,
    format: Format,
    /// Lines ready but not yet written, by text position.
    ready: BTreeMap<usize, Map<String, Value>>,
    next: usize,
    /// `--format json`: every line, written at the end.
    all: Vec<Value>,
    usage: (u64, u64),
    failed: usize,
}

impl<'a> Writer<'a> {
    fn new(texts: &'a [Text], with_text: bool, format: Format) -> Self {
        Self {
            texts,
            with_text,
            format,
            ready: BTreeMap::new(),
            next: 0,
            all: Vec::new(),
            usage: (0, 0),
            failed: 0,
        }
    }

    fn start(&self, i: usize) -> Map<String, Value> {
        let mut line = Map::new();
        line.insert("v".into(), json!(SCHEMA_VERSION));
        line.insert("id".into(), json!(self.texts[i].id));
        if self.with_text {
            line.insert("text".into(), json!(self.texts[i].text));
        }
        line
    }

    fn fail(&mut self, i: usize, error: Value) {
        let mut line = self.start(i);
        line.insert("status".into(), json!("failed"));
        line.insert("error".into(), error);
        self.failed += 1;
        self.ready.insert(i, line);
    }

    fn group(&mut self, group: &Group, result: Result<Embeddings, ApiError>) {
        match result {
            Ok(e) => {
                if let Some(u) = e.usage {
                    self.usage.0 += u.prompt_tokens;
                    self.usage.1 += u.total_tokens;
                }
                for (n, (&i, vector)) in group.0.iter().zip(e.vectors).enumerate() {
                    let mut line = self.start(i);
                    line.insert("status".into(), json!("ok"));
                    line.insert("embedding".into(), json!(vector));
                    // The request's usage goes on its first text only, so that summing the
                    // field over all lines gives the total.
                    let usage = e.usage.filter(|_| n == 0);
                    let usage = usage.map(|u| {
                        json!({"prompt_tokens": u.prompt_tokens, "total_tokens": u.total_tokens})
                    });
                    line.insert("usage".into(), usage.unwrap_or(Value::Null));
                    self.ready.insert(i, line);
                }
            }
            Err(err) => {
                for &i in &group.0 {
                    self.fail(i, Value::Object(error_json(&err)));
                }
            }
        }
    }

    fn flush(&mut self, out: &mut impl Write) -> io::Result<()> {
        while let Some(line) = self.ready.remove(&self.next) {
            self.next += 1;
            if self.format == Format::Json {
                let mut line = line;
                // The enclosing object carries the version.
                line.shift_remove("v");
                self.all.push(Value::Object(line));
            } else {
                serde_json::to_writer(&mut *out, &Value::Object(line))?;
                out.write_all(b"\n")?;
            }
        }
        // Texts never sent (the run stopped) have no line; skip past them.
        out.flush()
    }

    fn finish(&mut self, out: &mut impl Write, model: &str) -> io::Result<()> {
        if self.format != Format::Json {
            return Ok(());
        }
        let usage = crate::api::types::Usage {
            prompt_tokens: self.usage.0,
            total_tokens: self.usage.1,
            ..Default::default()
        };
        let value = json!({
            "v": SCHEMA_VERSION, "model": model, "data": self.all, "usage": usage_json(&usage),
        });
        serde_json::to_writer(&mut *out, &value)?;
        out.write_all(b"\n")?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(n: usize) -> Vec<Text> {
        (0..n)
            .map(|i| Text {
                id: format!("arg {}", i + 1),
                text: format!("text {i}"),
            })
            .collect()
    }

    #[test]
    fn twenty_five_texts_make_three_requests_in_order() {
        let (groups, too_long) = group(&texts(25));
        assert!(too_long.is_empty());
        let sizes: Vec<usize> = groups.iter().map(|g| g.0.len()).collect();
        assert_eq!(sizes, [10, 10, 5]);
        let flat: Vec<usize> = groups.iter().flat_map(|g| g.0.clone()).collect();
        assert_eq!(flat, (0..25).collect::<Vec<_>>());
    }

    #[test]
    fn texts_over_the_token_cap_are_not_sent() {
        let mut t = texts(3);
        t[1].text = "word ".repeat(8_000); // ~10,000 tokens by the estimate
        let (groups, too_long) = group(&t);
        assert_eq!(too_long, [1]);
        assert_eq!(groups, [Group(vec![0, 2])]);
    }
}
