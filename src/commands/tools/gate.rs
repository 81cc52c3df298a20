//! Whether a tool call may run: its definition, `--allow`, `--allow-all`, or the person at
//! the terminal, who is asked (yes / no / always) when nothing else allowed it.
//!
//! "A person at the terminal" means stderr is a terminal and the controlling terminal
//! (`/dev/tty`) can be opened to read the answer from. Standard input does not matter: it
//! may well carry the prompt (`echo … | qwen tools run`). Without a controlling terminal (CI,
//! a service, `setsid`) nobody can answer, and a call that is not allowed is refused.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead as _, IsTerminal as _, Write as _};

use super::audit::{self, Permission};
use crate::cli::ToolsRunArgs;
use crate::config::{Settings, env};
use crate::error::note;
use crate::tools::{Tool, Toolbox};

/// The controlling terminal, where answers are read from.
const TTY: &str = "/dev/tty";

/// Decides whether a tool may run: its definition, the flags, or the person at the terminal.
pub struct Gate {
    allow_all: bool,
    allowed: HashSet<String>,
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
    /// Standard input, for tests (`QWEN_TEST_TTY`).
    Stdin,
    /// Nobody: tools that are not allowed are refused.
    Nobody,
}

impl Asker {
    /// Picks who answers: `test_tty` wins; otherwise a person, if stderr is a terminal (they
    /// can see the question) and the controlling terminal opens (they can answer it).
    fn pick(test_tty: bool, stderr_is_terminal: bool, tty_opens: impl FnOnce() -> bool) -> Self {
        if test_tty {
            Asker::Stdin
        } else if stderr_is_terminal && tty_opens() {
            Asker::Terminal
        } else {
            Asker::Nobody
        }
    }
}

enum Answer {
    Yes,
    Always,
    No,
}

impl Gate {
    /// Reads the flags (warning about `--allow` names that match no tool) and finds out
    /// whether anybody can be asked.
    pub fn new(settings: &Settings, args: &ToolsRunArgs, toolbox: &Toolbox) -> Self {
        for name in &args.allow {
            let known = match name.strip_suffix(".*") {
                Some(server) => toolbox
                    .tools()
                    .iter()
                    .any(|t| t.name.starts_with(&format!("{server}."))),
                None => toolbox.get(name).is_some(),
            };
            if !known && !settings.quiet {
                note("warning", &format!("`--allow {name}` matches no tool"));
            }
        }
        let test_tty = std::env::var_os(env::TEST_TTY).is_some_and(|v| !v.is_empty());
        let asker = Asker::pick(test_tty, io::stderr().is_terminal(), || {
            File::open(TTY).is_ok()
        });
        Self {
            allow_all: args.allow_all,
            allowed: args.allow.iter().cloned().collect(),
            always: HashSet::new(),
            asker,
            refusal_hint_shown: false,
            quiet: settings.quiet,
        }
    }

    fn granted(&self, tool: &Tool) -> Option<Permission> {
        let by_server = tool
            .name
            .split_once('.')
            .is_some_and(|(server, _)| self.allowed.contains(&format!("{server}.*")));
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

    /// Returns how the call came to be allowed, or `None` when it is refused.
    pub async fn decide(&mut self, tool: &Tool, arguments: &str) -> Option<Permission> {
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
        let question = format!(
            "qwen: run tool `{}` {}? [y]es / [n]o / [a]lways: ",
            tool.name,
            audit::short(arguments, 200)
        );
        match ask(self.asker, question).await {
            Answer::Yes => Some(Permission::Confirmed),
            Answer::Always => {
                self.always.insert(tool.name.clone());
                Some(Permission::Confirmed)
            }
            Answer::No => None,
        }
    }
}

/// Asks on stderr and reads one line from the terminal (or stdin, for tests) on a plain
/// thread: a blocked read must not keep Ctrl-C from ending the run. Anything but an answer
/// (end of input, a terminal that went away) is a no.
async fn ask(asker: Asker, question: String) -> Answer {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = io::stderr().lock().write_all(question.as_bytes());
        let mut line = String::new();
        let read = match asker {
            // Never stdin here: it may hold the prompt, or a pipe nobody writes to.
            Asker::Terminal => {
                File::open(TTY).and_then(|tty| io::BufReader::new(tty).read_line(&mut line))
            }
            _ => io::stdin().lock().read_line(&mut line),
        };
        let answer = match read.map(|_| line.trim().to_ascii_lowercase()) {
            Ok(a) if a == "y" || a == "yes" => Answer::Yes,
            Ok(a) if a == "a" || a == "always" => Answer::Always,
            _ => Answer::No,
        };
        let _ = tx.send(answer);
    });
    rx.await.unwrap_or(Answer::No)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_asked_when_stderr_is_a_terminal_and_the_tty_opens() {
        let never = || -> bool { panic!("not needed") };
        assert_eq!(Asker::pick(true, false, never), Asker::Stdin);
        assert_eq!(Asker::pick(false, true, || true), Asker::Terminal);
        // CI and services: no controlling terminal, so nobody can answer.
        assert_eq!(Asker::pick(false, true, || false), Asker::Nobody);
        // Nobody would see the question.
        assert_eq!(Asker::pick(false, false, never), Asker::Nobody);
    }
}
