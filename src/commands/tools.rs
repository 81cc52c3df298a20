//! `qwen tools run|list|call`: the tool loop, and glue between the CLI, the turn engine,
//! the toolbox (`crate::tools`, which never calls a model) and the audit trail.
//!
//! Each step sends the conversation with the tools, lets the turn engine assemble the
//! streamed tool calls, checks every call (known tool, arguments matching its schema,
//! allowed or confirmed), runs the good ones a few at a time, and sends every result back,
//! refusals and errors included, until the model answers without calling a tool.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead as _, IsTerminal as _, Write};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use futures_util::StreamExt as _;
use serde_json::{Value, json};

use crate::api::turn::{self, AttemptRecord, Observer, TurnError, TurnOptions};
use crate::api::types::{ChatRequest, Event, Message, Role, ToolCall, Usage};
use crate::api::{ApiError, Client, endpoints};
use crate::cli::{Format, InputArgs, OutputArgs, ToolSourceArgs, ToolsAction, ToolsArgs};
use crate::cli::{ToolsCallArgs, ToolsRunArgs};
use crate::config::{Settings, env, format_duration};
use crate::error::{Exit, MaxStepsReached, UsageError, note, stderr_color};
use crate::ledger::LazyStore;
use crate::output::{SCHEMA_VERSION, Thinking};
use crate::tools::{Kind, Outcome, Sources, Status, Tool, Toolbox};
use crate::validate::{self, Schema};
use crate::{input, prices};

mod audit;

use audit::{Audit, Done, Permission};

/// Tool calls of one step that run at the same time, at most.
const MAX_PARALLEL: usize = 4;

