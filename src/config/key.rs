//! Loading the API key from `api_key_file` or `api_key_command`: bounded in time and size,
//! and every failure an [`AuthError`] (exit 4) that names the source, never a "request
//! failed" about a request that was never sent.
//!
//! The command runs in a process group of its own, so that a timeout ends everything it
//! started (a shell script's children too), not just its first process. When `qwen` is in
//! the foreground of a terminal, that group gets the terminal while the command runs: a
//! command that asks for a passphrase (`gpg --pinentry-mode loopback`, `age -d`, a vault
//! CLI) can read it there, and Ctrl-C reaches the command, after which `qwen` ends what is
//! left of the group and exits 130. Stdin is the terminal when `qwen`'s is one (piped
//! stdin is the prompt, not the command's); stderr is always `qwen`'s, so prompts and
//! errors show as the command writes them. Without a terminal, SIGINT and SIGTERM sent to
//! `qwen` while it waits (`kill`, a supervisor, Ctrl-C in a pipeline whose group `qwen`
//! leads) are caught by [`SignalWatch`]: the command's group is killed and `qwen` exits 130.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::pthread::{Pthread, pthread_kill, pthread_self};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, killpg, pthread_sigmask};
use nix::unistd::{Pid, getpgrp, tcgetpgrp, tcsetpgrp};

use crate::exit::{AuthError, Interrupted};
use crate::secret::Secret;

/// How long `api_key_command` may run when `api_key_command_timeout` does not say.
pub const DEFAULT_KEY_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// The most bytes read as a key: keys are tens of bytes, and a file or command that gives
/// more is not a key file or key command.
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// How long to wait for the end of the command's output after it exited (a child it left
/// behind may hold its stdout open).
const OUTPUT_GRACE: Duration = Duration::from_millis(500);

fn auth(message: String, hint: Option<&str>) -> anyhow::Error {
    AuthError {
        message,
        hint: hint.map(str::to_owned),
    }
    .into()
}

/// Reads the key from `path`: one line, at most 64 KiB.
pub(super) fn from_file(path: &Path) -> anyhow::Result<Secret> {
    let what = format!("the API key file `{}`", path.display());
    let mut file = File::open(path).map_err(|e| auth(format!("cannot read {what}: {e}"), None))?;
    let bytes = crate::input::read_bounded(&mut file, &what, MAX_KEY_BYTES, false, &mut || {})
        .map_err(|e| auth(e.message, None))?;
    one_line(bytes, &what, "keep only the key in the file")
}

/// Checks that `bytes` hold one key: UTF-8, one non-empty line, no control characters;
/// `fix` is the hint for a multi-line key.
fn one_line(bytes: Vec<u8>, what: &str, fix: &str) -> anyhow::Result<Secret> {
    let text =
        String::from_utf8(bytes).map_err(|_| auth(format!("{what} is not UTF-8 text"), None))?;
    let key = text.trim();
    if key.is_empty() {
        return Err(auth(format!("{what} gave an empty key"), None));
    }
    let lines = key.lines().count();
    if lines > 1 {
        return Err(auth(
            format!("{what} gave {lines} lines; a key is one line"),
            Some(fix),
        ));
    }
    if key.chars().any(char::is_control) {
        return Err(auth(
            format!("{what} gave a key with control characters"),
            None,
        ));
    }
    Ok(Secret::new(key))
}

