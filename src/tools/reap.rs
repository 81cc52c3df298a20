//! Finds and kills what a tool left running, including processes that left its process
//! group and its session (`setsid`, daemons), which killing the group does not reach.
//!
//! How: `qwen` makes itself a child subreaper (`PR_SET_CHILD_SUBREAPER`) before it starts a
//! tool, so a process whose parent exits is re-parented to `qwen` rather than to init: all
//! that a tool starts stays among `qwen`'s descendants. Each call also gets its own id in
//! `QWEN_TOOL_CALL_ID`, which the processes it starts inherit. When a call ends (exit,
//! timeout, Ctrl-C), its process group is killed, then every descendant of `qwen` whose
//! environment (`/proc/PID/environ`) holds that id. When a `qwen tools` command ends
//! ([`Sweep`]), every descendant still left is killed, whatever its environment.
//!
//! Limits, honestly: a process that leaves the session *and* drops or rewrites its
//! environment (`env -i`) is found only when the command ends, not when its call does; one
//! that has another service start it (`systemd-run`, `at`, `ssh`) is never ours to find. A
//! cgroup would catch the first kind at once, but it needs a delegated, writable cgroup v2
//! tree (a systemd login session's scope is not writable by its user) and race-free
//! placement of the child (`clone3(CLONE_INTO_CGROUP)` or a pre-exec hook), both of which
//! need `unsafe` code, which this crate denies. Linux only: elsewhere there is no `/proc`,
//! and only the process group is killed.

use std::collections::{HashMap, HashSet};
use std::sync::Once;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// The environment variable holding the id of a tool call.
pub const CALL_VAR: &str = "QWEN_TOOL_CALL_ID";

/// How long killed processes are waited for, to reap the ones re-parented to `qwen`.
const REAP_WAIT: Duration = Duration::from_millis(200);

/// Passes over the process table: a process may fork between a scan and its kill.
const MAX_PASSES: usize = 8;

/// Makes `qwen` the subreaper of everything it starts from now on (once; a failure leaves
/// orphans to init, as without it).
pub fn become_subreaper() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(target_os = "linux")]
        let _ = nix::sys::prctl::set_child_subreaper(true);
    });
}

/// Returns a new id for a tool call, unique among the calls of every running `qwen`.
pub fn new_call_id() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{}-{nanos}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Kills every descendant of `qwen` that carries the call id `id` in its environment,
/// except `leader` (the tool's own process, which its `Child` handle waits for), and reaps
/// them and the members of the leader's process group re-parented to `qwen`.
pub fn kill_call(id: &str, leader: Option<u32>) {
    let needle = format!("{CALL_VAR}={id}");
    let leader = leader.and_then(|p| i32::try_from(p).ok());
    let mut pending =
        kill_matching(|pid| Some(pid) != leader && environ_has(pid, needle.as_bytes()));
    if let Some(group) = leader {
        // Killed with the group; their parent, the leader, is gone, so they are ours now.
        // Only these: other zombies may be a `Child` handle's to wait for.
        let table = table();
        pending.extend(
            descendants(&table, me())
                .into_iter()
                .filter(|pid| *pid != group && table[pid].pgrp == group),
        );
    }
    reap(pending);
}

/// Kills every descendant of `qwen`, and reaps them and every zombie child left: what the
/// tools and MCP servers of a command left when it ends.
pub fn kill_all() {
    let mut pending = kill_matching(|_| true);
    let table = table();
    pending.extend(
        table
            .iter()
            .filter(|(_, p)| p.ppid == me() && p.zombie)
            .map(|(pid, _)| *pid),
    );
    reap(pending);
}

fn me() -> i32 {
    std::process::id() as i32
}

/// Kills the live descendants of `qwen` that `pick` selects, pass after pass until none is
/// left (a process may fork between a scan and its kill); returns the ones killed.
fn kill_matching(mut pick: impl FnMut(i32) -> bool) -> HashSet<i32> {
    let mut killed = HashSet::new();
    for _ in 0..MAX_PASSES {
        let table = table();
        let targets: Vec<i32> = descendants(&table, me())
            .into_iter()
            .filter(|pid| !table[pid].zombie && !killed.contains(pid) && pick(*pid))
            .collect();
        if targets.is_empty() {
            break;
        }
        for pid in targets {
            // ESRCH: it exited meanwhile.
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            killed.insert(pid);
        }
    }
    killed
}

/// Reaps the given processes as they become zombie children of `qwen` (their parents die
/// too), for a short while; any left go to the next sweep, or to init when `qwen` exits.
fn reap(mut pending: HashSet<i32>) {
    let deadline = Instant::now() + REAP_WAIT;
    while !pending.is_empty() {
        pending.retain(|&pid| {
            match waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::StillAlive) => true,
                Ok(_) => false,
                // Not (yet) our child: reaped by its own parent, or not re-parented yet.
                Err(Errno::ECHILD) => is_alive_under(pid),
                Err(_) => false,
            }
        });
        if pending.is_empty() || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Returns true while `pid` exists and descends from `qwen` (so it may still become ours).