/// Runs `qwen tools`.
pub async fn run(settings: &Settings, args: ToolsArgs) -> anyhow::Result<Exit> {
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

async fn load(settings: &Settings, args: &ToolSourceArgs) -> anyhow::Result<Toolbox> {
    let quiet = settings.quiet;
    Toolbox::load(&sources(settings, args), &mut |warning| {
        if !quiet {
            note("warning", &warning);
        }
    })
    .await
}

/// `qwen tools list`.
async fn list(settings: &Settings, args: &ToolSourceArgs) -> anyhow::Result<Exit> {
    let toolbox = tokio::select! {
        biased;
        toolbox = load(settings, args) => toolbox?,
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
                    [
                        t.name.clone(),
                        kind_name(t).to_owned(),
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
        }
    }
    value
}

/// `qwen tools call NAME JSON`.
async fn call(settings: &Settings, args: ToolsCallArgs) -> anyhow::Result<Exit> {
    let toolbox = tokio::select! {
        biased;
        toolbox = load(settings, &args.sources) => toolbox?,
        _ = tokio::signal::ctrl_c() => return Ok(Exit::Interrupted),
    };
    let tool = toolbox
        .get(&args.name)
        .ok_or_else(|| no_such_tool(&args.name, &toolbox))?;
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

/// What a run keeps outside the cancellable part, so Ctrl-C can still flush it.
struct RunState<'a, W: Write> {
    audit: Audit<W>,
    store: LazyStore<'a>,
}

/// `qwen tools run`.
async fn run_loop(settings: &Settings, args: ToolsRunArgs) -> anyhow::Result<Exit> {
    let prompt = read_prompt(&args.prompt, &args.input, settings.quiet).await?;
    let system = match (&args.input.system, &args.input.system_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(input::read_text_file(path, args.input.lossy)?),
        (None, None) => settings.system.clone(),
    };
    let transcript = args
        .transcript
        .as_ref()
        .map(|path| {
            File::create(path)
                .with_context(|| format!("failed to create transcript `{}`", path.display()))
        })
        .transpose()?;
    let client = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let mut stdout = io::stdout().lock();
    let mut state = RunState {
        audit: Audit::new(
            &mut stdout,
            settings.format,
            thinking_display(&args.output),
            transcript,
            settings.quiet,
        ),
        store: LazyStore::new(settings, None),
    };
    let outcome = tokio::select! {
        biased;
        result = steps(settings, &args, &client, &prompt, system, &mut state) => Some(result),
        // Dropping `steps` drops the running calls, whose guards kill their process groups,
        // and the toolbox, whose MCP servers go the same way.
        _ = tokio::signal::ctrl_c() => None,
    };
    match outcome {
        Some(result) => result,
        None => {
            state
                .audit
                .failure("interrupted", "interrupted by the user")?;
            Ok(Exit::Interrupted)
        }
    }
}

async fn read_prompt(args: &[String], opts: &InputArgs, quiet: bool) -> anyhow::Result<String> {
    let stdin = if input::wants_stdin(args, opts.no_stdin)? {
        let bytes = input::read_stdin(quiet)
            .await
            .context("failed to read standard input")?;
        Some(input::decode(bytes, "standard input", opts.lossy)?)
    } else {
        None
    };
    let mut files = Vec::new();
    for path in &opts.files {
        files.push((
            path.display().to_string(),
            input::read_text_file(path, opts.lossy)?,
        ));
    }
    Ok(input::assemble(input::PromptParts { args, stdin, files })?)
}

fn thinking_display(args: &OutputArgs) -> Thinking {
    if args.show_thinking || (!args.hide_thinking && io::stderr().is_terminal()) {
        Thinking::Show {
            dim: stderr_color(),
        }
    } else {
        Thinking::Hide
    }
}

/// The loop itself: every model request and tool call of the run.
async fn steps<W: Write>(
    settings: &Settings,
    args: &ToolsRunArgs,
    client: &Client,
    prompt: &str,
    system: Option<String>,
    state: &mut RunState<'_, W>,
) -> anyhow::Result<Exit> {
    let toolbox = load(settings, &args.sources).await?;
    if toolbox.tools().is_empty() {
        return Err(UsageError::new(
            "no tools to offer the model",
            Some(format!(
                "define tools in `{}`, or pass `--tools FILE` or `--mcp COMMAND`",
                settings.config_dir.join("tools.toml").display()
            )),
        )
        .into());
    }
    let mut gate = Gate::new(settings, args, &toolbox);

    let mut params = settings.request_params(&args.params)?;
    let schema = args
        .params
        .schema
        .as_deref()
        .map(Schema::load)
        .transpose()?;
    if let Some(schema) = &schema {
        params.response_format = Some(schema.response_format());
    }
    let mut messages: Vec<Message> = system
        .map(|s| Message::new(Role::System, s))
        .into_iter()
        .collect();
    messages.push(Message::new(Role::User, prompt));
    if let Some(format) = &params.response_format {
        validate::ensure_json_word(&mut messages, format);
    }
    let specs = toolbox.specs();
    let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
    state.audit.start(&settings.model, &names, args.max_steps)?;
    let opts = TurnOptions {
        retry: settings.retry,
        first_token_timeout: settings.first_token_timeout,
        idle_timeout: settings.idle_timeout,
        fallback_models: if args.fallback_models.is_empty() {
            settings.fallback_models.clone()
        } else {
            args.fallback_models.clone()
        },
    };
    let started = Instant::now();
    let mut usage = Vec::new();
    let mut calls_made = 0;
    let mut step = 0;
    loop {
        step += 1;
        let request = ChatRequest {
            model: settings.model.clone(),
            messages: messages.clone(),
            params: params.clone(),
            tools: specs.clone(),
            stream: !args.params.no_stream,
            prompt: None,
        };
        let mut observer = StepObserver {
            audit: &mut state.audit,
            step,
            quiet: settings.quiet,
            max_attempts: settings.retry.retries + 1,
            records: Vec::new(),
        };
        let result = turn::run(client, &request, &opts, &mut observer).await;
        let records = std::mem::take(&mut observer.records);
        let reply = result.as_ref().ok().map(|t| t.completion.text.as_str());
        state
            .store
            .record_exchange("tools", &records, prompt, reply);
        let turn = match result {
            Ok(turn) => turn,
            Err(TurnError::Output(err)) => return Err(err.into()),
            Err(TurnError::Api(err)) => {
                state.audit.api_error(&err)?;
                let context = format!("request to `{}` failed (step {step})", request.model);
                return Err(anyhow::Error::new(err).context(context));
            }
        };
        if let Some(u) = &turn.completion.usage {
            usage.push((turn.model.clone(), *u));
        }
        let mut completion = turn.completion;
        if completion.tool_calls.is_empty() {
            if let Some(u) = &completion.usage {
                state.audit.usage(step, u)?;
            }
            let total = total_usage(&usage);
            state.audit.finish(
                &completion.text,
                &completion.reasoning,
                &Done {
                    steps: step,
                    tool_calls: calls_made,
                    finish_reason: completion.finish_reason.as_deref(),
                    model: &turn.model,
                    request_id: completion.request_id.as_deref(),
                    latency_ms: started.elapsed().as_millis() as u64,
                    usage: &total,
                },
            )?;
            if args.output.usage {
                note(
                    "usage",
                    &usage_line(settings, &usage, step, started.elapsed()),
                );
            }
            toolbox.shutdown().await;
            validate::check(&params, schema.as_ref(), &completion.text)?;
            return Ok(Exit::Success);
        }

        // Some servers send no id (or an empty one); the tool message must quote one.
        for (i, call) in completion.tool_calls.iter_mut().enumerate() {
            if call.id.is_empty() {
                call.id = format!("call_{step}_{i}");
            }
        }
        calls_made += completion.tool_calls.len();
        state.audit.interim(&completion.text);
        for call in &completion.tool_calls {
            state.audit.tool_call(step, call)?;
        }
        if let Some(u) = &completion.usage {
            state.audit.usage(step, u)?;
        }
        if step >= args.max_steps {
            let message = format!(
                "the model still asked for tools after {step} requests (`--max-steps {}`)",
                args.max_steps
            );
            for call in &completion.tool_calls {
                let outcome = Outcome::not_run(Status::NotRun, "`--max-steps` reached");
                state
                    .audit
                    .tool_result(step, call, &outcome, Permission::NotAsked)?;
            }
            state.audit.failure("max_steps", &message)?;
            if args.output.usage {
                note(
                    "usage",
                    &usage_line(settings, &usage, step, started.elapsed()),
                );
            }
            toolbox.shutdown().await;
            return Err(MaxStepsReached(message).into());
        }

        let results = run_calls(&toolbox, &mut gate, step, &completion.tool_calls, state).await?;
        let mut assistant = Message::new(Role::Assistant, completion.text.clone());
        // Thinking models want their reasoning back on tool-call turns
        // (dashscope-protocol.md §2.6); compat.rs sends it only on such messages.
        if !completion.reasoning.is_empty() {
            assistant.reasoning = Some(std::mem::take(&mut completion.reasoning));
        }
        assistant.tool_calls = completion.tool_calls.clone();
        messages.push(assistant);
        for (call, outcome) in completion.tool_calls.iter().zip(results) {
            let mut message = Message::new(Role::Tool, outcome.content());
            message.tool_call_id = Some(call.id.clone());
            messages.push(message);
        }
    }
}

/// What to do with one call.
enum Plan<'t> {
    Run(&'t Tool, Value, Permission),
    Skip(Outcome, Permission),
}

/// Checks every call of a step, asks where needed, runs the allowed ones (a few at a time)
/// and returns the outcomes in call order.
async fn run_calls<W: Write>(
    toolbox: &Toolbox,
    gate: &mut Gate,
    step: u32,
    calls: &[ToolCall],
    state: &mut RunState<'_, W>,
) -> anyhow::Result<Vec<Outcome>> {
    // Questions come first and one at a time, before anything runs.
    let mut plans = Vec::new();
    for call in calls {
        let plan = match toolbox.get(&call.name) {
            None => {
                let known: Vec<&str> = toolbox.tools().iter().map(|t| t.name.as_str()).collect();
                Plan::Skip(
                    Outcome::not_run(
                        Status::UnknownTool,
                        format!(
                            "there is no tool named `{}`; the tools are: {}",
                            call.name,
                            known.join(", ")
                        ),
                    ),
                    Permission::NotAsked,
                )
            }
            Some(tool) => match tool.check_arguments(&call.arguments) {
                Err(problem) => Plan::Skip(
                    Outcome::not_run(
                        Status::InvalidArguments,
                        format!(
                            "invalid arguments for `{}`, so it was not run: {problem}",
                            tool.name
                        ),
                    ),
                    Permission::NotAsked,
                ),
                Ok(value) => match gate.decide(tool, &call.arguments).await {
                    Some(permission) => Plan::Run(tool, value, permission),
                    None => Plan::Skip(
                        Outcome::not_run(
                            Status::Refused,
                            format!(
                                "the user did not allow running `{}`, so it was not run",
                                tool.name
                            ),
                        ),
                        Permission::Refused,
                    ),
                },
            },
        };
        plans.push(plan);
    }

    let mut results: Vec<Option<Outcome>> = vec![None; calls.len()];
    let mut runnable = Vec::new();
    for (i, plan) in plans.into_iter().enumerate() {
        match plan {
            Plan::Skip(outcome, permission) => {
                state
                    .audit
                    .tool_result(step, &calls[i], &outcome, permission)?;
                results[i] = Some(outcome);
            }
            Plan::Run(tool, value, permission) => runnable.push((i, tool, value, permission)),
        }
    }
    let mut running = futures_util::stream::iter(runnable)
        .map(|(i, tool, value, permission)| async move {
            (i, permission, toolbox.call(tool, &value).await)
        })
        .buffer_unordered(MAX_PARALLEL);
    while let Some((i, permission, outcome)) = running.next().await {
        state
            .audit
            .tool_result(step, &calls[i], &outcome, permission)?;
        results[i] = Some(outcome);
    }
    Ok(results
        .into_iter()
        .map(|r| r.expect("every call has an outcome"))
        .collect())
}

/// Decides whether a tool may run: its definition, the flags, or the person at the terminal.
struct Gate {
    allow_all: bool,
    allowed: HashSet<String>,
    /// Answered "always" during this run.
    always: HashSet<String>,
    asker: Asker,
    refusal_hint_shown: bool,
    quiet: bool,
}

/// Where confirmation questions are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asker {
    /// The controlling terminal (`/dev/tty`).
    Terminal,
    /// Standard input, for tests (`QWEN_TEST_TTY`).
    Stdin,
    /// Nobody: tools that are not allowed are refused.
    Nobody,
}

