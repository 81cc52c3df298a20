//! MCP server definitions: `[[mcp]]` tables and `--mcp` flags checked into [`McpDef`]s,
//! server names derived from their commands, and the names the model calls MCP tools by.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use super::{
    DEFAULT_MAX_OUTPUT, MAX_NAME, check_env_name, check_name, max_output, resolve_argv, timeout,
};
use crate::config::McpConfig;
use crate::exit::ConfigError;
use crate::tools::absolute;

/// How long an MCP server may take to start or to answer one call.
pub const DEFAULT_MCP_TIMEOUT: Duration = Duration::from_secs(60);

/// A checked MCP server definition.
#[derive(Debug, Clone)]
pub struct McpDef {
    /// The tool-name prefix.
    pub name: String,
    /// The program (resolved) and its arguments.
    pub argv: Vec<String>,
    /// Environment variables passed through.
    pub env: Vec<String>,
    /// Its tools run without asking.
    pub allow: bool,
    /// Start and call timeout.
    pub timeout: Duration,
    /// Output cap per call.
    pub max_output: usize,
    /// Where it was defined, for messages.
    pub origin: String,
}

/// Returns the name the model calls an MCP tool by: `server__tool`, with the dots of the
/// tool's own name (MCP servers use dotted names, function names may not hold one) as `_`.
///
/// Two tools can map to one name (`a.b` and `a_b`); the toolbox skips the second with a
/// warning, and maps calls back through its table, never by splitting the name.
pub fn mcp_function(server: &str, remote: &str) -> String {
    format!("{server}__{}", remote.replace('.', "_"))
}

/// Checks an MCP tool's names: `remote`, its own name, may hold letters, digits, `_`, `-`
/// and `.`, and `function` (from [`mcp_function`]; the server's part passed [`check_name`])
/// must fit in [`MAX_NAME`] characters. A name the provider refuses would fail every
/// request, not just the call.
pub fn check_mcp_name(function: &str, remote: &str) -> Result<(), String> {
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if remote.is_empty() || !remote.chars().all(valid) {
        return Err(
            "its name must be letters, digits, `_`, `-` or `.`, as the model APIs require".into(),
        );
    }
    if function.len() > MAX_NAME {
        return Err(format!(
            "its name for the model, `{function}`, is {} characters long; the model APIs take {MAX_NAME} at most (a shorter server name helps: `--mcp 'NAME=COMMAND …'` or `name = …`)",
            function.len()
        ));
    }
    Ok(())
}

/// Checks an `[[mcp]]` table from `path` (config.toml or a tool file).
pub fn mcp_def(config: &McpConfig, path: &Path, index: usize) -> Result<McpDef, ConfigError> {
    let origin = path.display().to_string();
    let label = config
        .name
        .as_ref()
        .map_or_else(|| format!("#{}", index + 1), |n| format!("`{n}`"));
    let fail = |reason: String| {
        ConfigError(format!(
            "invalid MCP server {label} in `{origin}`: {reason}"
        ))
    };
    let base = absolute(path);
    let base = base.parent().unwrap_or(Path::new("/"));
    let argv = resolve_argv(config.command.clone(), base).map_err(fail)?;
    let name = match &config.name {
        Some(name) => name.clone(),
        None => derive_name(&argv),
    };
    check_name(&name).map_err(fail)?;
    for var in &config.env {
        check_env_name(var).map_err(fail)?;
    }
    let timeout_value = config.timeout.clone().map(Value::String);
    Ok(McpDef {
        name,
        argv,
        env: config.env.clone(),
        allow: config.allow,
        timeout: timeout(timeout_value.as_ref(), DEFAULT_MCP_TIMEOUT).map_err(fail)?,
        max_output: max_output(config.max_output_bytes.as_ref()).map_err(fail)?,
        origin,
    })
}