/// Runs `argv` (no shell) and reads the key from its stdout, stopping it after `timeout`.
pub(super) fn from_command(argv: &[String], timeout: Duration) -> anyhow::Result<Secret> {
    let name = &argv[0];
    let what = format!("`api_key_command` `{name}`");
    let mut command = Command::new(name);
    command
        .args(&argv[1..])
        .stdin(if std::io::stdin().is_terminal() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .process_group(0);
    // Before the spawn: the threads below inherit the blocked signals (the command does
    // not: the standard library clears the signal mask of a child it starts).
    let (wake_tx, wake_rx) = mpsc::channel();
    let watch = SignalWatch::start(wake_tx.clone());
    let mut child = command
        .spawn()
        .map_err(|e| auth(format!("cannot run {what}: {e}"), None))?;
    let group = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
    let terminal = Foreground::hand_to(group);

    let mut stdout = child.stdout.take().expect("stdout is piped");
    let (out_tx, out_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        let mut total = 0u64;
        loop {
            match stdout.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n as u64;
                    if out_tx.send(chunk[..n].to_vec()).is_err() || total > MAX_KEY_BYTES {
                        break;
                    }
                }
            }
        }
    });
    std::thread::spawn(move || {
        let _ = wake_tx.send(Wake::Exited(child.wait()));
    });

    let status = wake_rx.recv_timeout(timeout);
    let mut bytes = Vec::new();
    let outcome = match status {
        Ok(Wake::Signal(signal)) => {
            let _ = killpg(group, Signal::SIGKILL);
            Err(Interrupted(format!("{what} was interrupted by {}", signal.as_str())).into())
        }
        Ok(Wake::Exited(Ok(status))) => {
            let until = Instant::now() + OUTPUT_GRACE;
            let mut complete = false;
            while let Some(left) = until.checked_duration_since(Instant::now()) {
                match out_rx.recv_timeout(left) {
                    Ok(chunk) => bytes.extend(chunk),
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        complete = true;
                        break;
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                }
            }
            if !complete {
                // Something the command started still holds its output: end it.
                let _ = killpg(group, Signal::SIGKILL);
            }
            Ok(status)
        }
        Ok(Wake::Exited(Err(e))) => Err(auth(format!("cannot wait for {what}: {e}"), None)),
        Err(_) => {
            let _ = killpg(group, Signal::SIGKILL);
            Err(auth(
                format!(
                    "{what} did not finish within {} and was stopped",
                    crate::units::format_duration(timeout)
                ),
                Some(
                    "raise `api_key_command_timeout` in config.toml if it needs longer \
                     (a passphrase prompt needs a terminal)",
                ),
            ))
        }
    };
    drop(terminal);
    // A signal that came as the command ended still stops `qwen`, as it would have.
    if let Some(signal) = watch.and_then(SignalWatch::stop)
        && outcome.is_ok()
    {
        let _ = killpg(group, Signal::SIGKILL);
        return Err(Interrupted(format!("{what} was interrupted by {}", signal.as_str())).into());
    }
    check_status(outcome?, group, &what)?;
    if bytes.len() as u64 > MAX_KEY_BYTES {
        return Err(auth(
            format!("{what} printed more than 64 KiB; a key is one short line"),
            None,
        ));
    }
    one_line(
        bytes,
        &what,
        "make it print only the key, e.g. `[\"sh\", \"-c\", \"pass show NAME | head -n 1\"]`",
    )
}

/// Turns a non-zero exit or a death by signal into the error to report.
fn check_status(status: ExitStatus, group: Pid, what: &str) -> anyhow::Result<()> {
    if status.success() {
        return Ok(());
    }
    if let Some(signal) = status.signal() {
        // What the command started may still run: the group goes with it.
        let _ = killpg(group, Signal::SIGKILL);
        if signal == Signal::SIGINT as i32 {
            return Err(Interrupted(format!("{what} was interrupted")).into());
        }
        return Err(auth(format!("{what} was killed by signal {signal}"), None));
    }
    Err(auth(
        format!("{what} failed ({status})"),
        Some("run it yourself to see why; its error output is shown above"),
    ))
}

/// What the wait for the key command is woken by.
enum Wake {
    Exited(std::io::Result<ExitStatus>),
    Signal(Signal),
}

/// SIGINT and SIGTERM, caught while the key command runs: blocked on this thread (and the
/// threads it starts meanwhile) and taken by a thread of its own with `sigwait`, so that
/// `qwen` can end the command's group before it exits; without this, the default action
/// ended `qwen` and left the command running in its own group. No handler is installed,
/// so once [`SignalWatch::stop`] restores the mask the signals act as before.
struct SignalWatch {
    old_mask: SigSet,
    waiter: Pthread,
    thread: std::thread::JoinHandle<Option<Signal>>,
}

/// Sent by [`SignalWatch::stop`] to its own waiter thread only, to end its `sigwait`.
const WAKE_WAITER: Signal = Signal::SIGUSR1;

impl SignalWatch {
    /// Starts watching; a caught signal is also sent to `tx` at once. `None` if the mask
    /// cannot be changed (the signals then act as before).
    fn start(tx: mpsc::Sender<Wake>) -> Option<Self> {
        let mut set = SigSet::empty();
        set.add(Signal::SIGINT);
        set.add(Signal::SIGTERM);
        set.add(WAKE_WAITER);
        let old_mask = set.thread_swap_mask(SigmaskHow::SIG_BLOCK).ok()?;
        let (id_tx, id_rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let _ = id_tx.send(pthread_self());
            let mut caught = None;
            loop {
                match set.wait() {
                    Ok(WAKE_WAITER) | Err(_) => return caught,
                    Ok(signal) => {
                        caught.get_or_insert(signal);
                        let _ = tx.send(Wake::Signal(signal));
                    }
                }
            }
        });
        let Ok(waiter) = id_rx.recv() else {
            let _ = old_mask.thread_set_mask();
            return None;
        };
        Some(Self {
            old_mask,
            waiter,
            thread,
        })
    }

    /// Stops watching and restores the signal mask; returns the first signal caught.
    fn stop(self) -> Option<Signal> {
        // The waiter runs until it takes this signal, so its id is still valid here.
        let caught = if pthread_kill(self.waiter, WAKE_WAITER).is_ok() {
            self.thread.join().ok().flatten()
        } else {
            None
        };
        let _ = self.old_mask.thread_set_mask();
        caught
    }
}

