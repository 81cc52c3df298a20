//! `qwen batch`: many items through the engine, one JSONL line per item, a summary at the end.

use std::path::PathBuf;

use futures_util::StreamExt;

use crate::api::retry::RetryPolicy;
use crate::batch::inputs::{self, Source, Template, WalkOptions};
use crate::batch::item::{Defaults, ItemOptions};
use crate::batch::journal::{self, OutputSpec};
use crate::batch::local::LocalOptions;
use crate::batch::remote::job::{self, RemoteOptions};
use crate::batch::results::OutputOptions;
use crate::batch::{self, Recipe};
use crate::cli::{BatchArgs, InputFormat};
use crate::config::Settings;
use crate::exit::{Exit, UsageError};
use crate::input;
use crate::output::Format;
use crate::units::{parse_duration, parse_size};

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
        return super::batch_remote::action(settings, action).await;
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
    let (params, schema) = crate::validate::params_and_schema(settings, &args.params.as_params())?;
    let defaults = Defaults {
        model: settings.model.clone(),
        system,
        params,
        stream: !args.params.no_stream,
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
