//! Whether a tool call may run: its definition, `--allow`, `--allow-all`, or the person at
//! the terminal, who is asked (yes / no / always) when nothing else allowed it.
//!
//! "A person at the terminal" means stderr is a terminal and the controlling terminal
//! (`/dev/tty`) can be opened to read the answer from. Standard input does not matter: it
//! may well carry the prompt (`echo … | qwen tools run`). Without a controlling terminal (CI,
//! a service, `setsid`) nobody can answer, and a call that is not allowed is refused. There
//! is no switch to pretend otherwise: tests answer through a pseudo-terminal.
//!
//! The question shows the arguments the tool will receive: parsed (a repeated key was
//! refused before), pretty, every key once, with the middle of long values elided (and the
//! elision said; `v` shows them whole) and control characters escaped.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead as _, IsTerminal as _, Write as _};

use serde_json::{Map, Value};

use super::audit::Permission;
use crate::term::{note, printable};
use crate::tools::{Kind, Tool, Toolbox};

/// The controlling terminal, where answers are read from.
const TTY: &str = "/dev/tty";

/// Decides whether a tool may run: its definition, the flags, or the person at the terminal.
pub struct Gate {
    allow_all: bool,
    /// Tools allowed by `--allow`, by their people's names.
    allowed: HashSet<String>,
    /// MCP servers allowed by `--allow SERVER.*`.
    allowed_servers: HashSet<String>,
    /// Answered "always" during this run.
    always: HashSet<String>,
    asker: Asker,
    refusal_hint_shown: bool,
    quiet: bool,
}

/// Where confirmation questions are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asker {
    /// The controlling terminal (`/dev/tty`).
    Terminal,
    /// Nobody: tools that are not allowed are refused.
    Nobody,
}

impl Asker {
    /// Picks who answers: a person, if stderr is a terminal (they can see the question) and
    /// the controlling terminal opens (they can answer it); nobody otherwise.
    fn pick(stderr_is_terminal: bool, tty_opens: impl FnOnce() -> bool) -> Self {
        if stderr_is_terminal && tty_opens() {
            Asker::Terminal
        } else {
            Asker::Nobody
        }
    }
}

enum Answer {
    Yes,
    Always,
    /// Show the arguments whole (offered when some were elided).
    View,
    No,
}

/// A string longer than this many bytes is shown elided in the question.
const LONG_VALUE: usize = 200;

/// How many characters of a long string are shown at each end.
const KEEP: usize = 80;

/// An array longer than this is shown with its middle elided.
const LONG_ARRAY: usize = 20;

/// How many items of a long array are shown at each end.
const KEEP_ITEMS: usize = 8;

impl Gate {
    /// Reads the flags (warning about `--allow` names that match no tool) and finds out
    /// whether anybody can be asked.
    ///
    /// `--allow` takes either name of a tool (`server.tool` or `server__tool`), and
    /// `SERVER.*` (or `SERVER__*`) for every tool of an MCP server.
    pub fn new(allow: &[String], allow_all: bool, quiet: bool, toolbox: &Toolbox) -> Self {
        let mut allowed = HashSet::new();
        let mut allowed_servers = HashSet::new();
        for name in allow {
            let known = match name.strip_suffix(".*").or_else(|| name.strip_suffix("__*")) {
                Some(server) => {
                    allowed_servers.insert(server.to_owned());
                    toolbox
                        .tools()
                        .iter()
                        .any(|t| mcp_server(t) == Some(server))
                }
                None => match toolbox.get(name) {
                    Some(tool) => {
                        allowed.insert(tool.name.clone());
                        true
                    }
                    None => false,
                },
            };
            if !known && !quiet {
                note(
                    "warning",
                    &format!("`--allow {}` matches no tool", printable(name)),
                );
            }
        }
        let asker = Asker::pick(io::stderr().is_terminal(), || File::open(TTY).is_ok());
        Self {
            allow_all,
            allowed,
            allowed_servers,
            always: HashSet::new(),
            asker,
            refusal_hint_shown: false,
            quiet,
        }
    }

    fn granted(&self, tool: &Tool) -> Option<Permission> {
        let by_server = mcp_server(tool).is_some_and(|s| self.allowed_servers.contains(s));
        if tool.allow {
            Some(Permission::Definition)
        } else if self.allowed.contains(&tool.name) || by_server {
            Some(Permission::Flag)
        } else if self.allow_all {
            Some(Permission::AllowAll)
        } else if self.always.contains(&tool.name) {
            Some(Permission::Confirmed)
        } else {
            None
        }
    }