/// The controlling terminal, handed to the key command's process group while it runs.
struct Foreground {
    tty: File,
    ours: Pid,
}

impl Foreground {
    /// Makes `group` the terminal's foreground group, when this process is in the
    /// foreground of a controlling terminal; `None` otherwise.
    fn hand_to(group: Pid) -> Option<Self> {
        let tty = File::options()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .ok()?;
        let ours = getpgrp();
        if tcgetpgrp(&tty).ok()? != ours {
            return None;
        }
        tcsetpgrp(&tty, group).ok()?;
        // It may have touched the terminal before it was its own, and been stopped for it.
        let _ = killpg(group, Signal::SIGCONT);
        Some(Self { tty, ours })
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        // A background group taking the terminal back is stopped by SIGTTOU unless it
        // blocks the signal (POSIX tcsetpgrp), so block it around the call.
        let mut ttou = SigSet::empty();
        ttou.add(Signal::SIGTTOU);
        let mut old = SigSet::empty();
        let blocked = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&ttou), Some(&mut old)).is_ok();
        let _ = tcsetpgrp(&self.tty, self.ours);
        if blocked {
            let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
        }
        // A neighbour in our pipeline (a pager) that used the terminal meanwhile was
        // stopped for it; let it go on.
        let _ = killpg(self.ours, Signal::SIGCONT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: anyhow::Result<Secret>) -> String {
        format!("{:#}", r.unwrap_err())
    }

    #[test]
    fn a_key_is_one_non_empty_line() {
        assert_eq!(
            one_line(b"  sk-abc\n".to_vec(), "x", "").unwrap().expose(),
            "sk-abc"
        );
        assert!(err(one_line(b" \n\n".to_vec(), "x", "")).contains("empty key"));
        assert!(err(one_line(b"sk-a\nsk-b\n".to_vec(), "x", "")).contains("2 lines"));
        assert!(err(one_line(vec![b's', 0xff], "x", "")).contains("not UTF-8"));
        assert!(err(one_line(b"sk\x1b[2Jx".to_vec(), "x", "")).contains("control"));
    }

    #[test]
    fn command_failures_are_auth_errors_naming_the_command() {
        let argv = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let timeout = Duration::from_secs(5);
        for (cmd, expect) in [
            (argv(&["/no/such/program"]), "cannot run"),
            (argv(&["sh", "-c", "exit 3"]), "failed (exit status: 3)"),
            (argv(&["true"]), "empty key"),
            (argv(&["printf", "a\\nb\\n"]), "2 lines"),
        ] {
            let e = from_command(&cmd, timeout).unwrap_err();
            assert!(e.downcast_ref::<AuthError>().is_some(), "{cmd:?}: {e:#}");
            assert!(format!("{e:#}").contains(expect), "{cmd:?}: {e:#}");
            assert!(format!("{e:#}").contains(&format!("`{}`", cmd[0])), "{e:#}");
        }
        assert_eq!(
            from_command(&argv(&["echo", "sk-ok"]), timeout)
                .unwrap()
                .expose(),
            "sk-ok"
        );
    }

    #[test]
    fn a_command_that_hangs_is_stopped_with_everything_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let script = format!("sleep 30 & echo $! > '{}'; wait", pid_file.display());
        let argv = vec!["sh".to_owned(), "-c".to_owned(), script];
        let started = Instant::now();
        let e = from_command(&argv, Duration::from_millis(300)).unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "not stopped in time"
        );
        assert!(
            format!("{e:#}").contains("did not finish within 0.3s"),
            "{e:#}"
        );
        assert!(e.downcast_ref::<AuthError>().is_some());
        let pid: i32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(gone(pid), "the command's child survived");
    }

    /// True when `pid` has exited (a zombie waiting for its reaper counts as gone).
    fn gone(pid: i32) -> bool {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                Err(_) => return true,
                Ok(stat)
                    if stat
                        .rsplit(')')
                        .next()
                        .is_some_and(|s| s.trim_start().starts_with('Z')) =>
                {
                    return true;
                }
                Ok(_) if Instant::now() > deadline => return false,
                Ok(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}
