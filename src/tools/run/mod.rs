//! `qwen tools run`: the tool loop.
//!
//! Each step sends the conversation with the tools, lets the turn engine assemble the
//! streamed tool calls, checks every call (known tool, arguments matching its schema,
//! allowed or confirmed), runs the good ones a few at a time, and sends every result back,
//! refusals and errors included, until the model answers without calling a tool. The
//! toolbox (`crate::tools`) never calls a model; this loop is the only place that does both.

pub mod audit;
mod calls;
use calls::{log_calls, name_calls, run_calls};
pub mod gate;
mod step;

use std::fs::File;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use super::{Outcome, Sources, Status, Toolbox};
use crate::api::turn::{self, AttemptRecord, InFlight, Observer, Turn, TurnError, TurnOptions};
use crate::api::types::{ChatRequest, Completion, Event, Message, Role, ToolCall, Usage};
use crate::api::{ApiError, Client, endpoints};
use crate::config::{ParamsConfig, Settings};
use crate::exit::{Exit, MaxStepsReached, UsageError};
use crate::ledger::LazyStore;
use crate::output::Thinking;
use crate::output::live::{note_fallback, note_retry};
use crate::output::spinner::Spinner;
use crate::prices;
use crate::term::note;
use crate::units::format_duration;
use crate::validate::{self, Schema};
use audit::{Audit, Done, Permission};
use gate::Gate;
use step::{StepObserver, total_usage, usage_line};

/// How a run goes: where tools come from, which may run unasked, and how the model is
/// asked.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Where tool definitions come from.
    pub sources: Sources,
    /// Tools that run without asking (`SERVER.*` for an MCP server's tools).
    pub allow: Vec<String>,
    /// Every tool runs without asking.
    pub allow_all: bool,
    /// Model requests at most; a model still calling tools after them ends the run (exit 8).
    pub max_steps: u32,
    /// Request parameters from the command line.
    pub params: ParamsConfig,
    /// Stream the replies.
    pub stream: bool,
    /// Models to try when the main one is unavailable (the profile's when empty).
    pub fallback_models: Vec<String>,
    /// One `--usage` line on stderr for the whole run.
    pub usage: bool,
    /// Where reasoning goes in text mode.
    pub thinking: Thinking,
    /// Explicit prompt-cache markers (flag over profile).
    pub prompt_cache: crate::config::CachePrompt,
    /// The bytes at the start of the prompt that are attached files, when they were put
    /// first for the prompt cache.
    pub cache_head: Option<usize>,
    /// Text mode: draw the answer as Markdown in this style (`None`: as it came).
    pub markdown: Option<crate::render::Style>,
    /// Media parts of the prompt (`--attach`).
    pub parts: Vec<crate::api::media::Part>,
    /// `--high-resolution`.
    pub high_resolution: bool,
    /// `--doc`: the `fileid://` reference, put after the system prompt.
    pub docs: Option<String>,
}

/// How long an earlier upload must stay valid to be reused for a run.
const UPLOAD_MARGIN: std::time::Duration = std::time::Duration::from_secs(3600);

/// What a run keeps outside the cancellable part, so Ctrl-C can still flush it.
struct RunState<'a, W: Write> {
    audit: Audit<W>,
    store: LazyStore<'a>,
    /// The model request under way; it outlives the loop, which Ctrl-C drops.
    in_flight: InFlight,
}

/// The tools of a run and the answers given about them: opened by the first run, and kept
/// by interactive `tools run` from one entry to the next, so MCP servers start once and a
/// tool allowed "always" stays allowed for the session.
pub struct Kit {
    toolbox: Toolbox,
    gate: Gate,
}

impl Kit {
    /// Loads the tools (starting the MCP servers) and sets up the confirmation gate.
    async fn open(settings: &Settings, options: &RunOptions) -> anyhow::Result<Kit> {
        let toolbox = super::load(&options.sources).await?;
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
        let gate = Gate::new(&options.allow, options.allow_all, settings.quiet, &toolbox);
        if !settings.quiet {
            toolbox.note_not_offered();
        }
        Ok(Kit { toolbox, gate })
    }

    /// Stops the MCP servers, asking them politely first.
    pub async fn shutdown(self) {
        self.toolbox.shutdown().await;
    }
}

