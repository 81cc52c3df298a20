//! Which `--format` values each command accepts: its help lists only those, and any other
//! value is exit 2 naming them, before anything runs (never a failed check later).
//!
//! `--format` is one global option; each command gets its own copy of it here (clap does not
//! propagate a global option to a command that has one with the same id), whose values are
//! the command's, and whose value still lands in [`super::GlobalArgs::format`].

use clap::builder::PossibleValuesParser;
use clap::builder::TypedValueParser as _;
use clap::{Arg, ValueEnum};

use crate::args::FormatArg;
use crate::exit::UsageError;

use FormatArg::{Csv, Json, Jsonl, Prometheus, Table, Text};

const REPLIES: &[FormatArg] = &[Text, Jsonl, Json];
const REPORTS: &[FormatArg] = &[Table, Text, Json, Jsonl, Csv, Prometheus];

/// The values `qwen PATH… --format` accepts (an empty list: none).
pub fn accepted(path: &[&str]) -> &'static [FormatArg] {
    match path {
        ["chat"] | ["complete"] | ["models" | "doctor", ..] | ["tools", ..] => REPLIES,
        ["batch"] => &[Jsonl],
        ["batch", _] => REPLIES,
        ["embed"] => &[Jsonl, Json],
        ["rerank"] => &[Jsonl, Json],
        ["usage"] => REPORTS,
        ["usage", "log"] => &[Table, Text, Json, Jsonl, Csv],
        ["cache", ..] => &[Text, Table, Json, Jsonl],
        ["files", "list"] => REPLIES,
        ["sessions", "list" | "show" | "export"] => REPLIES,
        _ => &[],
    }
}

/// Gives every command below `cmd` (at `path`) a `--format` with only its values; with
/// `named`, only the commands whose names are among those words (the rest are never
/// reached by that command line, so parsing it need not pay for them).
pub fn restrict(
    mut cmd: clap::Command,
    path: &mut Vec<String>,
    named: Option<&[std::ffi::OsString]>,
) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .filter(|name| named.is_none_or(|words| words.iter().any(|w| w == name.as_str())))
        .collect();
    for name in names {
        path.push(name.clone());
        cmd = cmd.mut_subcommand(&name, |sub| {
            let sub = restrict(sub, path, named);
            let words: Vec<&str> = path.iter().map(String::as_str).collect();
            let values = accepted(&words);
            if name == "help" {
                return sub;
            }
            if values.is_empty() {
                // Kept out of its help; any value is refused by [`check`].
                let any = clap::builder::EnumValueParser::<FormatArg>::new();
                return sub.arg(
                    Arg::new("format")
                        .long("format")
                        .hide(true)
                        .value_parser(any),
                );
            }
            sub.arg(format_arg(values))
        });
        path.pop();
    }
    cmd
}

fn format_arg(values: &'static [FormatArg]) -> Arg {
    let possible: Vec<clap::builder::PossibleValue> = values
        .iter()
        .filter_map(|v| v.to_possible_value())
        .collect();
    Arg::new("format")
        .long("format")
        .value_name("FORMAT")
        .help("Output format")
        .help_heading("Output")
        .value_parser(
            PossibleValuesParser::new(possible).try_map(|s: String| FormatArg::from_str(&s, true)),
        )
}

/// Refuses a `--format` the command at `path` cannot write (given before the command's name,
/// it was checked against every format).
pub fn check(path: &[&str], format: Option<FormatArg>) -> Result<(), UsageError> {
    let Some(format) = format else {
        return Ok(());
    };
    let values = accepted(path);
    if values.contains(&format) {
        return Ok(());
    }
    let command = format!("qwen {}", path.join(" "));
    let message = if values.is_empty() {
        format!("`{command}` takes no `--format`")
    } else {
        let names: Vec<String> = values.iter().map(|v| v.name()).collect();
        format!(
            "`{command}` cannot write `--format {}`: use {}",
            format.name(),
            names.join(", ")
        )
    };
    Err(UsageError::new(message, None))
}