enum Answer {
    Yes,
    Always,
    No,
}

impl Gate {
    fn new(settings: &Settings, args: &ToolsRunArgs, toolbox: &Toolbox) -> Self {
        for name in &args.allow {
            let known = match name.strip_suffix(".*") {
                Some(server) => toolbox
                    .tools()
                    .iter()
                    .any(|t| t.name.starts_with(&format!("{server}."))),
                None => toolbox.get(name).is_some(),
            };
            if !known && !settings.quiet {
                note("warning", &format!("`--allow {name}` matches no tool"));
            }
        }
        let test_tty = std::env::var_os(env::TEST_TTY).is_some_and(|v| !v.is_empty());
        let asker = if test_tty {
            Asker::Stdin
        } else if io::stdin().is_terminal() && io::stderr().is_terminal() {
            Asker::Terminal
        } else {
            Asker::Nobody
        };
        Self {
            allow_all: args.allow_all,
            allowed: args.allow.iter().cloned().collect(),
            always: HashSet::new(),
            asker,
            refusal_hint_shown: false,
            quiet: settings.quiet,
        }
    }

    fn granted(&self, tool: &Tool) -> Option<Permission> {
        let by_server = tool
            .name
            .split_once('.')
            .is_some_and(|(server, _)| self.allowed.contains(&format!("{server}.*")));
        if tool.allow {
            Some(Permission::Definition)
        } else if self.allowed.contains(&tool.name) || by_server {
            Some(Permission::Flag)
        } else if self.allow_all {
            Some(Permission::AllowAll)
        } else if self.always.contains(&tool.name) {
            Some(Permission::Confirmed)
        } else {
            None
        }
    }