/// Runs the loop: sends `prompt` with the tools, runs the calls the model asks for, and
/// sends the results back until the model answers; `transcript` gets every event as JSONL.
///
/// `history` holds earlier exchanges (interactive `tools run`), sent before the prompt;
/// when the model answers, the prompt and the answer are added to it. `kit` is opened here
/// when it is `None`, and left for the caller to shut down or to pass to the next run.
/// Ctrl-C drops it (its MCP servers' process groups are killed): a call may be under way.
pub async fn run(
    settings: &Settings,
    opts: &RunOptions,
    prompt: &str,
    system: Option<String>,
    transcript: Option<File>,
    history: &mut Vec<Message>,
    kit: &mut Option<Kit>,
) -> anyhow::Result<Exit> {
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
            opts.thinking,
            transcript,
            settings.quiet,
        )
        .with_markdown(opts.markdown),
        store: LazyStore::new(settings, None),
        in_flight: InFlight::default(),
    };
    let outcome = tokio::select! {
        biased;
        result = steps(settings, opts, &client, prompt, system, history, kit, &mut state) => Some(result),
        // Dropping `steps` drops the running calls, whose guards kill their process groups;
        // the toolbox's MCP servers go the same way below.
        _ = tokio::signal::ctrl_c() => None,
    };
    match outcome {
        Some(result) => result,
        None => {
            *kit = None;
            let records: Vec<_> = state.in_flight.interrupted().into_iter().collect();
            state.store.record_exchange("tools", &records, prompt, None);
            state
                .audit
                .failure("interrupted", "interrupted by the user")?;
            Ok(Exit::Interrupted)
        }
    }
}

/// The loop itself: every model request and tool call of the run.
#[allow(clippy::too_many_arguments)] // the run's parts, each from a different owner
async fn steps<W: Write>(
    settings: &Settings,
    opts: &RunOptions,
    client: &Client,
    prompt: &str,
    system: Option<String>,
    history: &mut Vec<Message>,
    kit: &mut Option<Kit>,
    state: &mut RunState<'_, W>,
) -> anyhow::Result<Exit> {
    let kit = match kit {
        Some(kit) => kit,
        None => kit.insert(Kit::open(settings, opts).await?),
    };
    let mut run = Loop::start(
        settings,
        opts,
        client,
        prompt,
        system,
        history,
        &kit.toolbox,
        &mut state.audit,
    )
    .await?;
    let mut step = 0;
    loop {
        step += 1;
        let mut turn = run.ask(step, state).await?;
        let calls = &mut turn.completion.tool_calls;
        if calls.is_empty() {
            let answer = Message::new(Role::Assistant, turn.completion.text.clone());
            let exit = run.answer(step, &turn, state).await;
            history.extend([Message::new(Role::User, prompt), answer]);
            return exit;
        }
        name_calls(step, calls);
        run.calls_made += calls.len();
        log_calls(&mut state.audit, step, &turn.completion)?;
        if step >= opts.max_steps {
            return run.give_up(step, &turn.completion.tool_calls, state).await;
        }
        let results = run_calls(
            &kit.toolbox,
            &mut kit.gate,
            step,
            &turn.completion.tool_calls,
            state,
        )
        .await?;
        run.append(turn.completion, &results);
    }
}

/// What the loop carries from one step to the next.
struct Loop<'r> {
    settings: &'r Settings,
    options: &'r RunOptions,
    client: &'r Client,
    prompt: &'r str,
    /// The next request: each step adds the model's calls and their results to its messages.
    request: ChatRequest,
    schema: Option<Schema>,
    opts: TurnOptions,
    started: Instant,
    /// The usage of each step with the model that answered it (prices differ by model, and
    /// by each request's input size).
    usage: Vec<(String, Usage)>,
    /// Tool calls the model asked for so far.
    calls_made: usize,
}

impl<'r> Loop<'r> {
    /// Loads the tools, builds the first request and starts the audit trail.
    #[allow(clippy::too_many_arguments)] // the run's parts, each from a different owner
    async fn start<W: Write>(
        settings: &'r Settings,
        options: &'r RunOptions,
        client: &'r Client,
        prompt: &'r str,
        system: Option<String>,
        history: &[Message],
        toolbox: &Toolbox,
        audit: &mut Audit<W>,
    ) -> anyhow::Result<Self> {
        let (params, schema) = crate::validate::params_and_schema(settings, &options.params)?;
        let mut messages: Vec<Message> = system
            .map(|s| Message::new(Role::System, s))
            .into_iter()
            .collect();
        messages.extend(history.iter().cloned());
        messages.push(Message::new(Role::User, prompt));
        if let Some(reference) = &options.docs {
            crate::docs::insert(&mut messages, reference);
        }
        if let Some(format) = &params.response_format {
            validate::ensure_json_word(&mut messages, format);
        }
        let mut request = ChatRequest {
            model: settings.model.clone(),
            messages,
            params,
            tools: toolbox.specs(),
            stream: options.stream,
            prompt: None,
        };
        // A tool loop sends the same prefix at every step: `auto` counts it as reused. The
        // markers stay on their messages for every later step.
        let ask = crate::prompt_cache::Ask {
            mode: options.prompt_cache,
            reused: true,
            min_tokens: settings.cache_min_tokens,
        };
        crate::prompt_cache::mark_and_say(settings, &mut request, &ask, options.cache_head);
        crate::attach::apply(
            settings,
            &mut request,
            options.parts.clone(),
            options.high_resolution,
            settings.model_given,
        )?;
        // Every step resends the first message: its files are uploaded once, here.
        crate::attach::upload(client, settings, &mut request, UPLOAD_MARGIN).await?;
        let names: Vec<String> = request.tools.iter().map(|s| s.name.clone()).collect();
        audit.start(&request.model, &names, options.max_steps)?;
        let opts = settings.turn_options(settings.fallbacks(&options.fallback_models));
        Ok(Self {
            settings,
            options,
            client,
            prompt,
            request,
            schema,
            opts,
            started: Instant::now(),
            usage: Vec::new(),
            calls_made: 0,
        })
    }

