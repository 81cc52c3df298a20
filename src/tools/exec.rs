//! Runs a command tool safely.
//!
//! The program is started from its argv (never through a shell) with a minimal environment:
//! `PATH`, `QWEN_TOOL_NAME`, `QWEN_TOOL_ARGS`, `QWEN_TOOL_CALL_ID` and the variables its
//! definition lists, nothing else (so the API key never leaks to a tool). The arguments arrive
//! as JSON on stdin, too. It runs in its own process group: a timeout, Ctrl-C or the end of
//! the call kills the whole group, and what left the group (`setsid`) is found by its call id
//! ([`super::reap`]), so nothing it started outlives it. Its stdout is read up to the cap and
//! then closed, as `| head -c N` would; once the tool's own process has exited, its output is
//! waited for only [`OUTPUT_GRACE`] more, since a process that escaped may hold the pipe.

use std::os::unix::process::ExitStatusExt as _;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use super::reap::{self, GroupGuard};
use super::{Outcome, Status};
use crate::units::format_duration;

/// The environment variable holding the arguments (JSON), next to the copy on stdin.
pub const ARGS_VAR: &str = "QWEN_TOOL_ARGS";

/// The environment variable holding the tool's name.
pub const NAME_VAR: &str = "QWEN_TOOL_NAME";

/// Arguments longer than this go on stdin only: one environment string may hold 128 KiB on
/// Linux, and a spawn that fails for it would be a confusing error.
const ARGS_ENV_LIMIT: usize = 64 * 1024;

/// `PATH` for tools when `qwen` itself has none.
const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// How much of stderr is kept for an error result.
const STDERR_CAP: usize = 4 * 1024;

/// How long the output pipes are read after the tool's own process has exited: what it
/// wrote is already in them, and only a process that escaped the kill could write more.
pub const OUTPUT_GRACE: Duration = Duration::from_millis(300);

/// How a command tool runs.
#[derive(Debug, Clone)]
pub struct CommandSpec {
    /// The program (resolved) and its arguments.
    pub argv: Vec<String>,
    /// Its working directory (default: `qwen`'s).
    pub cwd: Option<PathBuf>,
    /// Environment variables passed through from `qwen`'s environment.
    pub env: Vec<String>,
    /// How long it may run.
    pub timeout: Duration,
    /// How many bytes of stdout are kept.
    pub max_output: usize,
}

/// Builds the minimal environment of a tool or MCP server: `PATH` and the allowed names.
pub fn base_command(argv: &[String], allowed_env: &[String]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(&argv[0]);
    cmd.args(&argv[1..]).env_clear();
    let path = std::env::var_os("PATH").unwrap_or_else(|| DEFAULT_PATH.into());
    cmd.env("PATH", path);
    for name in allowed_env {
        if let Some(value) = std::env::var_os(name) {
            cmd.env(name, value);
        }
    }
    // Its own process group: the terminal's Ctrl-C does not reach it, and we can kill it
    // together with everything it started.
    cmd.process_group(0);
    cmd.kill_on_drop(true);
    cmd
}

