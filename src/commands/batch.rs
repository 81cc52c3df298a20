//! `qwen batch`: many items through the engine, one JSONL line per item, a summary at the end.

mod remote;

use std::path::PathBuf;

use futures_util::StreamExt;

use clap::{Args, Subcommand, ValueEnum};

use crate::api::retry::RetryPolicy;
use crate::args::{AttachArgs, ModelParams};
use crate::batch::inputs::{self, Source, Template, WalkOptions};
use crate::batch::item::{Defaults, ItemMedia, ItemOptions};
use crate::batch::journal::{self, OutputSpec};
use crate::batch::local::LocalOptions;
use crate::batch::remote::job::{self, RemoteOptions};
use crate::batch::results::OutputOptions;
use crate::batch::{self, Recipe};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::input;
use crate::output::Format;
use crate::units::{parse_duration, parse_size};

/// Arguments of `qwen batch`.
#[derive(Debug, Clone, Args)]
pub struct BatchArgs {
    /// Files and directories to send; `-` reads a list of paths from standard input
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read requests from a JSONL file instead (`-` for standard input)
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub input: Option<PathBuf>,

    /// What `-` reads from standard input: a list of paths, or JSONL requests
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Paths)]
    pub input_format: InputFormat,

    /// Prompt template for files, with `{path}`, `{name}` and `{content}` placeholders
    #[arg(long, value_name = "TEXT", conflicts_with = "prompt_file")]
    pub prompt: Option<String>,

    /// Read the prompt template from a file
    #[arg(long, value_name = "FILE")]
    pub prompt_file: Option<PathBuf>,

    /// System prompt for every item
    #[arg(short, long, value_name = "TEXT", conflicts_with = "system_file")]
    pub system: Option<String>,

    /// Read the system prompt from a file
    #[arg(long, value_name = "PATH")]
    pub system_file: Option<PathBuf>,

    #[command(flatten)]
    pub params: ModelParams,

    #[command(flatten)]
    pub attach: AttachArgs,

    #[command(flatten)]
    pub search: crate::args::SearchArgs,

    /// Only files matching this glob; `!GLOB` excludes (repeatable)
    #[arg(short, long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// Include hidden files and directories
    #[arg(long)]
    pub hidden: bool,

    /// Do not honour `.gitignore`, `.ignore` and similar files
    #[arg(long)]
    pub no_ignore: bool,

    /// Descend at most this many directory levels
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,

    /// Requests in flight at most
    #[arg(short = 'j', long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,

    /// Start at most N requests per minute
    #[arg(long, value_name = "N")]
    pub rpm: Option<std::num::NonZeroU32>,

    /// Send at most N input tokens per minute (estimated before, corrected after)
    #[arg(long, value_name = "N")]
    pub tpm: Option<std::num::NonZeroU32>,

    /// Stop starting items after the first one that fails for good
    #[arg(long)]
    pub fail_fast: bool,

    /// After the first Ctrl-C, wait this long for requests in flight, then abandon them
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub drain_timeout: String,

    /// Take at most N items
    #[arg(long, value_name = "N")]
    pub max_items: Option<usize>,

    /// Stop starting items when the run's estimated spend would pass this amount (in the
    /// price table's currency: USD, or CNY in Beijing)
    #[arg(long, value_name = "AMOUNT")]
    pub max_cost: Option<f64>,

    /// List the items with estimated input tokens and send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Skip files larger than this (e.g. `200KB`, `1MiB`)
    #[arg(long, value_name = "SIZE", default_value = "1MiB")]
    pub max_bytes: String,

    /// Send the start of files larger than --max-bytes instead of skipping them
    #[arg(long)]
    pub truncate: bool,

    /// Accept non-UTF-8 files, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,

    /// Write results in input order (default: as they finish)
    #[arg(long)]
    pub ordered: bool,

    /// Write the JSONL results to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write each reply to its own file under DIR, mirroring the input paths
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Extension appended to --out-dir files
    #[arg(long, value_name = "EXT", default_value = "md")]
    pub ext: String,

    /// Skip items already done in --output / --out-dir; retry the failed ones
    #[arg(long)]
    pub resume: bool,

    /// Replace the results of an earlier run in --output / --out-dir (refused otherwise)
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub prompt_cache: crate::args::PromptCacheArgs,

    #[command(subcommand)]
    pub action: Option<BatchAction>,
}

/// What `qwen batch -` reads from standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One path per line (files or directories)
    Paths,
    /// One JSONL request per line, as with `--input`
    Jsonl,
}

/// The remote route through DashScope's Batch API.
#[derive(Debug, Clone, Args)]
pub struct RemoteArgs {
    /// Run the job on DashScope's Batch API (half price, finishes within --window)
    #[arg(long)]
    pub remote: bool,

