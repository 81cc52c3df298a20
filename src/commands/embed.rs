//! `qwen embed`: the texts read from the arguments, standard input and files, embedded by
//! `crate::embed`.

use std::path::PathBuf;

use clap::Args;

use crate::args::{Typed, TypedOnly};
use crate::config::Settings;
use crate::embed::{self, EmbedOptions, Text};
use crate::exit::{Exit, UsageError};
use crate::input;
use crate::output::Format;

/// Arguments of `qwen embed`.
#[derive(Debug, Clone, Default, Args)]
pub struct EmbedArgs {
    /// Texts to embed, one per argument
    #[arg(value_name = "TEXT")]
    pub texts: Vec<String>,

    /// Embed a file's whole contents as one text (repeatable)
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Never read standard input (otherwise, when it is not a terminal, each line is a text)
    #[arg(long)]
    pub no_stdin: bool,

    /// Embedding model [default: text-embedding-v4]
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<String>,

    /// Vector size, where the model offers a choice (v3: 64 to 1024; v4: up to 2048)
    #[arg(long, value_name = "N")]
    pub dimensions: Option<u32>,

    /// Leave each text out of its output line
    #[arg(long)]
    pub no_text: bool,

    /// Requests in flight at most
    #[arg(short = 'j', long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,

    /// Accept non-UTF-8 input, replacing invalid bytes with U+FFFD
    #[arg(long)]
    pub lossy: bool,
}

/// `qwen embed` arguments, with a `--model` that only the command line sets.
///
/// `--model` shares its id with the global option, so clap also fills it from `QWEN_MODEL`
/// (and a chat model chosen in the environment is no embedding model); that value is dropped.
pub type EmbedCommand = Typed<EmbedArgs>;

impl TypedOnly for EmbedArgs {
    fn drop_env(&mut self, from_env: &dyn Fn(&str) -> bool) {
        if from_env("model") {
            self.model = None;
        }
    }
}

/// Runs `qwen embed`.
pub async fn run(settings: &Settings, args: EmbedArgs) -> anyhow::Result<Exit> {
    if settings.format_flag == Some(Format::Text) {
        return Err(UsageError::new(
            "`--format text` cannot show vectors",
            Some("embeddings are written as jsonl (the default) or json".into()),
        )
        .into());
    }
    let model = args
        .model
        .clone()
        .unwrap_or_else(|| embed::DEFAULT_MODEL.into());
    let texts = read_texts(&args, settings).await?;
    let options = EmbedOptions {
        model,
        dimensions: args.dimensions,
        with_text: !args.no_text,
        concurrency: args.concurrency,
    };
    embed::run(settings, &texts, &options).await
}

/// Reads the texts: arguments (a `-` stands for the standard input lines), standard input
/// lines (blank ones skipped), then whole files.
async fn read_texts(args: &EmbedArgs, settings: &Settings) -> anyhow::Result<Vec<Text>> {
    let limit = settings.max_input;
    let stdin = if input::wants_stdin(&args.texts, args.no_stdin)? {
        let bytes = input::read_stdin(settings.quiet, limit, args.lossy).await?;
        Some(input::decode(bytes, "standard input", args.lossy)?)
    } else {
        None
    };
    let stdin_lines = |out: &mut Vec<Text>, text: &str| {
        for (n, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                out.push(Text {
                    id: format!("line {}", n + 1),
                    text: line.to_owned(),
                });
            }
        }
    };
    let mut texts = Vec::new();
    let mut stdin_placed = false;
    for (n, arg) in args.texts.iter().enumerate() {
        if arg == "-" {
            if let (Some(text), false) = (&stdin, stdin_placed) {
                stdin_lines(&mut texts, text);
            }
            stdin_placed = true;
        } else {
            texts.push(Text {
                id: format!("arg {}", n + 1),
                text: arg.clone(),
            });
        }
    }
    if let (Some(text), false) = (&stdin, stdin_placed) {
        stdin_lines(&mut texts, text);
    }
    for path in &args.files {
        texts.push(Text {
            id: path.display().to_string(),
            text: input::read_text_file(path, args.lossy, limit)?,
        });
    }
    if let Some(empty) = texts.iter().find(|t| t.text.trim().is_empty()) {
        return Err(UsageError::new(
            format!("`{}` is empty, and the API rejects empty texts", empty.id),
            None,
        )
        .into());
    }
    if texts.is_empty() {
        return Err(UsageError::new(
            "nothing to embed: give TEXT arguments, pipe lines to standard input, or pass `--file`",
            Some("example: `printf 'first\\nsecond\\n' | qwen embed`".into()),
        )
        .into());
    }
    Ok(texts)
}