/// Runs a command tool with `args` (JSON text) and returns what happened; never fails.
pub async fn run(name: &str, spec: &CommandSpec, args: &str) -> Outcome {
    let started = Instant::now();
    let mut cmd = base_command(&spec.argv, &spec.env);
    cmd.env(NAME_VAR, name);
    let call = reap::new_call_id();
    cmd.env(reap::CALL_VAR, &call);
    // What the tool leaves behind when its own process exits must stay ours to find.
    reap::become_subreaper();
    if args.len() <= ARGS_ENV_LIMIT {
        cmd.env(ARGS_VAR, args);
    }
    if let Some(cwd) = &spec.cwd {
        cmd.current_dir(cwd);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(err) => {
            let mut outcome = Outcome::not_run(Status::Failed, spawn_error(spec, &err));
            outcome.duration = started.elapsed();
            return outcome;
        }
    };
    let guard = GroupGuard::for_call(child.id(), call);
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let mut out = Capture::new(spec.max_output, false);
    let mut err = Capture::new(STDERR_CAP, true);

    let finished = tokio::time::timeout(spec.timeout, async {
        let (exited, ended) = tokio::sync::oneshot::channel::<()>();
        let feed = async {
            if let Some(mut stdin) = stdin {
                // A tool that ignores stdin may exit before reading it: that is fine.
                let _ = stdin.write_all(args.as_bytes()).await;
                let _ = stdin.write_all(b"\n").await;
            }
        };
        let wait = async {
            let status = child.wait().await;
            // Whatever the tool left running goes with it; that also closes the pipes those
            // processes hold, so the reads below end.
            guard.kill();
            let _ = exited.send(());
            status
        };
        let io = async {
            let all = async {
                tokio::join!(feed, out.read(stdout), err.read(stderr));
            };
            // A process that escaped the kill may keep a pipe open for ever: the output
            // that matters was written before the tool exited.
            let grace = async {
                if ended.await.is_ok() {
                    tokio::time::sleep(OUTPUT_GRACE).await;
                } else {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                () = all => {}
                () = grace => {}
            }
        };
        let (status, ()) = tokio::join!(wait, io);
        status
    })
    .await;

    let mut outcome = Outcome {
        status: Status::Ok,
        exit_code: None,
        output: String::new(),
        stderr: String::new(),
        truncated: false,
        max_output: spec.max_output,
        duration: Duration::ZERO,
        error: None,
    };
    match finished {
        Err(_) => {
            guard.kill();
            // SIGKILL cannot be ignored; reap the leader so it is not left a zombie.
            let _ = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
            outcome.status = Status::TimedOut;
            outcome.error = Some(format!(
                "`{name}` timed out after {} and was killed",
                format_duration(spec.timeout)
            ));
        }
        Ok(Err(e)) => {
            outcome.status = Status::Failed;
            outcome.error = Some(format!("waiting for `{name}` failed: {e}"));
        }
        Ok(Ok(status)) => {
            outcome.exit_code = status.code();
            // Closing stdout at the cap ends a chatty tool: C programs die of SIGPIPE (a
            // shell reports status 141), Python exits 1 or 120 with a BrokenPipeError on
            // stderr, others exit with their own code. Any of these after the cut is our
            // doing, not the tool's failure, and its complaint is not worth passing on.
            let cut_off = out.truncated
                && !status.success()
                && (status.code().is_some() || status.signal() == Some(Signal::SIGPIPE as i32));
            if cut_off {
                err.buf.clear();
            }
            if !status.success() && !cut_off {
                outcome.status = Status::Failed;
                outcome.error = Some(match (status.code(), status.signal()) {
                    (Some(code), _) => format!("`{name}` exited with status {code}"),
                    (None, Some(signal)) => format!(
                        "`{name}` was killed by signal {}",
                        Signal::try_from(signal)
                            .map_or_else(|_| signal.to_string(), |s| s.to_string())
                    ),
                    (None, None) => format!("`{name}` failed ({status})"),
                });
            }
        }
    }
    outcome.output = out.text();
    outcome.stderr = err.text();
    outcome.truncated = out.truncated;
    outcome.duration = started.elapsed();
    outcome
}

/// Says why a tool could not start, naming its working directory when that is the cause:
/// `spawn` reports a missing `cwd` as the program's "No such file or directory".
fn spawn_error(spec: &CommandSpec, err: &std::io::Error) -> String {
    let program = &spec.argv[0];
    if let Some(cwd) = &spec.cwd {
        let problem = match std::fs::metadata(cwd) {
            Err(e) => Some(e.to_string()),
            Ok(meta) if !meta.is_dir() => Some("not a directory".to_owned()),
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            return format!(
                "could not start `{program}`: its working directory `{}`: {problem}",
                cwd.display()
            );
        }
    }
    format!("could not start `{program}`: {err}")
}

/// Collects up to `cap` bytes of a pipe.
struct Capture {
    buf: Vec<u8>,
    cap: usize,
    /// Keep reading (and discarding) past the cap instead of closing the pipe.
    drain: bool,
    truncated: bool,
}

impl Capture {
    fn new(cap: usize, drain: bool) -> Self {
        Self {
            buf: Vec::new(),
            cap,
            drain,
            truncated: false,
        }
    }

    async fn read(&mut self, pipe: Option<impl AsyncRead + Unpin>) {
        let Some(mut pipe) = pipe else { return };
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = match pipe.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let room = self.cap - self.buf.len();
            self.buf.extend_from_slice(&chunk[..n.min(room)]);
            if n > room {
                self.truncated = true;
                if !self.drain {
                    return; // dropping the pipe closes it
                }
            }
        }
    }

    fn text(&self) -> String {
        match String::from_utf8_lossy(&self.buf) {
            // A cut in the middle of a character leaves one replacement character at the end.
            text if self.truncated => text.trim_end_matches('\u{fffd}').to_owned(),
            text => text.into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(script: &str, timeout_ms: u64, max_output: usize) -> CommandSpec {
        CommandSpec {
            argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
            cwd: None,
            env: Vec::new(),
            timeout: Duration::from_millis(timeout_ms),
            max_output,
        }
    }

    #[tokio::test]
    async fn arguments_arrive_on_stdin_and_in_the_environment() {
        let s = spec(
            r#"read line; printf '%s|%s|%s' "$line" "$QWEN_TOOL_ARGS" "$QWEN_TOOL_NAME""#,
            5000,
            1024,
        );
        let o = run("echo", &s, r#"{"a":1}"#).await;
        assert_eq!(o.status, Status::Ok, "{o:?}");
        assert_eq!(o.output, r#"{"a":1}|{"a":1}|echo"#);
        assert_eq!(o.exit_code, Some(0));
    }

    #[tokio::test]
    async fn the_environment_is_minimal() {
        let s = CommandSpec {
            argv: vec!["env".into()],
            ..spec("", 5000, 4096)
        };
        let o = run("env", &s, "{}").await;
        let mut names: Vec<&str> = o
            .output
            .lines()
            .filter_map(|l| l.split('=').next())
            .collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "PATH",
                "QWEN_TOOL_ARGS",
                "QWEN_TOOL_CALL_ID",
                "QWEN_TOOL_NAME"
            ]
        );
    }

    #[tokio::test]
    async fn failures_keep_stderr_and_the_exit_code() {
        let o = run(
            "f",
            &spec("echo oops >&2; echo partial; exit 3", 5000, 1024),
            "{}",
        )
        .await;
        assert_eq!(o.status, Status::Failed);
        assert_eq!(o.exit_code, Some(3));
        assert_eq!(o.stderr, "oops\n");
        assert!(
            o.content().starts_with("error: `f` exited with status 3"),
            "{}",
            o.content()
        );
        let missing = CommandSpec {
            argv: vec!["/nonexistent/tool".into()],
            ..spec("", 1000, 10)
        };
        let o = run("m", &missing, "{}").await;
        assert_eq!(o.status, Status::Failed);
        assert!(o.error.unwrap().contains("could not start"));
    }

    #[tokio::test]
    async fn a_flood_is_cut_at_the_cap() {
        let o = run("yes", &spec("yes", 5000, 100), "{}").await;
        assert_eq!(o.status, Status::Ok, "{o:?}");
        assert!(o.truncated);
        assert_eq!(o.output.len(), 100);
    }

    #[tokio::test]
    async fn a_tool_that_fails_because_of_the_cut_is_not_a_failure() {
        // Python exits 1 with a BrokenPipeError traceback when its stdout closes.
        let s = CommandSpec {
            argv: vec!["python3".into(), "-c".into(), "print('x' * 200000)".into()],
            ..spec("", 10_000, 100)
        };
        let o = run("flood", &s, "{}").await;
        assert_eq!(o.status, Status::Ok, "{o:?}");
        assert!(o.truncated);
        assert_eq!(o.output, "x".repeat(100));
        assert!(
            o.stderr.is_empty(),
            "the traceback is ours, not the tool's: {o:?}"
        );
        assert_eq!(o.error, None);
        // Without a cut, the same exit is a failure.
        let o = run("f", &spec("echo short; exit 1", 5000, 100), "{}").await;
        assert_eq!(o.status, Status::Failed);
    }

    #[tokio::test]
    async fn a_missing_working_directory_is_named() {
        let s = CommandSpec {
            argv: vec!["true".into()],
            cwd: Some("/nonexistent/qwen-test-dir".into()),
            ..spec("", 1000, 10)
        };
        let o = run("t", &s, "{}").await;
        assert_eq!(o.status, Status::Failed);
        let error = o.error.unwrap();
        assert!(
            error.contains("working directory `/nonexistent/qwen-test-dir`")
                && error.contains("No such file"),
            "{error}"
        );
        let file = std::env::current_exe().unwrap();
        let s = CommandSpec {
            cwd: Some(file.clone()),
            ..s
        };
        let error = run("t", &s, "{}").await.error.unwrap();
        assert!(
            error.ends_with(&format!("`{}`: not a directory", file.display())),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_timeout_kills_the_whole_group() {
        let started = Instant::now();
        let o = run(
            "slow",
            &spec("sleep 30 & sleep 30; echo never", 300, 100),
            "{}",
        )
        .await;
        assert_eq!(o.status, Status::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(o.content().contains("timed out after"), "{}", o.content());
    }

    #[tokio::test]
    async fn what_leaves_the_session_is_killed_when_the_tool_exits() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        // The escaped process holds stdout open: without the grace, the call would last
        // until the timeout and report one.
        let script = format!(
            r#"setsid sh -c 'echo $$ > "{0}.tmp"; mv "{0}.tmp" "{0}"; exec sleep 60' &
while [ ! -s "{0}" ]; do sleep 0.01; done
echo done"#,
            pidfile.display()
        );
        let started = Instant::now();
        let o = run("escape", &spec(&script, 10_000, 100), "{}").await;
        assert_eq!(o.status, Status::Ok, "{o:?}");
        assert_eq!(o.output, "done\n");
        assert!(started.elapsed() < Duration::from_secs(3), "{o:?}");
        let pid = std::fs::read_to_string(&pidfile).unwrap();
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()));
        assert!(
            stat.is_err(),
            "the escaped process {pid} is still there: {stat:?}"
        );
    }

    #[tokio::test]
    async fn output_is_waited_for_only_a_grace_after_the_tool_exits() {
        // A process that drops the environment cannot be found by its call id; the call
        // still ends soon after the tool does.
        let script = "setsid env -i sleep 3 & echo quick";
        let started = Instant::now();
        let o = run("quick", &spec(script, 10_000, 100), "{}").await;
        assert_eq!(o.status, Status::Ok, "{o:?}");
        assert_eq!(o.output, "quick\n");
        assert!(
            started.elapsed() < OUTPUT_GRACE + Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }
}
