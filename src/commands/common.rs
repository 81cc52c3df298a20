//! What the commands that send a prompt share (`chat`, `complete`, `tools run`): reading the
//! prompt and system prompt, the pre-send checks, `--dry-run`, where reasoning goes, the
//! `--usage` line, and the context of a failed request.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::api::media::Part;
use crate::api::turn::{AttemptRecord, Turn, TurnOptions};
use crate::api::types::ChatRequest;
use crate::api::{self, ApiError, Client};
use crate::args::{AttachArgs, InputArgs, OutputArgs};
use crate::cache::Hit;
use crate::config::Settings;
use crate::exit::{Exit, RequestFailed, UsageError};
use crate::output::{Format, Thinking};
use crate::term::{note, stderr_color};
use crate::units::format_duration;
use crate::{attach, input, models, validate};

/// Reads `--older-than D` (`30d`, `12h`, …).
pub fn older_than(text: Option<&str>) -> Result<Option<std::time::Duration>, UsageError> {
    text.map(|text| {
        crate::units::parse_duration(text)
            .map_err(|e| UsageError::new(format!("invalid `--older-than`: {e}"), None))
    })
    .transpose()
}

/// The time, in ms since the epoch, before which something is older than `--older-than D`.
pub fn older_than_cutoff(text: Option<&str>) -> Result<Option<i64>, UsageError> {
    Ok(older_than(text)?
        .map(|age| crate::store::now_ms() - i64::try_from(age.as_millis()).unwrap_or(i64::MAX / 2)))
}

/// Reads the system prompt: `--system`, else `--system-file`, else the profile's.
pub fn read_system(settings: &Settings, args: &InputArgs) -> anyhow::Result<Option<String>> {
    let given = input::text_or_file(
        args.system.as_deref(),
        args.system_file.as_deref(),
        args.lossy,
        settings.max_input,
    )?;
    Ok(given.or_else(|| settings.system.clone()))
}

/// What failed: the one model, or every model when fallbacks were tried.
pub fn failure_context(model: &str, opts: &TurnOptions) -> String {
    if opts.fallback_models.is_empty() {
        format!("request to `{model}` failed")
    } else {
        "request failed on every model".to_owned()
    }
}

/// The context of a failed turn, with a hint only the command can give: where the key
/// came from (401), or the catalogue model a name that does not exist was close to.
pub fn request_failed(
    settings: &Settings,
    model: &str,
    opts: &TurnOptions,
    err: &ApiError,
) -> RequestFailed {
    let hint = if err.status() == Some(401) {
        Some(settings.auth_hint())
    } else if err.is_unknown_model(model) {
        models::suggest(model).map(|near| {
            format!("did you mean `{near}`? `qwen models` lists the models the endpoint offers")
        })
    } else {
        None
    };
    RequestFailed {
        message: failure_context(model, opts),
        hint,
    }
}

/// Runs the catalogue's checks on a request about to be sent: warnings on stderr (unless
/// `--quiet`), or a usage error where the API is known to refuse the request.
pub fn check_before_sending(settings: &Settings, request: &ChatRequest) -> anyhow::Result<()> {
    for warning in validate::check_request(request)? {
        if !settings.quiet {
            note("warning", &warning);
        }
    }
    Ok(())
}

/// Reads the prompt by `chat`'s rules: the arguments, then standard input when it is not a
/// terminal (or where a `-` stands), then the `--file` attachments.
pub async fn read_prompt(
    settings: &Settings,
    args: &[String],
    opts: &InputArgs,
) -> anyhow::Result<String> {
    read_prompt_parts(settings, args, opts, &AttachArgs::default())
        .await?
        .assemble()
}

/// A prompt's parts as read, to be assembled in `chat`'s order or with the files first,
/// and the media the `--attach` sources gave.
pub struct ReadPrompt<'a> {
    args: &'a [String],
    stdin: Option<String>,
    files: Vec<(String, String)>,
    /// Images, video and audio from `--attach`, to go after the text.
    pub media: Vec<Part>,
}

impl ReadPrompt<'_> {
    fn parts(&self) -> input::PromptParts<'_> {
        input::PromptParts {
            args: self.args,
            stdin: self.stdin.clone(),
            files: self.files.clone(),
        }
    }

    /// The prompt in `chat`'s documented order.
    pub fn assemble(&self) -> anyhow::Result<String> {
        Ok(self.media_alone(input::assemble(self.parts()))?)
    }

    /// The prompt for the explicit prompt cache: with `files_first`, the attached files
    /// first and the length of that stable head (see [`input::assemble_files_first`]).
    pub fn for_cache(&self, files_first: bool) -> anyhow::Result<(String, Option<usize>)> {
        if files_first {
            Ok(self
                .media_alone(input::assemble_files_first(self.parts()).map(Some))?
                .unwrap_or_default())
        } else {
            Ok((self.assemble()?, None))
        }
    }

    /// An image alone is a prompt ("what is this?" is implied): no text is then no error.
    fn media_alone<T: Default, E>(&self, assembled: Result<T, E>) -> Result<T, E> {
        match assembled {
            Err(_) if !self.media.is_empty() => Ok(T::default()),
            other => other,
        }
    }
}

