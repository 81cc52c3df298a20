//! `qwen models`: the endpoint's own model list merged with the built-in catalogue
//! (`models.rs`: context window, output limit, thinking) and price table (`prices.rs`).
//!
//! The endpoint's list says which models exist there; only the catalogue knows limits and
//! prices. When the endpoint cannot be asked, a warning says why and the catalogue alone is
//! shown: the exit status stays 0, because the catalogue is still a correct answer, and
//! `qwen doctor` is the command whose status reports connectivity.

use std::collections::BTreeMap;
use std::io::{self, Write};

use anyhow::Context as _;
use serde_json::{Map, Value, json};

use clap::{Args, Subcommand};

use crate::api::listing::{self, ListedModel};
use crate::api::{ApiError, Client, endpoints};
use crate::config::Settings;
use crate::exit::Exit;
use crate::models::{self, ModelInfo, Thinking};
use crate::output::{Format, SCHEMA_VERSION};
use crate::prices::{Currency, ThinkingPrice, Tier};
use crate::term::note;

/// Arguments of `qwen models`.
#[derive(Debug, Clone, Default, Args)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub action: Option<ModelsAction>,

    /// Show the built-in catalogue only; do not ask the endpoint
    #[arg(long, global = true)]
    pub offline: bool,
}

/// Views of `qwen models` other than the list.
#[derive(Debug, Clone, Subcommand)]
pub enum ModelsAction {
    /// Show everything known about one model
    Show(ModelsShowArgs),
}

/// Arguments of `qwen models show`.
#[derive(Debug, Clone, Args)]
pub struct ModelsShowArgs {
    /// The model name, e.g. `qwen-plus`
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// Everything known about one model.
struct Row {
    name: String,
    /// `Some` when the endpoint was asked: whether it lists the model, and its owner.
    listed: Option<Option<String>>,
    info: Option<&'static ModelInfo>,
    price: Option<(Vec<Tier>, Currency)>,
}

/// Runs `qwen models`.
pub async fn run(settings: &Settings, args: ModelsArgs) -> anyhow::Result<Exit> {
    let fetched = if args.offline {
        None
    } else {
        Some(fetch(settings).await)
    };
    let (listed, error) = match fetched {
        None => (None, None),
        Some(Ok(list)) => (Some(list), None),
        Some(Err(err)) => {
            if !settings.quiet {
                note(
                    "warning",
                    &format!(
                        "could not list the endpoint's models ({err:#}); showing the built-in catalogue only"
                    ),
                );
            }
            (None, Some(format!("{err:#}")))
        }
    };
    let mut out = io::stdout().lock();
    match args.action {
        None => {
            let rows = merge(settings, listed.as_deref());
            write_list(&mut out, settings, &rows, listed.is_some(), error)?;
            Ok(Exit::Success)
        }
        Some(ModelsAction::Show(show)) => {
            let row = row(settings, &show.name, listed.as_deref());
            if row.info.is_none() && row.price.is_none() && !matches!(row.listed, Some(Some(_))) {
                let listed_note = match &listed {
                    Some(_) => "the endpoint does not list it",
                    None => "the endpoint's list is not available",
                };
                anyhow::bail!(
                    "unknown model `{}`: {listed_note}, and the built-in catalogue does not know it",
                    show.name
                );
            }
            write_show(&mut out, settings.format, &row)?;
            Ok(Exit::Success)
        }
    }
}

async fn fetch(settings: &Settings) -> anyhow::Result<Vec<ListedModel>> {
    let client = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let wait = settings.first_token_timeout;
    tokio::time::timeout(wait, listing::list(&client))
        .await
        .unwrap_or(Err(ApiError::Timeout {
            what: "model list",
            after: wait,
        }))
        .with_context(|| format!("GET `{}/models`", settings.base_url))
}

fn row(settings: &Settings, name: &str, listed: Option<&[ListedModel]>) -> Row {
    let host = endpoints::host_of(&settings.base_url);
    Row {
        name: name.to_owned(),
        listed: listed.map(|list| {
            list.iter()
                .find(|m| m.id == name)
                .map(|m| m.owner.clone().unwrap_or_default())
        }),
        info: models::lookup(name),
        price: settings
            .prices
            .lookup(name, host)
            .map(|(tiers, currency)| (tiers.into_owned(), currency)),
    }
}

/// The endpoint's models and the catalogue's, by name.
fn merge(settings: &Settings, listed: Option<&[ListedModel]>) -> Vec<Row> {
    let mut names: BTreeMap<&str, ()> = BTreeMap::new();
    for m in listed.into_iter().flatten() {
        names.insert(&m.id, ());
    }
    for m in models::CATALOGUE {
        names.insert(m.name, ());
    }
    names
        .into_keys()
        .map(|name| row(settings, name, listed))
        .collect()
}

fn thinking_name(t: Thinking) -> (&'static str, bool) {
    match t {
        Thinking::None => ("none", false),
        Thinking::HybridOff => ("hybrid", false),
        Thinking::HybridOn => ("hybrid", true),
        Thinking::Only => ("only", true),
    }
}

fn source(row: &Row) -> &'static str {
    let in_catalogue = models::CATALOGUE.iter().any(|m| m.name == row.name);
    match (&row.listed, in_catalogue) {
        (Some(Some(_)), true) => "both",
        (Some(Some(_)), false) => "endpoint",
        _ => "catalogue",
    }
}

