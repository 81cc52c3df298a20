//! `qwen tools run|list|call`: the command line turned into the toolbox's and the tool
//! loop's options (`crate::tools`, `crate::tools::run`), and `list` and `call` rendered.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use serde_json::{Value, json};

use clap::{Args, Subcommand};

use super::common;
use crate::args::{AttachArgs, DocArgs, InputArgs, ModelParams, OutputArgs, RenderArgs};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::output::markdown::reply_style;
use crate::output::{Format, SCHEMA_VERSION};
use crate::term::note;
use crate::tools::run::{RunOptions, audit};
use crate::tools::{self, Kind, Sources, Tool, Toolbox, reap};

/// Arguments of `qwen tools`.
#[derive(Debug, Clone, Args)]
pub struct ToolsArgs {
    #[command(subcommand)]
    pub action: ToolsAction,
}

/// What `qwen tools` does.
// `Run` carries every model parameter; boxing it would only add noise to the match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Subcommand)]
pub enum ToolsAction {
    /// Send a prompt with the tools and run the calls the model asks for until it answers
    ///
    /// The prompt is read like `qwen chat`'s. The final answer goes to stdout; each tool call
    /// is a line on stderr (text) or `tool_call`/`tool_result` events (`--format jsonl`).
    Run(ToolsRunArgs),
    /// List every tool and where it was defined
    List(ToolSourceArgs),
    /// Run one tool directly, without the model, to test its definition
    ///
    /// The arguments are checked against the tool's schema first. Calling a tool by name
    /// is permission enough: `allow` does not apply.
    Call(ToolsCallArgs),
}

/// Where tools come from (in addition to `tools.toml` and `[[mcp]]` in the config dir).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Tools")]
pub struct ToolSourceArgs {
    /// Read tool definitions from this TOML file (repeatable)
    #[arg(long = "tools", value_name = "FILE")]
    pub tools: Vec<PathBuf>,

    /// Start this MCP server over stdio, e.g. `--mcp 'npx -y @scope/server'`; prefix
    /// `NAME=` to name its tools `NAME.tool` (repeatable)
    #[arg(long = "mcp", value_name = "COMMAND")]
    pub mcp: Vec<String>,
}

/// Arguments of `qwen tools run`.
#[derive(Debug, Clone, Args)]
pub struct ToolsRunArgs {
    /// The prompt; `-` stands for standard input
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    #[command(flatten)]
    pub sources: ToolSourceArgs,

    /// Run this tool without asking (repeatable; `SERVER.*` allows an MCP server's tools)
    #[arg(long = "allow", value_name = "NAME")]
    pub allow: Vec<String>,

    /// Run every tool without asking
    #[arg(long)]
    pub allow_all: bool,

    /// Stop (exit 8) when the model still calls tools after this many requests
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_steps: u32,

    /// Also write the JSONL audit trail (every event of `--format jsonl`) to this file
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub attach: AttachArgs,

    #[command(flatten)]
    pub doc: DocArgs,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub prompt_cache: crate::args::PromptCacheArgs,

    #[command(flatten)]
    pub render: RenderArgs,

    /// Try this model when the main one is unavailable or keeps failing (repeatable)
    #[arg(long = "fallback-model", value_name = "MODEL", help_heading = "Model")]
    pub fallback_models: Vec<String>,
}

/// Arguments of `qwen tools call`.
#[derive(Debug, Clone, Args)]
pub struct ToolsCallArgs {
    /// The tool's name (`SERVER.tool` for MCP tools)
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The arguments, as a JSON object
    #[arg(value_name = "JSON", default_value = "{}")]
    pub arguments: String,

    #[command(flatten)]
    pub sources: ToolSourceArgs,
}

/// Runs `qwen tools`.
pub async fn run(settings: &Settings, args: ToolsArgs) -> anyhow::Result<Exit> {
    // Whatever the tools and MCP servers leave behind goes when the command ends, however
    // it ends (see `tools::reap`).
    let _sweep = reap::Sweep::start();
    match args.action {
        ToolsAction::Run(args) => run_loop(settings, args).await,
        ToolsAction::List(args) => list(settings, &args).await,
        ToolsAction::Call(args) => call(settings, args).await,
    }
}

fn sources(settings: &Settings, args: &ToolSourceArgs) -> Sources {
    Sources {
        files: args.tools.clone(),
        default_file: Some(settings.config_dir.join("tools.toml")),
        mcp_args: args.mcp.clone(),
        mcp_config: settings.mcp.clone(),
        config_dir: settings.config_dir.clone(),
        quiet: settings.quiet,
    }
}

