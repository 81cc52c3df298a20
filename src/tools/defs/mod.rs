//! Tool files: `[[tool]]` and `[[mcp]]` tables, checked once, with errors that name the file
//! and the tool.
//!
//! Relative paths (`./weather.sh`, `cwd`) start from the directory of the file that names
//! them; a bare program name (`python3`) is looked up in `PATH`. Unknown keys are warnings,
//! so an older `qwen` still reads a newer file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

mod fields;
mod mcp;

pub use fields::MAX_NAME;
use fields::{check_env_name, check_name, command, max_output, resolve_argv, timeout};

pub use mcp::{
    DEFAULT_MCP_TIMEOUT, McpDef, check_mcp_name, derive_name, mcp_def, mcp_from_arg, mcp_function,
};

use super::exec::CommandSpec;
use super::{Kind, Tool, absolute, compile_schema};
use crate::config::McpConfig;
use crate::exit::ConfigError;

/// How long a tool may run when its definition does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How much output a tool may return when its definition does not say (about 8k tokens).
pub const DEFAULT_MAX_OUTPUT: usize = 32 * 1024;

/// The checked contents of one tool file.
pub struct ToolFile {
    /// Its `[[tool]]` tables.
    pub tools: Vec<Tool>,
    /// Its `[[mcp]]` tables.
    pub mcp: Vec<McpDef>,
}

#[derive(Debug, Default, Deserialize)]
struct FileRaw {
    #[serde(default)]
    tool: Vec<ToolRaw>,
    #[serde(default)]
    mcp: Vec<McpConfig>,
}

// Values that take several shapes are read as JSON values and checked by hand, so that the
// error can say what to write instead.
#[derive(Debug, Default, Deserialize)]
struct ToolRaw {
    name: Option<String>,
    description: Option<String>,
    parameters: Option<Value>,
    command: Option<Value>,
    cwd: Option<PathBuf>,
    timeout: Option<Value>,
    max_output_bytes: Option<Value>,
    #[serde(default)]
    env: Vec<String>,
    #[serde(default)]
    allow: bool,
}

/// Reads a tool file; a missing file is `None` unless `required`.
pub fn load_file(
    path: &Path,
    required: bool,
    warn: &mut dyn FnMut(String),
) -> anyhow::Result<Option<ToolFile>> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(err) => {
            return Err(ConfigError(format!(
                "failed to read tool file `{}`: {err}",
                path.display()
            ))
            .into());
        }
    };
    // Bounded like the config file: a tool file is a few KiB, never `/dev/zero`.
    let what = format!("tool file `{}`", path.display());
    let limit = crate::config::MAX_CONFIG_BYTES;
    let bytes = crate::input::read_bounded(&mut file, &what, limit, false, &mut || {})
        .map_err(|e| ConfigError(e.message))?;
    let text =
        String::from_utf8(bytes).map_err(|_| ConfigError(format!("{what} is not UTF-8 text")))?;
    Ok(Some(parse_file(&text, path, warn)?))
}

/// Parses and checks the text of a tool file.
pub fn parse_file(
    text: &str,
    path: &Path,
    warn: &mut dyn FnMut(String),
) -> Result<ToolFile, ConfigError> {
    let shown = path.display();
    let locate = |err: toml::de::Error| {
        let at = err.span().map(|span| {
            let before = &text[..span.start.min(text.len())];
            format!("line {}: ", before.matches('\n').count() + 1)
        });
        ConfigError(format!(
            "invalid tool file `{shown}`: {}{}",
            at.unwrap_or_default(),
            err.message().trim().replace('\n', " ")
        ))
    };
    let de = toml::de::Deserializer::parse(text).map_err(locate)?;
    let mut unknown = Vec::new();
    let raw: FileRaw =
        serde_ignored::deserialize(de, |p| unknown.push(segments(&p))).map_err(locate)?;
    for key in unknown {
        let what = match key.as_slice() {
            [Seg::Key(table), Seg::Index(i), rest @ ..] if table == "tool" || table == "mcp" => {
                let name = match table.as_str() {
                    "tool" => raw.tool.get(*i).and_then(|t| t.name.clone()),
                    _ => raw.mcp.get(*i).and_then(|m| m.name.clone()),
                };
                let label = name.map_or_else(|| format!("#{}", i + 1), |n| format!("`{n}`"));
                format!("key `{}` of {table} {label}", join(rest))
            }
            _ => format!("key `{}`", join(&key)),
        };
        warn(format!("unknown {what} in `{shown}` (ignored)"));
    }

    let base = absolute(path);
    let base = base.parent().unwrap_or(Path::new("/"));
    let mut tools = Vec::new();
    for (i, raw) in raw.tool.into_iter().enumerate() {
        let label = raw
            .name
            .as_ref()
            .map_or_else(|| format!("#{}", i + 1), |n| format!("`{n}`"));
        let tool = check_tool(raw, base, &shown.to_string(), warn).map_err(|reason| {
            ConfigError(format!("invalid tool {label} in `{shown}`: {reason}"))
        })?;
        if tools.iter().any(|t: &Tool| t.name == tool.name) {
            return Err(ConfigError(format!(
                "duplicate tool `{}` in `{shown}` (defined twice)",
                tool.name
            )));
        }
        tools.push(tool);
    }
    let mut mcp = Vec::new();
    for (i, config) in raw.mcp.iter().enumerate() {
        mcp.push(mcp_def(config, path, i)?);
    }
    Ok(ToolFile { tools, mcp })
}