/// Reads the `--attach` sources, then the prompt's parts (see [`read_prompt`]): text files
/// given to `--attach` join the `--file` ones; with media the prompt may be empty;
/// `--attach -` takes standard input, so the prompt cannot come from it too.
pub async fn read_prompt_parts<'a>(
    settings: &Settings,
    args: &'a [String],
    opts: &InputArgs,
    attach: &AttachArgs,
) -> anyhow::Result<ReadPrompt<'a>> {
    if attach.reads_stdin() && args.iter().any(|a| a == "-") {
        return Err(UsageError::new(
            "standard input cannot be both the prompt (`-`) and an attachment (`--attach -`)",
            Some("give the prompt as arguments, or attach a file by its path".into()),
        )
        .into());
    }
    let attached = attach::load(
        &attach.attach,
        &attach.frames,
        settings.max_input,
        opts.lossy,
    )?;
    let no_stdin = opts.no_stdin || attach.reads_stdin();
    let limit = settings.max_input;
    let stdin = if input::wants_stdin(args, no_stdin)? {
        let bytes = input::read_stdin(settings.quiet, limit, opts.lossy).await?;
        Some(input::decode(bytes, "standard input", opts.lossy)?)
    } else {
        None
    };
    let mut files = Vec::new();
    for path in &opts.files {
        files.push((
            path.display().to_string(),
            input::read_text_file(path, opts.lossy, limit)?,
        ));
    }
    files.extend(attached.texts);
    Ok(ReadPrompt {
        args,
        stdin,
        files,
        media: attached.parts,
    })
}

/// Marks the last attempt `output_closed` when writing the end of its reply failed (the
/// reader went away after the last token, before the final newline or `done` line), as a
/// reader gone mid-stream is marked.
pub fn mark_unfinished(records: &mut [AttemptRecord], finished: &io::Result<()>) {
    if finished.is_err()
        && let Some(last) = records.last_mut().filter(|r| r.error_code.is_none())
    {
        last.error_code = Some("output_closed".to_owned());
    }
}

/// Puts media parts on the request's last message (see [`attach::apply`]).
pub fn attach_media(
    settings: &Settings,
    request: &mut ChatRequest,
    parts: Vec<Part>,
    attach: &AttachArgs,
) -> anyhow::Result<()> {
    Ok(attach::apply(
        settings,
        request,
        parts,
        attach.high_resolution,
        settings.model_given,
    )?)
}

/// Where reasoning goes: `--show-thinking`, `--hide-thinking`, else stderr when it is a
/// terminal (dimmed where colour is allowed).
/// Without colours on a terminal (`NO_COLOR`), each line of reasoning starts with `› `;
/// elsewhere (stderr piped with `--show-thinking`) it is written as it came.
pub fn thinking_display(args: &OutputArgs) -> Thinking {
    let color = stderr_color();
    let terminal = io::IsTerminal::is_terminal(&io::stderr());
    let show = Thinking::Show {
        dim: color,
        mark: terminal && !color,
    };
    if args.show_thinking {
        show
    } else if args.hide_thinking {
        Thinking::Hide
    } else if terminal {
        show
    } else {
        Thinking::Hide
    }
}