    /// Returns how the call came to be allowed, or `None` when it is refused; `arguments`
    /// are the checked ones the tool will receive.
    pub async fn decide(&mut self, tool: &Tool, arguments: &Value) -> Option<Permission> {
        if let Some(permission) = self.granted(tool) {
            return Some(permission);
        }
        if self.asker == Asker::Nobody {
            if !self.refusal_hint_shown && !self.quiet {
                self.refusal_hint_shown = true;
                note(
                    "warning",
                    &format!(
                        "refused `{}`: it is not allowed and there is no terminal to ask\n\nhint: allow it with `--allow {}`, `--allow-all`, or `allow = true` in its definition",
                        tool.name, tool.name
                    ),
                );
            }
            return None;
        }
        let (shown, elided) = show(arguments, true);
        let mut question = question(tool, &shown, elided);
        loop {
            match ask(question).await {
                Answer::Yes => return Some(Permission::Confirmed),
                Answer::Always => {
                    self.always.insert(tool.name.clone());
                    return Some(Permission::Confirmed);
                }
                Answer::View if elided => {
                    question = self::question(tool, &show(arguments, false).0, false)
                }
                Answer::View | Answer::No => return None,
            }
        }
    }
}

/// The server's name of an MCP tool (the part of `server.tool` before the first dot, which
/// a server's name never holds).
fn mcp_server(tool: &Tool) -> Option<&str> {
    match tool.kind {
        Kind::Mcp { .. } => tool.name.split_once('.').map(|(server, _)| server),
        Kind::Command(_) => None,
    }
}

/// The question for a call with arguments `shown` ([`show`]); `elided` offers `[v]iew all`.
fn question(tool: &Tool, shown: &str, elided: bool) -> String {
    let name = printable(&tool.name);
    let view = if elided { "[v]iew all / " } else { "" };
    if shown == "{}" {
        format!("qwen: run tool `{name}` with no arguments? [y]es / [n]o / {view}[a]lways: ")
    } else {
        let mut text = format!("qwen: run tool `{name}` with these arguments?\n");
        for line in shown.lines() {
            let _ = writeln!(text, "  {line}");
        }
        let _ = write!(text, "[y]es / [n]o / {view}[a]lways: ");
        text
    }
}

/// Shows arguments as the tool receives them: pretty JSON, every key once, control
/// characters escaped; with `elide`, long strings and arrays lose their middle, replaced by
/// `… [N bytes elided] …` (or `items`). Returns the text and whether anything was elided.
fn show(arguments: &Value, elide: bool) -> (String, bool) {
    let mut elided = false;
    let value = if elide {
        shorten(arguments, &mut elided)
    } else {
        arguments.clone()
    };
    let pretty = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    // JSON escapes C0 controls already; this catches DEL, C1 and bidirectional controls.
    let lines: Vec<_> = pretty.lines().map(printable).collect();
    (lines.join("\n"), elided)
}