fn check_tool(
    raw: ToolRaw,
    base: &Path,
    file: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Tool, String> {
    let name = raw.name.ok_or("missing `name`")?;
    check_name(&name)?;
    if name == "search" {
        warn(format!(
            "DashScope rejects a function named `search` (tool in `{file}`); rename it"
        ));
    }
    let parameters = match raw.parameters {
        None => json!({"type": "object", "properties": {}}),
        Some(Value::String(text)) => serde_json::from_str(&text)
            .map_err(|e| format!("`parameters` is not valid JSON ({e})"))?,
        Some(value @ Value::Object(_)) => value,
        Some(_) => return Err("`parameters` must be a table or a JSON string".into()),
    };
    let validator = compile_schema(&parameters)?;
    let argv = command(raw.command, base)?;
    for var in &raw.env {
        check_env_name(var)?;
    }
    Ok(Tool {
        function: name.clone(),
        name,
        description: raw.description.unwrap_or_default(),
        parameters,
        allow: raw.allow,
        source: file.to_owned(),
        kind: Kind::Command(CommandSpec {
            argv,
            cwd: raw.cwd.map(|c| base.join(c)),
            env: raw.env,
            timeout: timeout(raw.timeout.as_ref(), DEFAULT_TIMEOUT)?,
            max_output: max_output(raw.max_output_bytes.as_ref())?,
        }),
        task_support: None,
        validator,
    })
}

/// One step of a serde_ignored path.
#[derive(Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &serde_ignored::Path<'_>) -> Vec<Seg> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Map { parent, key } => {
            let mut v = segments(parent);
            v.push(Seg::Key(key.clone()));
            v
        }
        Path::Seq { parent, index } => {
            let mut v = segments(parent);
            v.push(Seg::Index(*index));
            v
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => segments(parent),
    }
}

fn join(segs: &[Seg]) -> String {
    let mut out = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Result<ToolFile, ConfigError>, Vec<String>) {
        let mut warnings = Vec::new();
        let r = parse_file(text, Path::new("/defs/tools.toml"), &mut |w| {
            warnings.push(w)
        });
        (r, warnings)
    }

    fn err(text: &str) -> String {
        match parse(text).0 {
            Ok(_) => panic!("expected an error for {text}"),
            Err(e) => e.0,
        }
    }

    const WEATHER: &str = r#"