/// Parses `--mcp 'CMD ARGS…'` (or `--mcp 'NAME=CMD ARGS…'`), split like a shell would split
/// words, but never run by one.
pub fn mcp_from_arg(arg: &str) -> Result<McpDef, ConfigError> {
    let fail = |reason: &str| ConfigError(format!("invalid `--mcp {arg}`: {reason}"));
    let mut argv = shell_words::split(arg).map_err(|e| fail(&e.to_string()))?;
    let mut name = None;
    if let Some((prefix, program)) = argv.first().and_then(|w| w.split_once('='))
        && !prefix.is_empty()
        && !prefix.contains('/')
    {
        name = Some(prefix.to_owned());
        let program = program.to_owned();
        if program.is_empty() {
            argv.remove(0);
        } else {
            argv[0] = program;
        }
    }
    if argv.is_empty() {
        return Err(fail("no command"));
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let argv = resolve_argv(argv, &cwd).map_err(|e| fail(&e))?;
    let name = name.unwrap_or_else(|| derive_name(&argv));
    check_name(&name).map_err(|e| fail(&format!("{e}; name it with `--mcp 'NAME=CMD …'`")))?;
    Ok(McpDef {
        name,
        argv,
        env: Vec::new(),
        allow: false,
        timeout: DEFAULT_MCP_TIMEOUT,
        max_output: DEFAULT_MAX_OUTPUT,
        origin: format!("--mcp {arg}"),
    })
}

/// Derives a server name from its command: the script or package a launcher runs
/// (`npx -y @scope/server-fs` → `fs`, `python3 weather_mcp.py` → `weather`), else the
/// program's own name.
pub fn derive_name(argv: &[String]) -> String {
    const LAUNCHERS: &[&str] = &[
        "python", "python3", "node", "npx", "uvx", "uv", "deno", "bun", "bunx", "pipx", "docker",
        "podman", "ruby", "java", "sh", "bash", "env", "pnpm", "yarn", "npm",
    ];
    let stem = |word: &str| -> String {
        let base = word.rsplit('/').next().unwrap_or(word);
        let base = base
            .split('@')
            .next()
            .filter(|b| !b.is_empty())
            .unwrap_or(base);
        match base.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && ext.len() <= 4 => stem.to_owned(),
            _ => base.to_owned(),
        }
    };
    let program = stem(&argv[0]);
    let mut word = program.clone();
    if LAUNCHERS.contains(&program.as_str()) {
        let skip = ["run", "exec", "x", "dlx"];
        for arg in &argv[1..] {
            // Inline code (`python3 -c '…'`, `node -e '…'`) names nothing: keep the program.
            if ["-c", "-e", "--eval"].contains(&arg.as_str()) {
                break;
            }
            if !arg.starts_with('-') && !skip.contains(&arg.as_str()) {
                word = stem(arg);
                break;
            }
        }
    }
    let mut name = word.to_ascii_lowercase().replace([' ', '.'], "_");
    for prefix in ["mcp-server-", "mcp_server_", "server-", "mcp-", "mcp_"] {
        if let Some(rest) = name.strip_prefix(prefix).filter(|r| !r.is_empty()) {
            name = rest.to_owned();
        }
    }
    for suffix in [
        "-mcp-server",
        "_mcp_server",
        "-mcp",
        "_mcp",
        "-server",
        "_server",
    ] {
        if let Some(rest) = name.strip_suffix(suffix).filter(|r| !r.is_empty()) {
            name = rest.to_owned();
        }
    }
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() { "mcp".into() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcp_tool_names_must_suit_the_model_apis() {
        assert_eq!(mcp_function("fs", "read_file"), "fs__read_file");
        assert_eq!(mcp_function("gh", "issues.list-all"), "gh__issues_list-all");
        assert!(check_mcp_name("fs__read_file", "read_file").is_ok());
        assert!(check_mcp_name("gh__issues_list-all", "issues.list-all").is_ok());
        let remote = "x".repeat(MAX_NAME - 3);
        assert!(check_mcp_name(&mcp_function("s", &remote), &remote).is_ok());
        let remote = "x".repeat(MAX_NAME - 2);
        let e = check_mcp_name(&mcp_function("s", &remote), &remote).unwrap_err();
        assert!(e.contains("is 65 characters long"), "{e}");
        for bad in ["bad name", "", "tab\t", "é", "esc\x1b[2J", "a/b"] {
            let e = check_mcp_name(&mcp_function("s", bad), bad).unwrap_err();
            assert!(e.contains("letters, digits"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn server_names_are_derived_from_commands() {
        let name = |line: &str| derive_name(&shell_words::split(line).unwrap());
        assert_eq!(
            name("npx -y @modelcontextprotocol/server-filesystem /tmp"),
            "filesystem"
        );
        assert_eq!(name("uvx mcp-server-fetch"), "fetch");
        assert_eq!(name("python3 tests/fixtures/mcp_server.py"), "server");
        assert_eq!(name("/usr/local/bin/github-mcp-server stdio"), "github");
        assert_eq!(name("docker run -i --rm ghcr.io/acme/tickets"), "tickets");
        assert_eq!(name("./weather"), "weather");
        assert_eq!(name("python3 -m mcp_server_time"), "time");
        assert_eq!(name("python3 -c 'import x'"), "python3");
    }
}
