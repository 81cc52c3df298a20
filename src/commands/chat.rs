//! `qwen chat`: prompt in, streamed reply out, conversation saved, every attempt recorded.

use std::io;
use std::path::PathBuf;

use super::common::{chat_endpoint, dry_run_at, read_prompt_parts, read_system, thinking_display};
use super::exchange::{Chat, Opening, Outcome};
use clap::Args;

use crate::api::types::Message;
use crate::args::{
    AttachArgs, DocArgs, InputArgs, ModelParams, OutputArgs, PromptCacheArgs, RenderArgs,
    SearchArgs,
};
use crate::cache;
use crate::config::{CachePrompt, Settings};
use crate::exit::{Exit, UsageError};
use crate::output::audio::WavOut;
use crate::output::markdown::reply_style;
use crate::output::{Format, Renderer};
use crate::speech;
use crate::term::note;

/// Arguments of `qwen chat`.
#[derive(Debug, Clone, Args)]
pub struct ChatArgs {
    /// The prompt; `-` stands for standard input
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    /// Print the request that would be sent (key redacted) and send nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub attach: AttachArgs,

    #[command(flatten)]
    pub doc: DocArgs,

    #[command(flatten)]
    pub speech: SpeechArgs,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub search: SearchArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub render: RenderArgs,

    #[command(flatten)]
    pub session: SessionArgs,

    #[command(flatten)]
    pub cache: CacheFlags,

    #[command(flatten)]
    pub prompt_cache: PromptCacheArgs,

    #[command(flatten)]
    pub prefix: PrefixArgs,

    /// Try this model when the main one is unavailable or keeps failing (repeatable)
    #[arg(long = "fallback-model", value_name = "MODEL", help_heading = "Model")]
    pub fallback_models: Vec<String>,
}

/// Partial mode: the model continues a given start of its reply.
#[derive(Debug, Clone, Default, Args)]
pub struct PrefixArgs {
    /// Start the reply with TEXT and let the model continue it (partial mode; no thinking)
    #[arg(long, value_name = "TEXT", conflicts_with = "prefix_file")]
    pub prefix: Option<String>,

    /// Read the start of the reply from a file (partial mode)
    #[arg(long, value_name = "PATH")]
    pub prefix_file: Option<PathBuf>,

    /// Print only the continuation, not the prefix before it (with --prefix or --prefix-file)
    #[arg(long)]
    pub no_echo_prefix: bool,
}

/// Speech out (Omni).
#[derive(Debug, Clone, Default, Args)]
pub struct SpeechArgs {
    /// Ask for a spoken reply too and write it to this WAV file (Omni models; the text
    /// still goes to stdout)
    #[arg(long, value_name = "FILE.wav")]
    pub audio_out: Option<PathBuf>,

    /// The voice of the spoken reply [default: Cherry]
    #[arg(long, value_name = "NAME", requires = "audio_out")]
    pub voice: Option<String>,
}

/// Conversation memory.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Conversation")]
pub struct SessionArgs {
    /// Continue the most recent conversation
    #[arg(short = 'c', long = "continue", conflicts_with = "session")]
    pub continue_last: bool,

    /// Continue the conversation with this name or id (`qwen sessions list`), or start
    /// one with this name
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,

    /// Send at most N earlier messages of the conversation
    #[arg(long, value_name = "N")]
    pub max_history: Option<usize>,

    /// Do not save this exchange (it cannot be continued)
    #[arg(long)]
    pub no_save: bool,

    /// List saved conversations and exit (the same as `qwen sessions list`)
    // Not `exclusive`: clap counts env-backed globals (`DASHSCOPE_BASE_URL`, …) as given.
    #[arg(long, conflicts_with_all = ["prompt", "continue_last", "session", "dry_run"])]
    pub list_sessions: bool,
}

/// The response cache, for commands that send requests (off unless asked for).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Cache")]
pub struct CacheFlags {
    /// Reuse the reply to an identical earlier request from the local cache (and store this one)
    #[arg(long, overrides_with = "no_cache")]
    pub cache: bool,

    /// Reuse only cached replies younger than this, e.g. `1h` (implies --cache)
    #[arg(long, value_name = "DURATION")]
    pub cache_ttl: Option<String>,

    /// Do not use the response cache, even if the profile turns it on
    #[arg(long, overrides_with = "cache")]
    pub no_cache: bool,
}

impl CacheFlags {
    /// Returns what these flags ask of the response cache.
    pub fn asked(&self) -> cache::Asked {
        cache::Asked {
            cache: self.cache,
            ttl: self.cache_ttl.clone(),
            no_cache: self.no_cache,
        }
    }
}