fn shorten(value: &Value, elided: &mut bool) -> Value {
    match value {
        Value::String(s) => Value::String(shorten_str(s, elided)),
        Value::Array(items) if items.len() > LONG_ARRAY => {
            *elided = true;
            let cut = items.len() - 2 * KEEP_ITEMS;
            let mut kept: Vec<Value> = items[..KEEP_ITEMS]
                .iter()
                .map(|v| shorten(v, elided))
                .collect();
            kept.push(Value::String(format!(
                "… [{} items elided] …",
                thousands(cut as u64)
            )));
            kept.extend(
                items[items.len() - KEEP_ITEMS..]
                    .iter()
                    .map(|v| shorten(v, elided)),
            );
            Value::Array(kept)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| shorten(v, elided)).collect()),
        Value::Object(map) => {
            let mut keys_elided = false;
            let keys: Vec<String> = map
                .keys()
                .map(|k| shorten_str(k, &mut keys_elided))
                .collect();
            // Two long keys may look alike once elided: then every key is shown whole.
            let distinct = keys.iter().collect::<HashSet<_>>().len() == keys.len();
            *elided |= keys_elided && distinct;
            let mut out = Map::new();
            for ((key, value), short) in map.iter().zip(keys) {
                let key = if distinct { short } else { key.clone() };
                out.insert(key, shorten(value, elided));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// `s`, or its first and last [`KEEP`] characters around `… [N bytes elided] …`.
fn shorten_str(s: &str, elided: &mut bool) -> String {
    if s.len() <= LONG_VALUE {
        return s.to_owned();
    }
    let head_end = s.char_indices().nth(KEEP).map_or(s.len(), |(i, _)| i);
    let tail_start = s.char_indices().rev().nth(KEEP - 1).map_or(0, |(i, _)| i);
    if tail_start <= head_end {
        return s.to_owned();
    }
    *elided = true;
    format!(
        "{}… [{} bytes elided] …{}",
        &s[..head_end],
        thousands((tail_start - head_end) as u64),
        &s[tail_start..]
    )
}

/// `4210` → `4,210`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Asks on stderr and reads one line from the controlling terminal on a plain thread: a
/// blocked read must not keep Ctrl-C from ending the run. Anything but an answer (end of
/// input, a terminal that went away) is a no.
async fn ask(question: String) -> Answer {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = io::stderr().lock().write_all(question.as_bytes());
        let mut line = String::new();
        // Never stdin: it may hold the prompt, or a pipe nobody writes to.
        let read = File::open(TTY).and_then(|tty| io::BufReader::new(tty).read_line(&mut line));
        let answer = match read.map(|_| line.trim().to_ascii_lowercase()) {
            Ok(a) if a == "y" || a == "yes" => Answer::Yes,
            Ok(a) if a == "a" || a == "always" => Answer::Always,
            Ok(a) if a == "v" || a == "view" => Answer::View,
            _ => Answer::No,
        };
        let _ = tx.send(answer);
    });
    rx.await.unwrap_or(Answer::No)
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    #[test]
    fn a_person_is_asked_when_stderr_is_a_terminal_and_the_tty_opens() {
        let never = || -> bool { panic!("not needed") };
        assert_eq!(Asker::pick(true, || true), Asker::Terminal);
        // CI and services: no controlling terminal, so nobody can answer.
        assert_eq!(Asker::pick(true, || false), Asker::Nobody);
        // Nobody would see the question.
        assert_eq!(Asker::pick(false, never), Asker::Nobody);
    }

    #[test]
    fn arguments_are_shown_pretty_and_whole_when_short() {
        let (text, elided) = show(&json!({"city": "Oslo", "days": [1, 2]}), true);
        assert_eq!(
            text,
            "{\n  \"city\": \"Oslo\",\n  \"days\": [\n    1,\n    2\n  ]\n}"
        );
        assert!(!elided);
    }

    #[test]
    fn long_values_lose_their_middle_and_say_so() {
        let long = format!(
            "{}{}{}",
            "a".repeat(100),
            "MIDDLE".repeat(700),
            "z".repeat(100)
        );
        let (text, elided) = show(&json!({"k": long, "then": "visible"}), true);
        assert!(elided);
        let expected = format!(
            "{}… [4,240 bytes elided] …{}",
            "a".repeat(80),
            "z".repeat(80)
        );
        assert!(text.contains(&expected), "{text}");
        assert!(text.contains("\"then\": \"visible\""), "{text}");
        assert!(!text.contains("MIDDLE"));
        // Multi-byte characters are never split.
        let (text, _) = show(&json!("é".repeat(300)), true);
        assert!(text.contains("[280 bytes elided]"), "{text}");
        let items: Vec<u32> = (0..100).collect();
        let (text, elided) = show(&json!(items), true);
        assert!(
            elided && text.contains("\"… [84 items elided] …\""),
            "{text}"
        );
        // Shown whole on request.
        let (text, elided) = show(&json!({"k": "x".repeat(5000)}), false);
        assert!(!elided && text.contains(&"x".repeat(5000)));
    }

    #[test]
    fn every_key_is_shown_once_even_when_long_keys_look_alike() {
        let a = format!("{}A{}", "k".repeat(150), "k".repeat(150));
        let b = format!("{}B{}", "k".repeat(150), "k".repeat(150));
        let mut object = Map::new();
        object.insert(a.clone(), json!(1));
        object.insert(b.clone(), json!(2));
        let (text, elided) = show(&Value::Object(object), true);
        assert!(!elided);
        assert!(text.contains(&a) && text.contains(&b), "{text}");
    }

    #[test]
    fn control_characters_are_escaped() {
        let (text, _) = show(&json!({"x": "a\u{1b}[2Jb\u{7f}\u{9b}c\u{202e}d\n"}), true);
        assert_eq!(
            text,
            "{\n  \"x\": \"a\\u001b[2Jb\\u{7f}\\u{9b}c\\u{202e}d\\n\"\n}"
        );
        assert!(!text.contains(['\u{1b}', '\u{7f}', '\u{9b}', '\u{202e}']));
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(4210), "4,210");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
