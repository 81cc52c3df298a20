//! `qwen usage log`: the recorded calls themselves, as a table, JSON, JSONL or CSV.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::ReportFormat;
use super::render::{aligned, csv_field};
use super::when::format_time;
use crate::exit::UsageError;
use crate::output::SCHEMA_VERSION;
use crate::prices::{Cost, Currency};
use crate::store::LoggedCall;

/// Writes `calls` in `format`.
pub fn write(
    out: &mut impl Write,
    format: ReportFormat,
    calls: &[LoggedCall],
) -> anyhow::Result<()> {
    match format {
        ReportFormat::Table => table(out, calls)?,
        ReportFormat::Jsonl => {
            for call in calls {
                let mut map = Map::new();
                map.insert("v".into(), json!(SCHEMA_VERSION));
                map.insert("type".into(), json!("call"));
                map.extend(object(call));
                serde_json::to_writer(&mut *out, &Value::Object(map))?;
                writeln!(out)?;
            }
        }
        ReportFormat::Json => {
            let calls: Vec<Value> = calls.iter().map(|c| Value::Object(object(c))).collect();
            serde_json::to_writer(&mut *out, &json!({"v": SCHEMA_VERSION, "calls": calls}))?;
            writeln!(out)?;
        }
        ReportFormat::Csv => csv(out, calls)?,
        ReportFormat::Prometheus => {
            return Err(UsageError::new(
                "`qwen usage log` writes table, json, jsonl or csv",
                Some("Prometheus metrics come from `qwen usage --format prometheus`".into()),
            )
            .into());
        }
    }
    Ok(())
}

fn object(c: &LoggedCall) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("id".into(), json!(c.id));
    map.insert("time".into(), json!(format_time(c.ts_ms)));
    map.insert("command".into(), json!(c.command));
    map.insert("profile".into(), json!(c.profile));
    map.insert("host".into(), json!(c.host));
    map.insert("model".into(), json!(c.model));
    // The model asked for, where the server answered as another (`null` otherwise).
    map.insert("requested_model".into(), json!(c.requested_model));
    map.insert("request_id".into(), json!(c.request_id));
    map.insert("status".into(), json!(c.status));
    map.insert("error_code".into(), json!(c.error_code));
    map.insert("attempt".into(), json!(c.attempt));
    map.insert("input_tokens".into(), json!(c.prompt_tokens));
    map.insert("output_tokens".into(), json!(c.completion_tokens));
    map.insert("reasoning_tokens".into(), json!(c.reasoning_tokens));
    map.insert("cached_tokens".into(), json!(c.cached_tokens));
    // Media tokens only on calls that reported them (`--attach`).
    for (key, n) in [
        ("image_tokens", c.media_tokens.image),
        ("audio_tokens", c.media_tokens.audio),
        ("video_tokens", c.media_tokens.video),
        ("output_audio_tokens", c.media_tokens.output_audio),
    ] {
        if let Some(n) = n {
            map.insert(key.into(), json!(n));
        }
    }
    map.insert("ttft_ms".into(), json!(c.ttft_ms));
    map.insert("latency_ms".into(), json!(c.latency_ms));
    map.insert("batch_id".into(), json!(c.batch_id));
    map.insert("item_id".into(), json!(c.item_id));
    map.insert("cost".into(), json!(c.cost));
    map.insert("currency".into(), json!(c.currency));
    map.insert("cache_hit".into(), json!(c.cache_hit));
    map.insert("saved_tokens".into(), json!(c.saved_tokens));
    map.insert("cache_write_tokens".into(), json!(c.cache_write_tokens));
    map.insert("cache_type".into(), json!(c.cache_type));
    map.insert("cache_saved".into(), json!(c.cache_saved));
    // Text is there only when the user opted in with `log_content = true`.
    if let Some(prompt) = &c.prompt {
        map.insert("prompt".into(), json!(prompt));
    }
    if let Some(response) = &c.response {
        map.insert("response".into(), json!(response));
    }
    map
}

fn outcome(c: &LoggedCall) -> String {
    if c.cache_hit {
        return "cached".into();
    }
    match (&c.error_code, c.status) {
        (Some(code), Some(status)) if code != &status.to_string() => format!("{status} {code}"),
        (Some(code), _) => code.clone(),
        (None, Some(status)) => status.to_string(),
        (None, None) => "-".into(),
    }
}

fn table(out: &mut impl Write, calls: &[LoggedCall]) -> io::Result<()> {
    let headers: Vec<String> = [
        "TIME", "COMMAND", "MODEL", "STATUS", "TRY", "INPUT", "OUTPUT", "TTFT", "LATENCY", "COST",
    ]
    .map(String::from)
    .to_vec();
    let ms = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| format!("{v:.0}ms"));
    let count = |v: Option<u64>| v.map_or_else(|| "-".into(), |v| v.to_string());
    let rows: Vec<Vec<String>> = calls
        .iter()
        .map(|c| {
            let cost = match (c.cost, c.currency.as_deref().and_then(Currency::parse)) {
                (Some(amount), Some(currency)) => Cost { amount, currency }.to_string(),
                _ if c.cache_hit => "0".into(),
                _ => "-".into(),
            };
            vec![
                format_time(c.ts_ms)
                    .replace('T', " ")
                    .trim_end_matches('Z')
                    .to_owned(),
                c.command.clone(),
                c.model.clone(),
                outcome(c),
                c.attempt.to_string(),
                count(c.prompt_tokens),
                count(c.completion_tokens),
                ms(c.ttft_ms),
                ms(Some(c.latency_ms)),
                cost,
            ]
        })
        .collect();
    let right = [
        false, false, false, false, true, true, true, true, true, true,
    ];
    aligned(out, &headers, &rows, &right)
}

fn csv(out: &mut impl Write, calls: &[LoggedCall]) -> io::Result<()> {
    writeln!(
        out,
        "id,time,command,profile,host,model,request_id,status,error_code,attempt,input_tokens,\
         output_tokens,reasoning_tokens,cached_tokens,ttft_ms,latency_ms,batch_id,item_id,cost,\
         currency,cache_hit,saved_tokens,cache_write_tokens,cache_type,cache_saved,prompt,response"
    )?;
    let text = |v: &Option<String>| csv_field(v.as_deref().unwrap_or(""));
    let num = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let float = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for c in calls {
        let fields = [
            c.id.to_string(),
            format_time(c.ts_ms),
            csv_field(&c.command),
            text(&c.profile),
            text(&c.host),
            csv_field(&c.model),
            text(&c.request_id),
            c.status.map(|s| s.to_string()).unwrap_or_default(),
            text(&c.error_code),
            c.attempt.to_string(),
            num(c.prompt_tokens),
            num(c.completion_tokens),
            num(c.reasoning_tokens),
            num(c.cached_tokens),
            float(c.ttft_ms),
            c.latency_ms.to_string(),
            text(&c.batch_id),
            text(&c.item_id),
            float(c.cost),
            text(&c.currency),
            u8::from(c.cache_hit).to_string(),
            num(c.saved_tokens),
            num(c.cache_write_tokens),
            text(&c.cache_type),
            float(c.cache_saved),
            text(&c.prompt),
            text(&c.response),
        ];
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}