    /// Completion window of remote batches: 24h to 336h, or 1d to 14d
    #[arg(
        long,
        value_name = "WINDOW",
        default_value = "24h",
        requires = "remote"
    )]
    pub window: String,

    /// Submit the remote job, print its id as JSON and exit
    #[arg(long, requires = "remote")]
    pub detach: bool,

    /// First wait between status polls of a remote job (it grows to 5 minutes)
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub poll_interval: String,

    /// Lines per uploaded file at most
    #[arg(long, value_name = "N", default_value_t = 50_000, requires = "remote")]
    pub max_file_lines: usize,

    /// Bytes per uploaded file at most
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "500MB",
        requires = "remote"
    )]
    pub max_file_bytes: String,

    /// Bytes per request line at most; larger items are skipped before anything is uploaded
    #[arg(long, value_name = "SIZE", default_value = "6MB", requires = "remote")]
    pub max_line_bytes: String,
}

/// Commands for remote batch jobs.
#[derive(Debug, Clone, Subcommand)]
pub enum BatchAction {
    /// Show the status of a remote job (the newest one by default)
    Status {
        /// The job id (`job-…`)
        #[arg(value_name = "JOB")]
        job: Option<String>,
    },
    /// Wait for a remote job and write its results like a finished run
    Fetch(FetchArgs),
    /// Cancel a remote job's batches (finished lines stay fetchable)
    Cancel {
        /// The job id
        #[arg(value_name = "JOB")]
        job: String,
    },
    /// List remote jobs submitted from this machine
    List,
}

/// Arguments of `qwen batch fetch`.
#[derive(Debug, Clone, Args)]
pub struct FetchArgs {
    /// The job id
    #[arg(value_name = "JOB")]
    pub job: String,

    /// Write the JSONL results to this file (default: the submitting run's)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write each reply to its own file under DIR (default: the submitting run's)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// First wait between status polls
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub poll_interval: String,
}

/// Every file the run reads: the inputs, the JSONL input, the prompt and system files.
fn read_paths(args: &BatchArgs) -> Vec<PathBuf> {
    let mut read: Vec<PathBuf> = args.paths.clone();
    read.extend(args.input.iter().cloned());
    read.extend(args.prompt_file.iter().cloned());
    read.extend(args.system_file.iter().cloned());
    read
}