fn is_alive_under(pid: i32) -> bool {
    let table = table();
    let mut at = pid;
    for _ in 0..table.len() {
        match table.get(&at) {
            Some(p) if p.ppid == me() => return true,
            Some(p) => at = p.ppid,
            None => return false,
        }
    }
    false
}

/// One line of the process table.
struct Proc {
    ppid: i32,
    pgrp: i32,
    zombie: bool,
}

/// Reads the process table from `/proc` (empty where there is none).
fn table() -> HashMap<i32, Proc> {
    let mut table = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return table;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        // `pid (comm) state ppid pgrp …`; comm may hold anything, parentheses included.
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().take(3).collect();
        if let [state, ppid, pgrp] = fields[..]
            && let (Ok(ppid), Ok(pgrp)) = (ppid.parse(), pgrp.parse())
        {
            let zombie = state == "Z" || state == "X";
            table.insert(pid, Proc { ppid, pgrp, zombie });
        }
    }
    table
}

/// Returns every descendant of `root` in `table`.
fn descendants(table: &HashMap<i32, Proc>, root: i32) -> Vec<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for (&pid, p) in table {
        children.entry(p.ppid).or_default().push(pid);
    }
    let mut found = Vec::new();
    let mut queue = vec![root];
    while let Some(pid) = queue.pop() {
        // A tree: every process has one parent, so nothing is visited twice.
        for &child in children.get(&pid).into_iter().flatten() {
            if child != root {
                found.push(child);
                queue.push(child);
            }
        }
    }
    found
}

/// Returns true when `entry` (`NAME=value`) is in the environment `pid` started with.
fn environ_has(pid: i32, entry: &[u8]) -> bool {
    std::fs::read(format!("/proc/{pid}/environ"))
        .is_ok_and(|env| env.split(|&b| b == 0).any(|var| var == entry))
}

/// Kills every process a `qwen tools` command's tools and MCP servers left behind when
/// dropped (the end of the command, its error or Ctrl-C).
#[derive(Debug)]
pub struct Sweep(());

impl Sweep {
    /// Makes `qwen` a subreaper and arms the sweep.
    pub fn start() -> Self {
        become_subreaper();
        Sweep(())
    }
}

impl Drop for Sweep {
    fn drop(&mut self) {
        kill_all();
    }
}

/// Kills a process group when dropped (or earlier, with [`GroupGuard::kill`]), and for a
/// tool call every other process that carries its call id ([`kill_call`]).
///
/// Dropping a call's future (Ctrl-C, a timeout) drops the guard, so the group never
/// outlives the call.
#[derive(Debug)]
pub struct GroupGuard {
    pgid: AtomicI32,
    call: Option<String>,
}

impl GroupGuard {
    /// Guards the group led by `pid` (a child spawned with `process_group(0)`).
    pub fn new(pid: Option<u32>) -> Self {
        let pgid = pid.and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
        Self {
            pgid: AtomicI32::new(pgid),
            call: None,
        }
    }

    /// Guards the group led by `pid`, and the processes whose environment holds the call id
    /// `call` (the tool gets it in [`CALL_VAR`]).
    pub fn for_call(pid: Option<u32>, call: String) -> Self {
        let pgid = pid.and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
        Self {
            pgid: AtomicI32::new(pgid),
            call: Some(call),
        }
    }

    /// Sends SIGKILL to every process of the group and of the call, once.
    pub fn kill(&self) {
        let pgid = self.pgid.swap(0, Ordering::SeqCst);
        if pgid > 0 {
            // ESRCH (nothing left in the group) is the normal case after a clean exit.
            let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
            if let Some(call) = &self.call {
                kill_call(call, u32::try_from(pgid).ok());
            }
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_knows_this_process_and_its_children() {
        let mut child = std::process::Command::new("sleep")
            .arg("10")
            .spawn()
            .unwrap();
        let table = table();
        let me = me();
        let pid = child.id() as i32;
        assert!(table.contains_key(&me));
        assert_eq!(table[&pid].ppid, me);
        assert!(descendants(&table, me).contains(&pid));
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn a_call_kills_only_its_own_processes() {
        become_subreaper();
        let (ours, theirs) = (new_call_id(), new_call_id());
        assert_ne!(ours, theirs);
        let start = |id: &str| {
            std::process::Command::new("sleep")
                .arg("10")
                .env(CALL_VAR, id)
                .spawn()
                .unwrap()
        };
        let mut a = start(&ours);
        let mut b = start(&theirs);
        kill_call(&ours, None);
        // Reaped by the sweep: this handle's own wait finds nothing left to wait for.
        assert!(!matches!(a.try_wait(), Ok(None)), "our process was killed");
        assert_eq!(
            b.try_wait().unwrap(),
            None,
            "another call's process lives on"
        );
        b.kill().unwrap();
        b.wait().unwrap();
    }
}
