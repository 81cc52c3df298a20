//! `qwen batch --dry-run`: the items a run would send, with estimated tokens and cost.

use std::collections::HashSet;
use std::io::{self, Write};

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use super::Recipe;
use super::inputs::Next;
use super::item;
use super::remote::job::{RemoteOptions, part_writer};
use super::results::outcome_fields;
use crate::config::Settings;
use crate::exit::Exit;
use crate::output::SCHEMA_VERSION;
use crate::term::note;

/// Adds an item's attachments to its line: kind, type, size and how each travels (`inline`,
/// `upload`, or `url` for one passed through).
fn attachments(line: &mut Map<String, Value>, request: &crate::api::types::ChatRequest) {
    use crate::api::media::Item;
    let list: Vec<Value> = request
        .messages
        .iter()
        .flat_map(|m| &m.parts)
        .flat_map(|part| part.items.iter().map(move |item| (part.kind, item)))
        .map(|(kind, item)| match item {
            Item::Url(url) => json!({"kind": kind.name(), "source": url, "travel": "url"}),
            Item::Local(p) => json!({"kind": kind.name(), "source": p.name, "mime": p.mime,
                                     "bytes": p.len, "travel": p.travel.name()}),
        })
        .collect();
    if !list.is_empty() {
        line.insert("attachments".into(), Value::Array(list));
    }
}

/// Lists the items with their estimated input tokens and sends nothing; with `remote`, the
/// Batch API files are built too (and thrown away), so their split is what a run would upload.
pub async fn run(
    settings: &Settings,
    recipe: &Recipe,
    remote: Option<&RemoteOptions>,
    items: impl futures_util::Stream<Item = Next>,
    done: &HashSet<String>,
) -> anyhow::Result<Exit> {
    let mut out = io::stdout().lock();
    let (mut count, mut tokens) = (0u64, 0u64);
    // With --remote, the Batch API files are built for real (in a throwaway directory) so
    // the split into files and lines is exactly what a run would upload.
    let scratch = tempfile::tempdir()?;
    let mut parts = match remote {
        Some(remote) => Some(part_writer(scratch.path().join("parts"), remote)?),
        None => None,
    };
    let host = crate::api::endpoints::host_of(&settings.base_url);
    let mut cost: Option<crate::prices::Cost> = None;
    let mut unknown_cost = false;
    let mut items = std::pin::pin!(items);
    while let Some(input) = items.next().await {
        let plan = recipe.plan(input?).await;
        let mut line = Map::new();
        line.insert("v".into(), json!(SCHEMA_VERSION));
        line.insert("id".into(), json!(plan.id));
        if let Some(path) = &plan.path {
            line.insert("path".into(), json!(path.display().to_string()));
        }
        let mut request = plan.request;
        if let (Ok(request), Some(writer)) = (request.as_mut(), parts.as_ref()) {
            super::remote::fit_media(settings, None, request, writer.line_bytes()).await?;
        }
        match &request {
            Ok(request) => {
                let key = item::request_key(&plan.id, request);
                attachments(&mut line, request);
                if let Some(docs) = crate::docs::shown_pending(settings, request)? {
                    line.insert("docs".into(), json!(docs));
                }
                let est = item::estimated_tokens(request);
                let mut status = if done.contains(&key) {
                    "done"
                } else {
                    "would_send"
                };
                if let (Some(writer), "would_send") = (parts.as_mut(), status)
                    && let Err(outcome) =
                        writer.add(&plan.id, plan.path.as_deref(), &key, request)?
                {
                    outcome_fields(&mut line, &outcome);
                    status = "skipped";
                }
                if status == "would_send" {
                    count += 1;
                    tokens += est;
                    let usage = crate::api::types::Usage {
                        prompt_tokens: est,
                        ..Default::default()
                    };
                    match crate::prices::cost(
                        &settings.prices,
                        &request.model,
                        host,
                        &usage,
                        false,
                        remote.is_some(),
                    ) {
                        Some(c) => match &mut cost {
                            Some(total) if total.currency == c.currency => total.amount += c.amount,
                            Some(_) => unknown_cost = true,
                            None => cost = Some(c),
                        },
                        None => unknown_cost = true,
                    }
                    line.insert("status".into(), json!(status));
                } else if status == "done" {
                    line.insert("status".into(), json!(status));
                }
                line.insert("model".into(), json!(request.model));
                line.insert("estimated_tokens".into(), json!(est));
                let mut marked = request.clone();
                let ask = &recipe.defaults.prompt_cache;
                let decision = crate::prompt_cache::mark(&mut marked, ask, plan.head);
                if let crate::prompt_cache::Decision::Marked { markers, .. } = decision {
                    line.insert("cache_markers".into(), json!(markers));
                }
            }
            Err(outcome) => outcome_fields(&mut line, outcome),
        }
        serde_json::to_writer(&mut out, &Value::Object(line))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    let cost_text = match (cost, unknown_cost) {
        (Some(c), false) => format!(
            "about {} {} for the input",
            crate::prices::format_amount(c.amount),
            c.currency.code()
        ),
        (Some(c), true) => format!(
            "at least {} {} for the input (some prices unknown)",
            crate::prices::format_amount(c.amount),
            c.currency.code()
        ),
        (None, _) => "input cost unknown".to_owned(),
    };
    let route = match parts {
        Some(writer) => {
            let (_, parts, lines, _) = writer.finish()?;
            format!(
                "{} file(s) with {} line(s) would be uploaded to the Batch API at the batch price, ",
                parts.len(),
                lines.len()
            )
        }
        None => String::new(),
    };
    note(
        "dry run",
        &format!(
            "{count} item(s) would be sent, about {tokens} input tokens ({route}{cost_text}); nothing was sent"
        ),
    );
    Ok(Exit::Success)
}