[[tool]]
name = "get_weather"
description = "Get the current weather for a city"
command = ["./scripts/weather.sh", "--json"]
parameters = { type = "object", properties = { city = { type = "string" } }, required = ["city"] }
timeout = "10s"
allow = true
"#;

    #[test]
    fn the_readme_example_parses() {
        let (file, warnings) = parse(WEATHER);
        let file = file.unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let tool = &file.tools[0];
        assert_eq!(tool.name, "get_weather");
        assert!(tool.allow);
        assert_eq!(tool.parameters["required"][0], "city");
        let Kind::Command(spec) = &tool.kind else {
            panic!("a command tool")
        };
        assert_eq!(spec.argv, ["/defs/./scripts/weather.sh", "--json"]);
        assert_eq!(spec.timeout, Duration::from_secs(10));
        assert_eq!(spec.max_output, DEFAULT_MAX_OUTPUT);
        assert!(spec.env.is_empty());
    }

    #[test]
    fn parameters_as_json_text_and_defaults() {
        let (file, _) = parse(
            r#"
[[tool]]
name = "now"
command = ["date"]
parameters = '{"type": "object", "properties": {"tz": {"type": "string"}}}'
cwd = "work"
max_output_bytes = "1KiB"
env = ["TZ"]
[[tool]]
name = "noargs"
command = ["/bin/true"]
timeout = 2
"#,
        );
        let file = file.unwrap();
        assert_eq!(
            file.tools[0].parameters["properties"]["tz"]["type"],
            "string"
        );
        let Kind::Command(spec) = &file.tools[0].kind else {
            panic!()
        };
        assert_eq!(spec.argv, ["date"], "a bare name is looked up in PATH");
        assert_eq!(spec.cwd.as_deref(), Some(Path::new("/defs/work")));
        assert_eq!(spec.max_output, 1024);
        assert!(!file.tools[0].allow, "tools are not allowed by default");
        assert_eq!(file.tools[1].parameters["type"], "object");
        let Kind::Command(spec) = &file.tools[1].kind else {
            panic!()
        };
        assert_eq!(spec.timeout, Duration::from_secs(2));
    }

    #[test]
    fn invalid_definitions_name_the_file_and_the_tool() {
        let e = err("[[tool]]\nname = \"x\"\nparameters = {type = \"object\"}\n");
        assert!(
            e.contains("tool `x`")
                && e.contains("/defs/tools.toml")
                && e.contains("missing `command`"),
            "{e}"
        );
        let e = err("[[tool]]\nname = \"x\"\ncommand = \"./run.sh --fast\"\n");
        assert!(e.contains(r#"command = ["./run.sh","--fast"]"#), "{e}");
        let e = err("[[tool]]\nname = \"x\"\ncommand = []\n");
        assert!(e.contains("empty"), "{e}");
        let e = err(
            "[[tool]]\nname = \"x\"\ncommand = [\"a\"]\nparameters = { type = \"object\", properties = { a = { type = \"strin\" } } }\n",
        );
        assert!(e.contains("tool `x`") && e.contains("schema"), "{e}");
        let e = err("[[tool]]\nname = \"x\"\ncommand = [\"a\"]\nparameters = '{not json'\n");
        assert!(e.contains("not valid JSON"), "{e}");
        let e =
            err("[[tool]]\nname = \"x\"\ncommand = [\"a\"]\nparameters = { type = \"string\" }\n");
        assert!(e.contains("`type = \"object\"`"), "{e}");
        let e = err("[[tool]]\ncommand = [\"a\"]\n");
        assert!(e.contains("tool #1") && e.contains("missing `name`"), "{e}");
        // Tool names are function names as the model APIs take them: no dots, no spaces,
        // 64 characters at most.
        let long = "n".repeat(MAX_NAME + 1);
        for bad in ["a b", "a.b", "", long.as_str()] {
            let e = err(&format!("[[tool]]\nname = \"{bad}\"\ncommand = [\"a\"]\n"));
            assert!(e.contains("letters"), "{e}");
        }
        let e = err(
            "[[tool]]\nname = \"a\"\ncommand = [\"a\"]\n[[tool]]\nname = \"a\"\ncommand = [\"b\"]\n",
        );
        assert!(e.contains("duplicate tool `a`"), "{e}");
        let e = err("[[tool]]\nname = \"a\"\ncommand = [\"a\"]\ntimeout = \"soon\"\n");
        assert!(e.contains("`timeout`"), "{e}");
        let e = err("[[tool]]\nname = \"a\"\ncommand = [\"a\"]\nallow = \"yes\"\n");
        assert!(e.contains("line 4"), "{e}");
        let e = err("[[tool]]\nname = \"a\"\ncommand = [\"a\"]\nenv = [\"A=1\"]\n");
        assert!(e.contains("not a name"), "{e}");
    }

    #[test]
    fn unknown_keys_are_warnings_naming_the_tool() {
        let (file, warnings) = parse(
            "colour = 1\n[[tool]]\nname = \"a\"\ncommand = [\"a\"]\nalow = true\n[[mcp]]\ncommand = [\"srv\"]\nargs = []\n",
        );
        assert!(file.is_ok());
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        for expected in [
            "key `colour` in",
            "key `alow` of tool `a`",
            "key `args` of mcp #1",
        ] {
            assert!(
                warnings.iter().any(|w| w.contains(expected)),
                "{warnings:?}"
            );
        }
    }

    #[test]
    fn mcp_tables_and_flags() {
        let (file, _) = parse(
            "[[mcp]]\nname = \"fs\"\ncommand = [\"./srv.py\", \"--root\", \"/\"]\nenv = [\"HOME\"]\nallow = true\ntimeout = \"5s\"\n",
        );
        let m = &file.unwrap().mcp[0];
        assert_eq!(m.name, "fs");
        assert_eq!(m.argv[0], "/defs/./srv.py");
        assert_eq!((m.allow, m.timeout), (true, Duration::from_secs(5)));
        let m = mcp_from_arg("python3 'my dir/weather_mcp.py' --verbose").unwrap();
        assert_eq!(m.argv, ["python3", "my dir/weather_mcp.py", "--verbose"]);
        assert_eq!(m.name, "weather");
        let m = mcp_from_arg("files=npx -y @modelcontextprotocol/server-filesystem /tmp").unwrap();
        assert_eq!((m.name.as_str(), m.argv[0].as_str()), ("files", "npx"));
        assert!(mcp_from_arg("").is_err());
        assert!(mcp_from_arg("python3 'unclosed").is_err());
    }
}
