//! Checks of the fields `[[tool]]` and `[[mcp]]` tables share: names, argv commands (never a
//! shell string; relative programs from the file's directory), `env`, `timeout` and
//! `max_output_bytes`. Each returns the reason a value is wrong, for the caller to place.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::DEFAULT_MAX_OUTPUT;
use crate::units::{parse_duration, parse_size};

/// The longest function name OpenAI-style APIs take. Their rule is `^[a-zA-Z0-9_-]{1,64}$`,
/// and every name the model sees follows it (servers that enforce it refuse the request).
pub const MAX_NAME: usize = 64;

/// Tool and MCP server names follow OpenAI's function-name rule: letters, digits, `_` and
/// `-`. No dots: a dot is what joins a server's name to its tools' in the name people use
/// (`server.tool`), so the first one always ends the server's name.
pub(super) fn check_name(name: &str) -> Result<(), String> {
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if name.is_empty() || name.len() > MAX_NAME || !name.chars().all(valid) {
        return Err(format!(
            "the name `{name}` must be 1 to {MAX_NAME} letters, digits, `_` or `-`"
        ));
    }
    Ok(())
}

pub(super) fn check_env_name(var: &str) -> Result<(), String> {
    if var.is_empty() || var.contains('=') || var.contains('\0') {
        return Err(format!(
            "`env` lists variable names to pass through; `{var}` is not a name"
        ));
    }
    Ok(())
}

/// Checks an argv array and resolves a relative program path against `base`.
pub(super) fn command(raw: Option<Value>, base: &Path) -> Result<Vec<String>, String> {
    let items = match raw {
        None => return Err("missing `command` (an argv array, e.g. `[\"./weather.sh\"]`)".into()),
        Some(Value::String(line)) => {
            let suggestion = shell_words::split(&line)
                .map(|words| Value::from(words).to_string())
                .unwrap_or_else(|_| "[\"program\", \"arg\"]".into());
            return Err(format!(
                "`command` must be an argv array, never a shell string: write `command = {suggestion}`"
            ));
        }
        Some(Value::Array(items)) => items,
        Some(_) => return Err("`command` must be an array of strings".into()),
    };
    let argv: Vec<String> = items
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(s),
            _ => Err("`command` must be an array of strings".to_owned()),
        })
        .collect::<Result<_, _>>()?;
    resolve_argv(argv, base)
}

pub(super) fn resolve_argv(mut argv: Vec<String>, base: &Path) -> Result<Vec<String>, String> {
    let Some(program) = argv.first_mut() else {
        return Err("`command` is empty".into());
    };
    if program.is_empty() {
        return Err("`command` starts with an empty program name".into());
    }
    // `./x` and `dir/x` are relative to the file; a bare `x` is looked up in PATH.
    let path = Path::new(program.as_str());
    if path.is_relative() && program.contains('/') {
        *program = base.join(path).to_string_lossy().into_owned();
    } else if let Some(rest) = program.strip_prefix("~/")
        && let Ok(home) = etcetera::home_dir()
    {
        *program = home.join(rest).to_string_lossy().into_owned();
    }
    Ok(argv)
}

pub(super) fn timeout(raw: Option<&Value>, default: Duration) -> Result<Duration, String> {
    let value = match raw {
        None => return Ok(default),
        Some(Value::String(text)) => parse_duration(text).map_err(|e| format!("`timeout`: {e}"))?,
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64)
            .ok_or("`timeout` must be positive")?,
        Some(_) => return Err("`timeout` must be a duration such as \"10s\"".into()),
    };
    if value.is_zero() {
        return Err("`timeout` must be longer than zero".into());
    }
    Ok(value)
}

pub(super) fn max_output(raw: Option<&Value>) -> Result<usize, String> {
    let bytes = match raw {
        None => return Ok(DEFAULT_MAX_OUTPUT),
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or("`max_output_bytes` must be a positive whole number")?,
        Some(Value::String(text)) => {
            parse_size(text).map_err(|e| format!("`max_output_bytes`: {e}"))?
        }
        Some(_) => {
            return Err("`max_output_bytes` must be a number or a size such as \"64KiB\"".into());
        }
    };
    if bytes == 0 {
        return Err("`max_output_bytes` must be more than zero".into());
    }
    Ok(usize::try_from(bytes).unwrap_or(usize::MAX))
}