    /// Returns how the call came to be allowed, or `None` when it is refused.
    async fn decide(&mut self, tool: &Tool, arguments: &str) -> Option<Permission> {
        if let Some(permission) = self.granted(tool) {
            return Some(permission);
        }
        if self.asker == Asker::Nobody {
            if !self.refusal_hint_shown && !self.quiet {
                self.refusal_hint_shown = true;
                note(
                    "warning",
                    &format!(
                        "refused `{}`: it is not allowed and there is no terminal to ask\n\nhint: allow it with `--allow {}`, `--allow-all`, or `allow = true` in its definition",
                        tool.name, tool.name
                    ),
                );
            }
            return None;
        }
        let question = format!(
            "qwen: run tool `{}` {}? [y]es / [n]o / [a]lways: ",
            tool.name,
            audit::short(arguments, 200)
        );
        match ask(self.asker, question).await {
            Answer::Yes => Some(Permission::Confirmed),
            Answer::Always => {
                self.always.insert(tool.name.clone());
                Some(Permission::Confirmed)
            }
            Answer::No => None,
        }
    }
}

/// Asks on stderr and reads one line from the terminal (or stdin, for tests) on a plain
/// thread: a blocked read must not keep Ctrl-C from ending the run.
async fn ask(asker: Asker, question: String) -> Answer {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = io::stderr().lock().write_all(question.as_bytes());
        let mut line = String::new();
        let read = match asker {
            Asker::Terminal => match File::open("/dev/tty") {
                Ok(tty) => io::BufReader::new(tty).read_line(&mut line),
                Err(_) => io::stdin().lock().read_line(&mut line),
            },
            _ => io::stdin().lock().read_line(&mut line),
        };
        let answer = match read.map(|_| line.trim().to_ascii_lowercase()) {
            Ok(a) if a == "y" || a == "yes" => Answer::Yes,
            Ok(a) if a == "a" || a == "always" => Answer::Always,
            _ => Answer::No,
        };
        let _ = tx.send(answer);
    });
    rx.await.unwrap_or(Answer::No)
}