/// Runs `qwen chat`.
pub async fn run(settings: &Settings, args: ChatArgs) -> anyhow::Result<Exit> {
    // Buffered: the renderer flushes whenever no more output is immediately available,
    // so a burst of tokens costs one write, not one per token.
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    if args.session.list_sessions {
        return super::sessions::list(settings, &mut stdout);
    }
    let system = read_system(settings, &args.input)?;
    // Checked before anything is read or sent: a missing or too large document is exit 2.
    let docs = crate::docs::load(&args.doc.docs)?;
    // Media alone is a prompt: with attachments, one exchange (not the interactive loop).
    if !args.attach.any()
        && super::interactive::wanted(settings, &args.prompt, &args.input, args.dry_run)
    {
        if args.prefix.prefix.is_some() || args.prefix.prefix_file.is_some() {
            return Err(UsageError::new(
                "`--prefix` needs a prompt (interactive chat does not continue a given start)",
                Some("give the prompt as an argument or on stdin".into()),
            )
            .into());
        }
        if args.speech.audio_out.is_some() {
            return Err(UsageError::new(
                "`--audio-out` needs a prompt (interactive chat does not speak)",
                Some("give the prompt as an argument or on stdin".into()),
            )
            .into());
        }
        drop(stdout);
        let mut chat = Chat::open(settings, opening(settings, &args, system))?;
        chat.use_docs(docs, false).await?;
        let style = reply_style(args.render.mode(settings), Format::Text);
        return super::interactive::run(chat, thinking_display(&args.output), style).await;
    }
    let prefix = crate::input::text_or_file(
        args.prefix.prefix.as_deref(),
        args.prefix.prefix_file.as_deref(),
        args.input.lossy,
        settings.max_input,
    )?;
    if prefix.is_none() && args.prefix.no_echo_prefix {
        return Err(UsageError::new(
            "`--no-echo-prefix` needs `--prefix` or `--prefix-file`",
            None,
        )
        .into());
    }
    let mut read = read_prompt_parts(settings, &args.prompt, &args.input, &args.attach).await?;
    let media = std::mem::take(&mut read.media);
    crate::docs::check_with_media(settings, &docs, !media.is_empty())?;
    let plain = read.assemble()?;
    // For the explicit prompt cache the attached files go first, as a stable head to mark.
    let cached = match args.prompt_cache.mode(settings.cache_prompt) {
        CachePrompt::Off => None,
        _ => match read.for_cache(true)? {
            (text, Some(head)) => Some((text, head)),
            (_, None) => None,
        },
    };
    let mut chat = Chat::open(settings, opening(settings, &args, system))?;
    chat.use_docs(docs, args.dry_run).await?;
    if args.speech.audio_out.is_some() {
        chat.model = speech::choose_model(settings, &chat.model, settings.model_given)?;
    }
    let (mut request, schema, prompt) = chat.request_with_head(
        &plain,
        cached.as_ref().map(|(t, h)| (t.as_str(), *h)),
        media,
    )?;
    let voice = args
        .speech
        .voice
        .as_deref()
        .unwrap_or(speech::DEFAULT_VOICE);
    if args.speech.audio_out.is_some() {
        speech::apply(settings.api, &mut request, voice)?;
    }
    if let Some(prefix) = &prefix {
        crate::validate::partial_mode(&request.model, &mut request.params, args.params.think)?;
        request.messages.push(Message::partial(prefix.clone()));
    }
    if args.dry_run {
        let endpoint = chat_endpoint(settings, args.search.sources, false)?;
        return dry_run_at(&mut stdout, settings, &endpoint, &request);
    }
    // Opened before sending: a file that cannot be written costs no request.
    let wav = match &args.speech.audio_out {
        Some(path) => Some(WavOut::create(path).map_err(|e| {
            UsageError::new(format!("cannot write `{}`: {e}", path.display()), None)
        })?),
        None => None,
    };
    let style = reply_style(args.render.mode(settings), settings.format);
    let mut renderer = Renderer::new(&mut stdout, settings.format, thinking_display(&args.output))
        .with_markdown(style)
        .with_audio(wav);
    if let Some(prefix) = prefix.as_deref().filter(|_| !args.prefix.no_echo_prefix) {
        renderer.prefix(prefix)?;
    }
    match chat.send(&prompt, request, schema, &mut renderer).await? {
        Outcome::Answered => {
            if let Some(audio) = renderer.audio_written().filter(|_| !settings.quiet) {
                let (file, bytes) = (audio.path.display(), audio.bytes);
                note(
                    "note",
                    &format!(
                        "wrote `{file}` ({bytes} bytes of sound, {:.1} s)",
                        audio.seconds()
                    ),
                );
            }
            Ok(Exit::Success)
        }
        Outcome::Interrupted => Ok(Exit::Interrupted),
    }
}

/// What `chat`'s command line opens a conversation with.
fn opening<'a>(settings: &Settings, args: &'a ChatArgs, system: Option<String>) -> Opening<'a> {
    Opening {
        continue_last: args.session.continue_last,
        session: args.session.session.as_deref(),
        max_history: args.session.max_history,
        save: !args.session.no_save && settings.save_conversations,
        flags: args.params.as_params(),
        system,
        fallbacks: args.fallback_models.clone(),
        // A cached reply has no sound: speech always asks the model.
        cache: if args.speech.audio_out.is_some() {
            crate::cache::Asked {
                no_cache: true,
                ..Default::default()
            }
        } else {
            args.cache.asked()
        },
        no_stream: args.params.no_stream,
        usage: args.output.usage,
        cache_prompt: args.prompt_cache.mode(settings.cache_prompt),
        search: args.search.clone(),
        high_resolution: args.attach.high_resolution,
    }
}