    /// Sends the conversation (retrying and falling back as `chat` does) and records the
    /// attempts in the ledger.
    async fn ask<W: Write>(
        &mut self,
        step: u32,
        state: &mut RunState<'_, W>,
    ) -> anyhow::Result<Turn> {
        let mut observer = StepObserver {
            audit: &mut state.audit,
            in_flight: &mut state.in_flight,
            step,
            quiet: self.settings.quiet,
            max_attempts: self.settings.max_attempts(),
            records: Vec::new(),
            spinner: Spinner::start(&self.request.model, self.settings.quiet),
        };
        let result = turn::run(self.client, &self.request, &self.opts, &mut observer).await;
        observer.spinner.stop();
        let records = std::mem::take(&mut observer.records);
        let reply = result.as_ref().ok().map(|t| t.completion.text.as_str());
        state
            .store
            .record_exchange("tools", &records, self.prompt, reply);
        match result {
            Ok(turn) => {
                if let Some(u) = &turn.completion.usage {
                    self.usage.push((turn.model.clone(), *u));
                }
                Ok(turn)
            }
            Err(TurnError::Output(err)) => Err(err.into()),
            Err(TurnError::Api(err)) => {
                state.audit.api_error(&err)?;
                let context = format!("request to `{}` failed (step {step})", self.request.model);
                Err(anyhow::Error::new(err).context(context))
            }
        }
    }

    /// The model answered without calling a tool: the answer ends the run.
    async fn answer<W: Write>(
        self,
        step: u32,
        turn: &Turn,
        state: &mut RunState<'_, W>,
    ) -> anyhow::Result<Exit> {
        let completion = &turn.completion;
        if let Some(u) = &completion.usage {
            state.audit.usage(step, u)?;
        }
        let total = total_usage(&self.usage);
        state.audit.finish(
            &completion.text,
            &completion.reasoning,
            &Done {
                steps: step,
                tool_calls: self.calls_made,
                finish_reason: completion.finish_reason.as_deref(),
                model: crate::output::answered_by(turn),
                requested_model: (crate::output::answered_by(turn) != turn.model)
                    .then_some(turn.model.as_str()),
                request_id: completion.request_id.as_deref(),
                latency_ms: self.started.elapsed().as_millis() as u64,
                usage: &total,
            },
        )?;
        self.note_usage(step);
        validate::check(&self.request.params, self.schema.as_ref(), &completion.text)?;
        Ok(Exit::Success)
    }

    /// `--max-steps` requests were made and the model still calls tools: those calls are
    /// not run, and the run fails with its own exit status.
    async fn give_up<W: Write>(
        self,
        step: u32,
        calls: &[ToolCall],
        state: &mut RunState<'_, W>,
    ) -> anyhow::Result<Exit> {
        let message = format!(
            "the model still asked for tools after {step} requests (`--max-steps {}`)",
            self.options.max_steps
        );
        for call in calls {
            let outcome = Outcome::not_run(Status::NotRun, "`--max-steps` reached");
            state
                .audit
                .tool_result(step, call, &outcome, Permission::NotAsked)?;
        }
        state.audit.failure("max_steps", &message)?;
        self.note_usage(step);
        Err(MaxStepsReached(message).into())
    }

    /// Adds the model's tool-call turn and one tool message per call to the conversation.
    fn append(&mut self, completion: Completion, results: &[Outcome]) {
        let mut assistant = Message::new(Role::Assistant, completion.text);
        // Thinking models want their reasoning back on tool-call turns
        // (dashscope-protocol.md §2.6); compat.rs sends it only on such messages.
        if !completion.reasoning.is_empty() {
            assistant.reasoning = Some(completion.reasoning);
        }
        let mut tool_messages = Vec::new();
        for (call, outcome) in completion.tool_calls.iter().zip(results) {
            let mut message = Message::new(Role::Tool, outcome.content());
            message.tool_call_id = Some(call.id.clone());
            tool_messages.push(message);
        }
        assistant.tool_calls = completion.tool_calls;
        self.request.messages.push(assistant);
        self.request.messages.extend(tool_messages);
    }

    /// `--usage`: one line for the whole run.
    fn note_usage(&self, step: u32) {
        if self.options.usage {
            let took = self.started.elapsed();
            note("usage", &usage_line(self.settings, &self.usage, step, took));
        }
    }
}
