//! `qwen complete`: a raw prompt continued by a base or coder model, with no chat template.
//!
//! The request is the neutral [`ChatRequest`] with `prompt` set, so it goes through the same
//! turn engine (retries, timeouts), renderer and ledger as `chat`; the wire mapping sends it
//! to compat `/completions` or as native `input.prompt`.

use std::io;
use std::path::PathBuf;

use clap::Args;

use super::common;
use crate::api::Client;
use crate::api::turn::{self, TurnError};
use crate::api::types::{ChatRequest, Message, Role};
use crate::args::{ModelParams, OutputArgs, Typed, TypedOnly};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::ledger::LazyStore;
use crate::output::Renderer;
use crate::output::live::ChatObserver;
use crate::term::note;
use crate::{input, models, validate};

/// Arguments of `qwen complete`.
#[derive(Debug, Clone, Args)]
pub struct CompleteArgs {
    /// The prompt; `-` stands for standard input
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    /// Never read standard input, even when it is a pipe
    #[arg(long)]
    pub no_stdin: bool,

    /// Append a file's contents to the prompt verbatim (repeatable)
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Accept non-UTF-8 input, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,

    /// Fill in the middle: the text that comes after the completion
    #[arg(long, value_name = "TEXT", conflicts_with = "suffix_file")]
    pub suffix: Option<String>,

    /// Read the fill-in-the-middle suffix from a file
    #[arg(long, value_name = "PATH")]
    pub suffix_file: Option<PathBuf>,

    /// Continue the prompt in partial mode over chat completions (any model, any region;
    /// the catalogue's chat models use it without this flag); `--prefix` is the same
    #[arg(long, visible_alias = "prefix", conflicts_with_all = ["suffix", "suffix_file"])]
    pub partial: bool,

    /// Completion model [default: qwen-coder-turbo]
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<String>,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Print the request that would be sent (key redacted) and send nothing
    #[arg(long, help_heading = "Options")]
    pub dry_run: bool,
}

/// `qwen complete` arguments, with a `--model` that only the command line sets.
///
/// As for `qwen embed`: a chat model chosen in `QWEN_MODEL` is no completion model, so the
/// value clap fills in from the environment is dropped.
pub type CompleteCommand = Typed<CompleteArgs>;

impl TypedOnly for CompleteArgs {
    fn drop_env(&mut self, from_env: &dyn Fn(&str) -> bool) {
        if from_env("model") {
            self.model = None;
        }
    }
}

/// The model used when `--model` is not given: `/completions` serves coder models only
/// (dashscope-protocol.md §3), so the chat default (`qwen-plus`) would be refused.
pub const DEFAULT_MODEL: &str = "qwen-coder-turbo";

/// Runs `qwen complete`.
pub async fn run(settings: &Settings, args: CompleteArgs) -> anyhow::Result<Exit> {
    let mut stdout = io::stdout().lock();
    let text = read_prompt(&args, settings).await?;
    let suffix = match (&args.suffix, &args.suffix_file) {
        (Some(suffix), _) => Some(suffix.clone()),
        (None, Some(path)) => Some(input::read_text_file(path, args.lossy, settings.max_input)?),
        (None, None) => None,
    };
    let prompt = match &suffix {
        Some(suffix) => fim_prompt(&text, suffix),
        None => text,
    };
    let (mut params, schema) =
        crate::validate::params_and_schema(settings, &args.params.as_params())?;
    let model = args.model.clone().unwrap_or_else(|| DEFAULT_MODEL.into());
    let partial = uses_partial(&model, args.partial, suffix.is_some());
    if partial {
        validate::partial_mode(&model, &mut params, args.params.think)?;
    }
    let request = ChatRequest {
        model,
        // Partial mode: the prompt is the start of the assistant's reply, which the model
        // continues (the reply does not repeat it, as `/completions` does not).
        messages: match partial {
            true => vec![
                Message::new(Role::User, PARTIAL_INSTRUCTION),
                Message::partial(prompt.clone()),
            ],
            false => Vec::new(),
        },
        params,
        tools: Vec::new(),
        stream: !args.params.no_stream,
        prompt: (!partial).then(|| prompt.clone()),
    };
    common::check_before_sending(settings, &request)?;

    if args.dry_run {
        return common::dry_run(&mut stdout, settings, &request);
    }

    let client = Client::new(
        settings.endpoint()?,
        settings.connect_timeout,
        settings.verbose,
    )?;
    let thinking = common::thinking_display(&args.output);
    let mut renderer = Renderer::new(&mut stdout, settings.format, thinking);
    let mut observer = ChatObserver::new(&mut renderer, settings.quiet, settings.max_attempts())
        .with_spinner(&settings.model);
    // No fallback models: the configured ones are chat models, and a raw prompt needs a
    // base or coder model.
    let opts = settings.turn_options(Vec::new());
    let outcome = tokio::select! {
        biased;
        outcome = turn::run(&client, &request, &opts, &mut observer) => Some(outcome),
        _ = tokio::signal::ctrl_c() => None,
    };
    let mut records = observer.take_records();
    // Clears the spinner if no event did (an error, Ctrl-C).
    drop(observer);
    // The end of the reply is written before the row: a reader gone by then is recorded.
    let finished = match &outcome {
        Some(Ok(turn)) => renderer.finish(turn),
        _ => Ok(()),
    };
    common::mark_unfinished(&mut records, &finished);
    let reply = match &outcome {
        Some(Ok(turn)) => Some(turn.completion.text.as_str()),
        _ => None,
    };
    LazyStore::new(settings, None).record_exchange("complete", &records, &prompt, reply);
    let turn = match outcome {
        None => {
            renderer.interrupted()?;
            return Ok(Exit::Interrupted);
        }
        Some(Ok(turn)) => turn,
        Some(Err(TurnError::Output(err))) => return Err(err.into()),
        Some(Err(TurnError::Api(err))) => {
            renderer.error(&err)?;
            let failed = common::request_failed(settings, &request.model, &opts, &err);
            return Err(anyhow::Error::new(err).context(failed));
        }
    };
    finished?;
    if args.output.usage {
        note("usage", &common::usage_line(settings, &turn, None));
    }
    validate::check(&request.params, schema.as_ref(), &turn.completion.text)?;
    Ok(Exit::Success)
}