/// Runs `qwen batch`.
pub async fn run(settings: &Settings, args: BatchArgs) -> anyhow::Result<Exit> {
    if let Some(action) = &args.action {
        return remote::action(settings, action).await;
    }
    if settings.format_flag.is_some_and(|f| f != Format::Jsonl) {
        return Err(UsageError::new(
            "`qwen batch` writes JSONL only",
            Some("use `--out-dir DIR` for one plain reply file per input".into()),
        )
        .into());
    }
    if args.resume && args.output.is_none() && args.out_dir.is_none() {
        return Err(UsageError::new(
            "`--resume` needs `--output FILE` or `--out-dir DIR` to find what is done",
            None,
        )
        .into());
    }
    let stdin_jsonl = args.input_format == InputFormat::Jsonl;
    if stdin_jsonl && args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err(UsageError::new(
            "`--input-format jsonl` reads requests from `-` (standard input) only",
            Some("for a JSONL file, use `--input FILE.jsonl`".into()),
        )
        .into());
    }
    let source = match (&args.input, args.paths.is_empty()) {
        (Some(path), _) => Source::Jsonl(path.clone()),
        (None, false) if stdin_jsonl => Source::Jsonl(PathBuf::from("-")),
        (None, false) => Source::Paths(args.paths.clone()),
        (None, true) => {
            return Err(UsageError::new(
                "nothing to do: give files or directories, `-` for a list on stdin, or `--input FILE.jsonl`",
                Some("example: `qwen batch docs/ --prompt 'Summarise {name}' -o out.jsonl`".into()),
            )
            .into());
        }
    };
    let spec = OutputSpec {
        output: args.output.as_deref(),
        out_dir: args.out_dir.as_deref(),
        resume: args.resume,
        force: args.force,
        ordered: args.ordered,
    };
    let walk = WalkOptions {
        hidden: args.hidden,
        no_ignore: args.no_ignore,
        max_depth: args.max_depth,
        globs: args.globs.clone(),
        exclude: journal::own_outputs(&spec, &read_paths(&args), &args.paths, &args.ext)?,
        exclude_files: journal::own_files(&spec).1,
    };
    let template = Template::new(input::text_or_file(
        args.prompt.as_deref(),
        args.prompt_file.as_deref(),
        false,
        settings.max_input,
    )?);
    let system = input::text_or_file(
        args.system.as_deref(),
        args.system_file.as_deref(),
        false,
        settings.max_input,
    )?
    .or_else(|| settings.system.clone());
    let (mut params, schema) =
        crate::validate::params_and_schema(settings, &args.params.as_params())?;
    if args.search.apply(&mut params) && args.remote.remote {
        return Err(UsageError::new(
            "`--sources` cannot go through the Batch API, which speaks only the compat protocol",
            Some(
                "drop `--remote`: a local batch sends `--sources` over the native protocol".into(),
            ),
        )
        .into());
    }
    let mut cache_mode = args.prompt_cache.mode(settings.cache_prompt);
    if args.remote.remote && cache_mode != crate::config::CachePrompt::Off {
        // research-wire.md §4: "Batch (file input) is not eligible for cache discounts".
        if !settings.quiet && (cache_mode == crate::config::CachePrompt::On || settings.verbose) {
            crate::term::note(
                "note",
                "prompt cache: the Batch API gives no cache discount; sent without markers",
            );
        }
        cache_mode = crate::config::CachePrompt::Off;
    }
    let defaults = Defaults {
        model: settings.model.clone(),
        system,
        params,
        stream: !args.params.no_stream,
        // The template and the system prompt are what every item shares: a batch reuses
        // its prefix, so `auto` counts it as reused.
        prompt_cache: crate::prompt_cache::Ask {
            mode: cache_mode,
            reused: true,
            min_tokens: settings.cache_min_tokens,
        },
    };
    let options = ItemOptions {
        max_bytes: parse_size(&args.max_bytes)
            .map_err(|e| UsageError::new(format!("invalid `--max-bytes`: {e}"), None))?,
        truncate: args.truncate,
        lossy: args.lossy,
        retry: RetryPolicy {
            retries: settings.retries_set.unwrap_or(5),
            ..settings.retry
        },
        first_token_timeout: settings.turn_first_token_timeout(),
        idle_timeout: settings.idle_timeout,
        media: item_media(settings, &args)?,
    };

    let drain_timeout = parse_duration(&args.drain_timeout)
        .map_err(|e| UsageError::new(format!("invalid `--drain-timeout`: {e}"), None))?;
    let (items, listing) = inputs::spawn(source, walk)?;
    let items = items.take(args.max_items.unwrap_or(usize::MAX));
    let recipe = Recipe {
        defaults,
        template,
        options,
        schema,
    };
    let remote = args.remote.remote.then(|| remote_options(&args));

    if args.dry_run {
        let done = journal::read_state(&spec)?.done;
        return batch::dry_run::run(settings, &recipe, remote.as_ref(), items, &done).await;
    }

    if let Some(remote) = &remote {
        // A window the Batch API would refuse stops the run before any output is created.
        job::completion_window(remote)?;
    }
    let opened = journal::open(&spec)?;
    let output = output_options(&args);
    if let Some(remote) = &remote {
        return job::run(settings, &recipe, items, opened, output, remote).await;
    }
    let local = LocalOptions {
        concurrency: args.concurrency,
        rpm: args.rpm,
        tpm: args.tpm,
        max_cost: args.max_cost,
        max_items: args.max_items,
        drain_timeout,
    };
    batch::local::run(settings, &recipe, items, &listing, opened, output, &local).await
}

/// `--attach` for every item, checked against `-m` before anything is read or sent.
fn item_media(settings: &Settings, args: &BatchArgs) -> anyhow::Result<ItemMedia> {
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-")
        || args.input.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if args.attach.reads_stdin() && reads_stdin {
        return Err(UsageError::new(
            "standard input cannot be both the list of inputs and an attachment (`--attach -`)",
            None,
        )
        .into());
    }
    let attached = crate::attach::load(
        &args.attach.attach,
        &args.attach.frames,
        settings.max_input,
        false,
    )?;
    if let Some((path, _)) = attached.texts.first() {
        return Err(UsageError::new(
            format!("`{path}` is text: `qwen batch --attach` takes images, video and audio"),
            Some("put text for every item in the prompt template (`--prompt-file`)".into()),
        )
        .into());
    }
    if settings.model_given && !attached.parts.is_empty() {
        crate::attach::choose_model(settings, &settings.model, true, &attached.parts)?;
    }
    Ok(ItemMedia {
        settings: std::sync::Arc::new(settings.clone()),
        parts: attached.parts,
        high_resolution: args.attach.high_resolution,
    })
}

/// The output options of a `qwen batch` command line.
fn output_options(args: &BatchArgs) -> OutputOptions {
    OutputOptions {
        output: args.output.clone(),
        ordered: args.ordered,
        out_dir: args.out_dir.clone(),
        ext: args.ext.clone(),
        fail_fast: args.fail_fast,
        remote: args.remote.remote,
    }
}

/// The remote options of a `qwen batch --remote` command line.
fn remote_options(args: &BatchArgs) -> RemoteOptions {
    let remote = &args.remote;
    RemoteOptions {
        window: remote.window.clone(),
        detach: remote.detach,
        poll_interval: remote.poll_interval.clone(),
        max_file_lines: remote.max_file_lines,
        max_file_bytes: remote.max_file_bytes.clone(),
        max_line_bytes: remote.max_line_bytes.clone(),
        resume: args.resume,
    }
}