/// `qwen tools list`.
async fn list(settings: &Settings, args: &ToolSourceArgs) -> anyhow::Result<Exit> {
    let sources = sources(settings, args);
    let toolbox = tokio::select! {
        biased;
        toolbox = tools::load(&sources) => toolbox?,
        _ = tokio::signal::ctrl_c() => return Ok(Exit::Interrupted),
    };
    let mut out = io::stdout().lock();
    let rows: Vec<Value> = toolbox
        .tools()
        .iter()
        .map(|t| tool_json(t, &toolbox))
        .collect();
    match settings.format {
        Format::Text => {
            let header = ["NAME", "KIND", "ALLOW", "SOURCE", "DESCRIPTION"];
            let cells: Vec<[String; 5]> = toolbox
                .tools()
                .iter()
                .map(|t| {
                    let description = t.description.lines().next().unwrap_or_default();
                    let kind = if t.offered() {
                        kind_name(t).to_owned()
                    } else {
                        format!("{} (task only)", kind_name(t))
                    };
                    [
                        t.name.clone(),
                        kind,
                        if t.allow { "yes" } else { "ask" }.to_owned(),
                        t.source.clone(),
                        audit::short(description, 60),
                    ]
                })
                .collect();
            let mut widths = header.map(str::len);
            for row in &cells {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cols: [&str; 5]| {
                let mut text = String::new();
                for (i, col) in cols.iter().enumerate() {
                    if i + 1 == cols.len() {
                        text.push_str(col);
                    } else {
                        text.push_str(&format!("{col:<width$}  ", width = widths[i]));
                    }
                }
                text.trim_end().to_owned()
            };
            writeln!(out, "{}", line(header))?;
            for row in &cells {
                writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
            }
            if cells.is_empty() && !settings.quiet {
                note(
                    "note",
                    &format!(
                        "no tools: define some in `{}`, or pass `--tools FILE` or `--mcp COMMAND`",
                        settings.config_dir.join("tools.toml").display()
                    ),
                );
            }
        }
        Format::Json => {
            let value = json!({"v": SCHEMA_VERSION, "tools": rows});
            writeln!(out, "{value}")?;
        }
        Format::Jsonl => {
            for mut row in rows {
                if let Value::Object(map) = &mut row {
                    map.insert("v".into(), json!(SCHEMA_VERSION));
                    map.insert("type".into(), json!("tool"));
                }
                writeln!(out, "{row}")?;
            }
        }
    }
    out.flush()?;
    if !settings.quiet {
        toolbox.note_not_offered();
    }
    toolbox.shutdown().await;
    Ok(Exit::Success)
}

fn kind_name(tool: &Tool) -> &'static str {
    match tool.kind {
        Kind::Command(_) => "command",
        Kind::Mcp { .. } => "mcp",
    }
}

fn tool_json(tool: &Tool, toolbox: &Toolbox) -> Value {
    let mut value = json!({
        "name": tool.name,
        "function": tool.function,
        "offered": tool.offered(),
        "description": tool.description,
        "kind": kind_name(tool),
        "source": tool.source,
        "allow": tool.allow,
        "parameters": tool.parameters,
    });
    match &tool.kind {
        Kind::Command(spec) => {
            value["command"] = json!(spec.argv);
            value["timeout_ms"] = json!(spec.timeout.as_millis() as u64);
            value["max_output_bytes"] = json!(spec.max_output);
            value["env"] = json!(spec.env);
        }
        Kind::Mcp { remote, .. } => {
            value["mcp_tool"] = json!(remote);
            value["runs"] = json!(tool.target(toolbox));
            if let Some(support) = &tool.task_support {
                value["task_support"] = json!(support);
            }
        }
    }
    value
}

/// `qwen tools call NAME JSON`.
async fn call(settings: &Settings, args: ToolsCallArgs) -> anyhow::Result<Exit> {
    let sources = sources(settings, &args.sources);
    let toolbox = tokio::select! {
        biased;
        toolbox = tools::load(&sources) => toolbox?,
        _ = tokio::signal::ctrl_c() => return Ok(Exit::Interrupted),
    };
    let tool = toolbox
        .get(&args.name)
        .ok_or_else(|| no_such_tool(&args.name, &toolbox))?;
    if !tool.offered() {
        return Err(UsageError::new(
            format!(
                "`{}` must run as an MCP task, which `qwen` does not support",
                tool.name
            ),
            None,
        )
        .into());
    }
    let arguments = tool.check_arguments(&args.arguments).map_err(|e| {
        UsageError::new(format!("invalid arguments for `{}`: {e}", tool.name), None)
    })?;
    let outcome = tokio::select! {
        biased;
        outcome = toolbox.call(tool, &arguments) => outcome,
        // Dropping the call kills the tool's process group.
        _ = tokio::signal::ctrl_c() => return Ok(Exit::Interrupted),
    };
    let mut out = io::stdout().lock();
    match settings.format {
        Format::Text => {
            out.write_all(outcome.output.as_bytes())?;
            // A program's stdout is passed on byte for byte; an MCP result is text blocks,
            // which end without a newline, and a line of output should end with one.
            let mcp = matches!(tool.kind, Kind::Mcp { .. });
            if mcp && !outcome.output.is_empty() && !outcome.output.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            out.flush()?;
            let mut err = io::stderr().lock();
            let _ = err.write_all(outcome.stderr.as_bytes());
            if outcome.truncated && !settings.quiet {
                note(
                    "note",
                    &format!(
                        "output truncated at {} bytes (`max_output_bytes`)",
                        outcome.max_output
                    ),
                );
            }
        }
        Format::Json | Format::Jsonl => {
            let mut value = json!({
                "v": SCHEMA_VERSION, "type": "tool_result", "name": tool.name,
                "arguments": arguments,
                "status": outcome.status.as_str(), "exit_code": outcome.exit_code,
                "duration_ms": outcome.duration.as_millis() as u64,
                "truncated": outcome.truncated, "output": outcome.output,
                "stderr": outcome.stderr, "content": outcome.content(),
            });
            if settings.format == Format::Json {
                value.as_object_mut().map(|m| m.remove("type"));
            }
            writeln!(out, "{value}")?;
            out.flush()?;
        }
    }
    toolbox.shutdown().await;
    match outcome.error {
        None => Ok(Exit::Success),
        Some(error) => Err(anyhow::anyhow!("{error}")),
    }
}