/// The user message before the prefix in partial mode: chat templates expect one.
pub const PARTIAL_INSTRUCTION: &str = "Continue the text.";

/// Returns true when the prompt is continued in partial mode over chat completions rather
/// than sent to `/completions`: when asked (`--partial`), or for a model the catalogue knows
/// as a chat model (everything but `qwen-coder-turbo`, which `/completions` serves). A model
/// the catalogue does not know (a local base model) and fill-in-the-middle keep
/// `/completions`.
pub fn uses_partial(model: &str, asked: bool, fim: bool) -> bool {
    asked || (!fim && models::lookup(model).is_some() && !model.starts_with(DEFAULT_MODEL))
}

/// Encodes fill-in-the-middle in the prompt: `/completions` has no `suffix` parameter
/// (dashscope-protocol.md §3), and Qwen coder models read these markers. An empty suffix
/// gives the spec's prefix-only form.
pub fn fim_prompt(prefix: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        format!("<|fim_prefix|>{prefix}<|fim_suffix|>")
    } else {
        format!("<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>")
    }
}

/// Builds the prompt by `chat`'s rules (arguments, `-`, standard input), then appends each
/// `--file` verbatim: a raw completion continues the text exactly, so no `<file>` wrapper.
async fn read_prompt(args: &CompleteArgs, settings: &Settings) -> anyhow::Result<String> {
    let limit = settings.max_input;
    let stdin = if input::wants_stdin(&args.prompt, args.no_stdin)? {
        let bytes = input::read_stdin(settings.quiet, limit, args.lossy).await?;
        Some(input::decode(bytes, "standard input", args.lossy)?)
    } else {
        None
    };
    let mut segments = Vec::new();
    let has_head = args.prompt.iter().any(|a| a != "-")
        || stdin.as_deref().is_some_and(|s| !s.trim().is_empty());
    if has_head {
        segments.push(input::assemble(input::PromptParts {
            args: &args.prompt,
            stdin,
            files: Vec::new(),
        })?);
    }
    for path in &args.files {
        segments.push(input::read_text_file(path, args.lossy, limit)?);
    }
    let prompt = segments.join("\n\n");
    if prompt.trim().is_empty() {
        return Err(UsageError::new(
            "no prompt: give PROMPT arguments, pipe text to standard input, or pass `--file`",
            Some("example: `qwen complete -m qwen-coder-turbo 'def fib(n):'`".into()),
        )
        .into());
    }
    Ok(prompt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fim_follows_the_spec() {
        assert_eq!(
            fim_prompt("def f():\n", "\n    return x\n"),
            "<|fim_prefix|>def f():\n<|fim_suffix|>\n    return x\n<|fim_middle|>"
        );
        assert_eq!(fim_prompt("a", ""), "<|fim_prefix|>a<|fim_suffix|>");
    }

    #[test]
    fn chat_models_continue_in_partial_mode() {
        assert!(uses_partial("qwen-plus", false, false));
        assert!(uses_partial("qwen3-coder-plus", false, false));
        assert!(!uses_partial("qwen-coder-turbo", false, false));
        assert!(!uses_partial("qwen-coder-turbo-0919", false, false));
        assert!(!uses_partial("qwen2.5-coder-7b-instruct", false, false));
        assert!(
            !uses_partial("qwen-plus", false, true),
            "fill-in-the-middle"
        );
        assert!(uses_partial("my-local-model", true, false));
    }
}