/// Streams one step's events into the audit trail and collects its attempts for the ledger.
struct StepObserver<'a, W: Write> {
    audit: &'a mut Audit<W>,
    step: u32,
    quiet: bool,
    max_attempts: u32,
    records: Vec<AttemptRecord>,
}

impl<W: Write> Observer for StepObserver<'_, W> {
    fn on_event(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::Text(text) => self.audit.text(self.step, text),
            Event::Reasoning(text) => self.audit.reasoning(self.step, text),
            _ => Ok(()),
        }
    }

    fn on_retry(&mut self, err: &ApiError, delay: Duration, next_attempt: u32) {
        if !self.quiet {
            note(
                "retry",
                &format!(
                    "{err}; retrying in {} (attempt {next_attempt} of {})",
                    format_duration(delay),
                    self.max_attempts
                ),
            );
        }
    }

    fn on_fallback(&mut self, from: &str, to: &str, err: &ApiError) {
        if !self.quiet {
            note("note", &format!("`{from}` failed ({err}); trying `{to}`"));
        }
    }

    fn on_attempt(&mut self, record: &AttemptRecord) {
        self.records.push(record.clone());
    }
}

fn total_usage(steps: &[(String, Usage)]) -> Usage {
    let mut total = Usage::default();
    for (_, u) in steps {
        total.prompt_tokens += u.prompt_tokens;
        total.completion_tokens += u.completion_tokens;
        total.total_tokens += u.total_tokens;
        total.reasoning_tokens += u.reasoning_tokens;
        total.cached_tokens += u.cached_tokens;
    }
    total
}

fn usage_line(
    settings: &Settings,
    steps: &[(String, Usage)],
    requests: u32,
    took: Duration,
) -> String {
    let total = total_usage(steps);
    let host = endpoints::host_of(&settings.base_url);
    let costs: Option<Vec<prices::Cost>> = steps
        .iter()
        .map(|(model, u)| {
            prices::cost(
                &settings.prices,
                model,
                host,
                u,
                u.reasoning_tokens > 0,
                false,
            )
        })
        .collect();
    let cost = match costs {
        Some(costs)
            if !costs.is_empty() && costs.iter().all(|c| c.currency == costs[0].currency) =>
        {
            let amount = costs.iter().map(|c| c.amount).sum();
            format!(
                "~{}",
                prices::Cost {
                    amount,
                    currency: costs[0].currency
                }
            )
        }
        _ => "cost unknown".to_owned(),
    };
    format!(
        "{} input + {} output tokens = {} over {requests} requests · {} · {} · {cost}",
        total.prompt_tokens,
        total.completion_tokens,
        total.total_tokens,
        settings.model,
        format_duration(took)
    )
}