/// The `--usage` line of one turn (or of a reply from the cache).
pub fn usage_line(settings: &Settings, turn: &Turn, hit: Option<&Hit>) -> String {
    if let Some(hit) = hit {
        let saved = hit.saved.map_or(0, |u| u.total_tokens);
        return format!(
            "from the cache: 0 tokens billed ({saved} saved) · {} · cost 0",
            crate::output::answered_by(turn)
        );
    }
    let Some(u) = turn.completion.usage else {
        return format!(
            "the server reported no token usage · {}",
            crate::output::answered_by(turn)
        );
    };
    let mut details = Vec::new();
    if u.reasoning_tokens > 0 {
        details.push(format!("{} reasoning", u.reasoning_tokens));
    }
    if u.cached_tokens > 0 {
        details.push(format!("{} cached", u.cached_tokens));
    }
    for (n, kind) in [
        (u.image_tokens, "image"),
        (u.audio_tokens, "audio"),
        (u.video_tokens, "video"),
        (u.output_audio_tokens, "audio out"),
    ] {
        if n > 0 {
            details.push(format!("{n} {kind}"));
        }
    }
    let details = if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", details.join(", "))
    };
    let host = api::endpoints::host_of(&settings.base_url);
    let thinking = u.reasoning_tokens > 0;
    let served = crate::output::answered_by(turn);
    // Priced as the model that answered, else as the one asked for (a dated snapshot
    // behind an alias may not be in the table).
    let cost = [served, turn.model.as_str()]
        .into_iter()
        .find_map(|m| crate::prices::cost(&settings.prices, m, host, &u, thinking, false))
        .map_or_else(|| "cost unknown".to_owned(), |c| format!("~{c}"));
    let cache = if u.cache_write_tokens > 0 || u.explicit_cache {
        let saved = [served, turn.model.as_str()]
            .into_iter()
            .find_map(|m| crate::prices::cache_saving(&settings.prices, m, host, &u, false));
        format!(
            " · {}",
            crate::prices::cache_line(u.cache_write_tokens, u.cached_tokens, saved)
        )
    } else {
        String::new()
    };
    format!(
        "{} input + {} output tokens{details} = {} · {} · {} · {cost}{cache}",
        u.prompt_tokens,
        u.completion_tokens,
        u.total_tokens,
        served,
        format_duration(turn.latency)
    )
}

/// Returns the endpoint of a chat request: the configured one, or, when the sources of a web
/// search were asked for on the compat protocol, the native root (which alone returns them;
/// `-v` says so). `key` resolves the key; `--dry-run` passes false.
pub fn chat_endpoint(
    settings: &Settings,
    sources: bool,
    key: bool,
) -> anyhow::Result<api::Endpoint> {
    if !sources || settings.api == api::Protocol::Native {
        return match key {
            true => settings.endpoint(),
            false => Ok(settings.endpoint_without_key()),
        };
    }
    let what = "`--sources`";
    let endpoint = match key {
        true => settings.native_endpoint(what)?,
        false => settings.native_endpoint_without_key(what)?,
    };
    if settings.verbose {
        note(
            "note",
            &format!(
                "`--sources` goes over DashScope's native protocol, the only one that returns sources: `{}`",
                api::endpoints::shown_url(&endpoint.base_url)
            ),
        );
    }
    Ok(endpoint)
}

/// Writes the sources of a reply as a numbered list on stderr, after the reply (text mode).
pub fn print_sources(sources: &[api::types::Source]) -> io::Result<()> {
    if sources.is_empty() {
        return Ok(());
    }
    let mut err = io::stderr().lock();
    write!(err, "sources:\n{}", crate::output::sources::list(sources))?;
    err.flush()
}

/// `--dry-run`: prints the request as it would be sent, with the key redacted (and never
/// resolved: an `api_key_command` does not run).
pub fn dry_run(
    out: &mut impl Write,
    settings: &Settings,
    request: &ChatRequest,
) -> anyhow::Result<Exit> {
    dry_run_at(out, settings, &settings.endpoint_without_key(), request)
}

/// [`dry_run`] at another endpoint (`--sources` over the native protocol).
pub fn dry_run_at(
    out: &mut impl Write,
    settings: &Settings,
    endpoint: &api::Endpoint,
    request: &ChatRequest,
) -> anyhow::Result<Exit> {
    let prepared = api::prepare_chat(endpoint, request);
    let headers = Client::shown_headers(&prepared, settings.has_key());
    write_dry_run(out, settings.format, &prepared, &headers)?;
    Ok(Exit::Success)
}

pub fn write_dry_run(
    out: &mut impl Write,
    format: Format,
    prepared: &api::Prepared,
    headers: &[(String, String)],
) -> anyhow::Result<()> {
    match format {
        Format::Text => {
            writeln!(out, "POST {}", api::endpoints::shown_url(&prepared.url))?;
            for (name, value) in headers {
                writeln!(out, "{name}: {value}")?;
            }
            writeln!(out)?;
            writeln!(out, "{}", prepared.shown_body(true))?;
        }
        Format::Jsonl | Format::Json => {
            let headers: serde_json::Map<String, Value> =
                headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            let value = json!({
                "v": crate::output::SCHEMA_VERSION, "method": "POST",
                "url": api::endpoints::shown_url(&prepared.url),
                "headers": headers, "body": prepared.body,
            });
            let line = serde_json::to_string(&value)?;
            writeln!(out, "{}", api::media::shown(&line, &prepared.payloads))?;
        }
    }
    out.flush()?;
    Ok(())
}