fn no_such_tool(name: &str, toolbox: &Toolbox) -> UsageError {
    let names: Vec<&str> = toolbox.tools().iter().map(|t| t.name.as_str()).collect();
    UsageError::new(
        format!("no tool named `{name}`"),
        Some(if names.is_empty() {
            "no tools are defined: see `qwen tools list`".into()
        } else {
            format!("the tools are: {}", names.join(", "))
        }),
    )
}

/// `qwen tools run`.
async fn run_loop(settings: &Settings, args: ToolsRunArgs) -> anyhow::Result<Exit> {
    // Media alone is a prompt: with attachments, one run (not the interactive loop).
    let interactive = !args.attach.any()
        && super::interactive::wanted(settings, &args.prompt, &args.input, false);
    let cache_mode = args.prompt_cache.mode(settings.cache_prompt);
    let (prompt, cache_head, parts) = if interactive {
        (String::new(), None, Vec::new())
    } else {
        let mut read = common::read_prompt_parts(settings, &args.prompt, &args.input, &args.attach)
            .await
            .map_err(with_tools_example)?;
        let parts = std::mem::take(&mut read.media);
        let (prompt, head) = read
            .for_cache(cache_mode != crate::config::CachePrompt::Off)
            .map_err(with_tools_example)?;
        (prompt, head, parts)
    };
    let docs = crate::docs::load(&args.doc.docs)?;
    crate::docs::check_with_media(settings, &docs, !parts.is_empty())?;
    // Documents are uploaded (or found uploaded) and parsed before the first step; without
    // `-m` the model becomes `doc_model`.
    let with_docs;
    let (settings, doc_reference) = if docs.is_empty() {
        (settings, None)
    } else {
        let mut changed = settings.clone();
        changed.model = crate::docs::choose_model(settings, &settings.model, settings.model_given);
        crate::docs::warn_region(settings);
        let reference = crate::docs::prepare(settings, &docs).await?;
        with_docs = changed;
        (&with_docs, Some(reference))
    };
    let system = common::read_system(settings, &args.input)?;
    let transcript = args
        .transcript
        .as_ref()
        .map(|path| {
            File::create(path)
                .with_context(|| format!("failed to create transcript `{}`", path.display()))
        })
        .transpose()?;
    let options = RunOptions {
        sources: sources(settings, &args.sources),
        allow: args.allow,
        allow_all: args.allow_all,
        max_steps: args.max_steps,
        params: args.params.as_params(),
        stream: !args.params.no_stream,
        fallback_models: args.fallback_models,
        usage: args.output.usage,
        thinking: common::thinking_display(&args.output),
        prompt_cache: cache_mode,
        cache_head,
        markdown: reply_style(args.render.mode(settings), settings.format),
        parts,
        high_resolution: args.attach.high_resolution,
        docs: doc_reference,
    };
    if interactive {
        return super::interactive::run_tools(settings, options, system, transcript).await;
    }
    let mut kit = None;
    let ran = tools::run::run(
        settings,
        &options,
        &prompt,
        system,
        transcript,
        &mut Vec::new(),
        &mut kit,
    )
    .await;
    if let Some(kit) = kit {
        kit.shutdown().await;
    }
    ran
}

/// Gives `chat`'s "no prompt" error (the prompt is read by its rules) an example of
/// `tools run` instead of `chat`.
fn with_tools_example(mut err: anyhow::Error) -> anyhow::Error {
    if let Some(usage) = err.downcast_mut::<UsageError>()
        && usage.message.starts_with("no prompt")
    {
        usage.hint =
            Some("example: `qwen tools run --tools weather.toml 'Is it raining in Oslo?'`".into());
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_prompt_gets_a_tools_example() {
        let err = with_tools_example(
            UsageError::new("no prompt: give PROMPT arguments", Some("chat".into())).into(),
        );
        let hint = err.downcast_ref::<UsageError>().unwrap().hint.clone();
        assert!(hint.unwrap().contains("qwen tools run"));
        let err = with_tools_example(UsageError::new("other", Some("kept".into())).into());
        let hint = err.downcast_ref::<UsageError>().unwrap().hint.clone();
        assert_eq!(hint.as_deref(), Some("kept"));
    }
}