/// Rounds away float noise (0.4 × 0.2 = 0.08000000000000002).
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A price per 1M tokens as the tables print it: `$0.4`, `¥2.5`, `$0.1875`.
fn money(amount: f64, currency: Currency) -> String {
    let symbol = match currency {
        Currency::Usd => "$",
        Currency::Cny => "¥",
    };
    format!("{symbol}{}", round(amount))
}

fn tier_json(t: &Tier) -> Value {
    json!({
        "up_to": t.up_to,
        "input": t.input,
        "output": t.output,
        "thinking_output": match t.thinking_output {
            ThinkingPrice::SameAsOutput => Some(t.output),
            ThinkingPrice::Per1M(p) => Some(p),
            ThinkingPrice::Unknown => None,
        },
        // Implicit-cache hits cost 20 % of the input price unless the table says otherwise.
        "cached_input": round(t.cached_input.unwrap_or(t.input * 0.2)),
    })
}

fn row_json(row: &Row) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("v".into(), json!(SCHEMA_VERSION));
    map.insert("id".into(), json!(row.name));
    map.insert("source".into(), json!(source(row)));
    map.insert(
        "listed".into(),
        json!(row.listed.as_ref().map(Option::is_some)),
    );
    let owner = row.listed.clone().flatten().filter(|o| !o.is_empty());
    map.insert("owned_by".into(), json!(owner));
    let info = row.info;
    map.insert("context_window".into(), json!(info.map(|i| i.context)));
    map.insert("max_input".into(), json!(info.map(|i| i.max_input)));
    map.insert("max_output".into(), json!(info.map(|i| i.max_output)));
    let thinking = info.map(|i| thinking_name(i.thinking));
    map.insert("thinking".into(), json!(thinking.map(|t| t.0)));
    map.insert("thinking_default".into(), json!(thinking.map(|t| t.1)));
    let prices = row.price.as_ref().map(|(tiers, currency)| {
        json!({
            "currency": currency.code(),
            "per_tokens": 1_000_000,
            "tiers": tiers.iter().map(tier_json).collect::<Vec<_>>(),
        })
    });
    map.insert("prices".into(), prices.unwrap_or(Value::Null));
    map
}

