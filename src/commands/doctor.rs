//! `qwen doctor`: checks the config, the key, the endpoint and the store, one line each.
//!
//! Every network check goes to the configured endpoint only: DNS for its host, a TCP
//! connection to its port, one unauthenticated `GET …/models` (TLS, latency, the `Date`
//! header for clock skew) and one 1-token call with the key. The key is never printed, not
//! even in part. The report is the command's data, so it goes to stdout; the exit status is
//! 1 when any check fails (warnings do not count).

mod probe;

use std::io::{self, Write};
use std::time::Duration;

use serde_json::{Map, Value, json};

use clap::Args;

use crate::config::{self, Overrides, Settings};
use crate::exit::Exit;
use crate::output::{Format, SCHEMA_VERSION};
use crate::store::Store;

/// Arguments of `qwen doctor`.
#[derive(Debug, Clone, Default, Args)]
pub struct DoctorArgs {
    /// Skip the 1-token test call (it is billed like any other call)
    #[arg(long)]
    pub no_call: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warn,
    Fail,
    Skip,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// The result of one check.
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
    hint: Option<String>,
    elapsed: Option<Duration>,
}

fn check(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
    Check {
        name,
        status,
        detail: detail.into(),
        hint: None,
        elapsed: None,
    }
}

impl Check {
    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn took(mut self, elapsed: Duration) -> Self {
        self.elapsed = Some(elapsed);
        self
    }
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// Runs `qwen doctor`; it resolves the settings itself, so that a broken config is a
/// failed check rather than the end of the report.
pub async fn run(global: &Overrides, args: &DoctorArgs) -> anyhow::Result<Exit> {
    let lookup = |name: &str| std::env::var(name).ok();
    let format = match global.format {
        Some(Ok(format)) => format,
        _ => Format::Text,
    };
    let mut checks = Vec::new();
    let mut warnings = Vec::new();
    let resolved = Settings::resolve(global, &lookup, &mut |w| warnings.push(w));
    let settings = match resolved {
        Ok(settings) => {
            checks.push(config_check(&settings, warnings));
            checks.push(profiles_check(global, &settings, &lookup));
            Some(settings)
        }
        Err(err) => {
            checks.push(check("config", Status::Fail, format!("{err:#}")));
            None
        }
    };
    match &settings {
        Some(settings) => {
            probe::network_checks(settings, args, &mut checks).await;
            checks.push(store_check(&settings.data_dir));
        }
        None => {
            // Every check still gets its line: the ones that need the settings say why they
            // did not run, and the store's place does not depend on the config file.
            let names = [
                "profiles", "endpoint", "key", "dns", "tcp", "http", "clock", "call",
            ];
            skip(&mut checks, &names, "the config does not resolve");
            checks.push(match config::data_dir(&lookup) {
                Ok(dir) => store_check(&dir),
                Err(err) => check("store", Status::Fail, format!("{err:#}")),
            });
        }
    }
    let mut out = io::stdout().lock();
    write_report(&mut out, format, &checks)?;
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    Ok(if failed { Exit::Failure } else { Exit::Success })
}

/// Adds a `skip` line for each of `names`, saying why it did not run.
fn skip(checks: &mut Vec<Check>, names: &[&'static str], reason: &str) {
    checks.extend(names.iter().map(|name| check(name, Status::Skip, reason)));
}

fn config_check(settings: &Settings, warnings: Vec<String>) -> Check {
    let path = settings.config_dir.join("config.toml");
    let mut detail = if path.exists() {
        format!("`{}`", path.display())
    } else {
        format!("no `{}`; defaults apply", path.display())
    };
    if let Some(profile) = &settings.profile {
        detail.push_str(&format!(", profile `{profile}`"));
    }
    if warnings.is_empty() {
        check("config", Status::Ok, detail)
    } else {
        check("config", Status::Warn, warnings.join("; "))
    }
}

/// Resolves every profile of the file, so a typo in one that is not in use shows up too.
fn profiles_check(
    global: &Overrides,
    settings: &Settings,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Check {
    let path = settings.config_dir.join("config.toml");
    let file = config::load_file(&path, &mut |_| {}).unwrap_or_default();
    let names: Vec<String> = file
        .profiles
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .collect();
    if names.is_empty() {
        return check("profiles", Status::Ok, "none defined");
    }
    let mut bad = Vec::new();
    for name in &names {
        let mut args = global.clone();
        args.profile = Some(name.clone());
        if let Err(err) = Settings::resolve(&args, lookup, &mut |_| {}) {
            bad.push(format!("`{name}`: {err:#}"));
        }
    }
    if bad.is_empty() {
        check("profiles", Status::Ok, names.join(", "))
    } else {
        check("profiles", Status::Fail, bad.join("; "))
    }
}

fn store_check(data_dir: &std::path::Path) -> Check {
    let path = Store::path(data_dir);
    if path.exists() {
        return match Store::open(data_dir) {
            Ok(store) => {
                let version = store
                    .schema_version()
                    .map(|v| format!(" (schema {v})"))
                    .unwrap_or_default();
                check(
                    "store",
                    Status::Ok,
                    format!("`{}`{version}", path.display()),
                )
            }
            Err(err) => check("store", Status::Fail, format!("{err:#}"))
                .hint("without a store, usage is not recorded and conversations cannot continue"),
        };
    }
    let dir = data_dir;
    let writable =
        std::fs::create_dir_all(dir).and_then(|()| tempfile::NamedTempFile::new_in(dir).map(drop));
    match writable {
        Ok(()) => check(
            "store",
            Status::Ok,
            format!("`{}` is writable (no store yet)", dir.display()),
        ),
        Err(err) => check(
            "store",
            Status::Fail,
            format!("`{}` is not writable: {err}", dir.display()),
        )
        .hint("set `QWEN_DATA_DIR` to a writable directory"),
    }
}

fn write_report(out: &mut impl Write, format: Format, checks: &[Check]) -> anyhow::Result<()> {
    let object = |c: &Check| {
        let mut map = Map::new();
        map.insert("name".into(), json!(c.name));
        map.insert("status".into(), json!(c.status.name()));
        map.insert("detail".into(), json!(c.detail));
        map.insert("hint".into(), json!(c.hint));
        map.insert("ms".into(), json!(c.elapsed.map(|d| d.as_millis() as u64)));
        map
    };
    match format {
        Format::Text => {
            for c in checks {
                writeln!(out, "{:<5} {:<9} {}", c.status.name(), c.name, c.detail)?;
                if let Some(hint) = &c.hint {
                    writeln!(out, "{:<15} hint: {hint}", "")?;
                }
            }
        }
        Format::Jsonl => {
            for c in checks {
                let mut map = object(c);
                map.insert("v".into(), json!(SCHEMA_VERSION));
                serde_json::to_writer(&mut *out, &Value::Object(map))?;
                writeln!(out)?;
            }
        }
        Format::Json => {
            let ok = !checks.iter().any(|c| c.status == Status::Fail);
            let list: Vec<Value> = checks.iter().map(|c| Value::Object(object(c))).collect();
            serde_json::to_writer(
                &mut *out,
                &json!({"v": SCHEMA_VERSION, "ok": ok, "checks": list}),
            )?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_report_lines() {
        let mut out = Vec::new();
        let checks = [
            check("key", Status::Ok, "from `DASHSCOPE_API_KEY`"),
            check("call", Status::Fail, "401 InvalidApiKey").hint("try --region cn"),
        ];
        write_report(&mut out, Format::Text, &checks).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ok    key       from `DASHSCOPE_API_KEY`\n\
             fail  call      401 InvalidApiKey\n                hint: try --region cn\n"
        );
    }
}