fn write_list(
    out: &mut impl Write,
    settings: &Settings,
    rows: &[Row],
    listed: bool,
    error: Option<String>,
) -> anyhow::Result<()> {
    match settings.format {
        Format::Json => {
            let models: Vec<Value> = rows.iter().map(|r| Value::Object(row_json(r))).collect();
            let value = json!({
                "v": SCHEMA_VERSION,
                "endpoint": {
                    "url": endpoints::shown_url(&settings.base_url), "api": settings.api.name(),
                    "listed": listed, "error": error,
                },
                "models": models,
            });
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, &Value::Object(row_json(row)))?;
                writeln!(out)?;
            }
        }
        Format::Text => {
            let mut table = vec![
                [
                    "MODEL",
                    "SOURCE",
                    "CONTEXT",
                    "MAX OUT",
                    "THINKING",
                    "INPUT/1M",
                    "OUTPUT/1M",
                ]
                .map(str::to_owned),
            ];
            for row in rows {
                table.push(table_row(row));
            }
            write_table(out, &table)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn table_row(row: &Row) -> [String; 7] {
    let num = |n: Option<u64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
    let thinking = row.info.map_or("-".to_owned(), |i| match i.thinking {
        Thinking::None => "none".to_owned(),
        Thinking::HybridOff => "hybrid (off)".to_owned(),
        Thinking::HybridOn => "hybrid (on)".to_owned(),
        Thinking::Only => "only".to_owned(),
    });
    // The first tier's price; `+` marks a model whose larger inputs cost more.
    let price = |pick: fn(&Tier) -> f64| match &row.price {
        Some((tiers, currency)) if !tiers.is_empty() => {
            let more = if tiers.len() > 1 { "+" } else { "" };
            format!("{}{more}", money(pick(&tiers[0]), *currency))
        }
        _ => "-".to_owned(),
    };
    [
        row.name.clone(),
        source(row).to_owned(),
        num(row.info.map(|i| i.context)),
        num(row.info.map(|i| i.max_output)),
        thinking,
        price(|t| t.input),
        price(|t| t.output),
    ]
}

fn write_table<const N: usize>(out: &mut impl Write, rows: &[[String; N]]) -> io::Result<()> {
    let mut widths = [0; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn write_show(out: &mut impl Write, format: Format, row: &Row) -> anyhow::Result<()> {
    if format != Format::Text {
        serde_json::to_writer(&mut *out, &Value::Object(row_json(row)))?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    let mut lines: Vec<(&str, String)> = vec![("model", row.name.clone())];
    lines.push((
        "listed",
        match &row.listed {
            None => "unknown (the endpoint was not asked)".to_owned(),
            Some(None) => "no (the endpoint does not list it)".to_owned(),
            Some(Some(owner)) if owner.is_empty() => "yes".to_owned(),
            Some(Some(owner)) => format!("yes (owned by {owner})"),
        },
    ));
    match row.info {
        Some(i) => {
            lines.push(("context window", format!("{} tokens", i.context)));
            lines.push(("max input", format!("{} tokens", i.max_input)));
            lines.push(("max output", format!("{} tokens", i.max_output)));
            let thinking = match i.thinking {
                Thinking::None => "none",
                Thinking::HybridOff => "hybrid, off unless --think",
                Thinking::HybridOn => "hybrid, on unless --no-think",
                Thinking::Only => "always (cannot be turned off)",
            };
            lines.push(("thinking", thinking.to_owned()));
        }
        None => lines.push(("catalogue", "not in the built-in catalogue".to_owned())),
    }
    match &row.price {
        None => lines.push(("prices", "unknown for this endpoint".to_owned())),
        Some((tiers, currency)) => {
            lines.push((
                "prices",
                format!(
                    "{} per 1M tokens, the whole request at the tier its input size selects",
                    currency.code()
                ),
            ));
            for t in tiers {
                lines.push(("", tier_line(t, *currency)));
            }
        }
    }
    for (key, value) in lines {
        writeln!(out, "{key:<15} {value}")?;
    }
    out.flush()?;
    Ok(())
}

fn tier_line(t: &Tier, currency: Currency) -> String {
    let c = |amount: f64| money(amount, currency);
    let bound = match t.up_to {
        Some(n) => format!("up to {n} input tokens:"),
        None => "any larger input:".to_owned(),
    };
    let thinking = match t.thinking_output {
        ThinkingPrice::SameAsOutput => String::new(),
        ThinkingPrice::Per1M(p) => format!(", thinking output {}", c(p)),
        ThinkingPrice::Unknown => ", thinking output unknown".to_owned(),
    };
    format!(
        "{bound} input {}, output {}{thinking}, cached input {}",
        c(t.input),
        c(t.output),
        c(t.cached_input.unwrap_or(t.input * 0.2))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_and_the_implicit_cache_rule() {
        let t = Tier {
            up_to: Some(262_144),
            input: 0.4,
            output: 1.2,
            thinking_output: ThinkingPrice::Per1M(4.0),
            cached_input: None,
            cache_write: None,
            explicit_cached_input: None,
            audio_output: None,
        };
        assert_eq!(
            tier_json(&t),
            json!({"up_to": 262_144, "input": 0.4, "output": 1.2,
                   "thinking_output": 4.0, "cached_input": 0.08})
        );
        assert_eq!(
            tier_line(&t, Currency::Usd),
            "up to 262144 input tokens: input $0.4, output $1.2, thinking output $4, cached input $0.08"
        );
    }

    #[test]
    fn table_columns_line_up() {
        let mut out = Vec::new();
        let rows = [
            ["A".to_owned(), "long value".to_owned()],
            ["longer".to_owned(), "x".to_owned()],
        ];
        write_table(&mut out, &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A       long value\nlonger  x\n"
        );
    }
}
