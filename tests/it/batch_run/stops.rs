//! Stopping a run: Ctrl-C drains (up to `--drain-timeout`) or abandons, a closed stdout, and
//! the progress display on a terminal.

use super::*;

/// Starts `qwen batch` over six files against a server that never answers, and waits
/// until three requests (`-j 3`) are in flight.
fn hung_batch(dir: &Path, server: &FaultServer, extra: &[&str]) -> Child {
    let docs = docs(dir, 6);
    let child = std_qwen(&server.uri(), dir)
        .arg("batch")
        .arg(&docs)
        .args(["-j", "3"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_requests(server, 3);
    child
}

/// Checks the three abandoned items: an `interrupted` line each, and a ledger row each.
fn check_abandoned(dir: &Path, out: &std::process::Output) {
    let lines = lines_of(&out.stdout);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for line in &lines {
        assert_eq!(line["status"], "interrupted", "{line}");
        assert_eq!(line["error"]["code"], "interrupted");
        assert_eq!(line["attempts"], 1);
    }
    let rows = ledger(dir);
    assert_eq!(rows.len(), 3, "{rows:?}");
    for (item, status, code) in &rows {
        assert!(lines.iter().any(|l| l["id"] == item.as_str()), "{item}");
        assert_eq!((*status, code.as_deref()), (None, Some("interrupted")));
    }
}

#[test]
fn the_first_ctrl_c_waits_only_the_drain_timeout_for_hung_requests() {
    let dir = tempfile::tempdir().unwrap();
    let server = FaultServer::ok_after(Duration::from_secs(120));
    let mut child = hung_batch(dir.path(), &server, &["--drain-timeout", "300ms"]);
    sigint(&child);
    let sent = Instant::now();
    let status = wait_for(&mut child, Duration::from_secs(5));
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "{:?}",
        sent.elapsed()
    );
    let out = child.wait_with_output().unwrap();
    assert_no_key(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("`--drain-timeout` passed"), "{err}");
    assert!(err.contains("3 interrupted"), "{err}");
    check_abandoned(dir.path(), &out);
    assert_eq!(server.requests(), 3, "nothing started after Ctrl-C");
}

#[test]
fn a_second_ctrl_c_abandons_at_once_and_every_attempt_reaches_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let server = FaultServer::ok_after(Duration::from_secs(120));
    let mut child = hung_batch(dir.path(), &server, &[]);
    sigint(&child);
    std::thread::sleep(Duration::from_millis(300));
    sigint(&child);
    let status = wait_for(&mut child, Duration::from_secs(5));
    let out = child.wait_with_output().unwrap();
    assert_no_key(&out);
    assert_eq!(
        status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_abandoned(dir.path(), &out);
}

#[test]
fn a_bad_drain_timeout_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--drain-timeout", "soon"]))
    .code(2);
    assert!(stderr(&assert).contains("invalid `--drain-timeout`"));
    assert_eq!(server.requests(), 0);
}

#[test]
fn a_closed_stdout_leaves_a_ledger_row_for_every_request_served() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 20);
    // The first item answers at once; the others take a while, so several are in flight
    // when the reader goes away (`qwen batch … | head -c 1`).
    let server = FaultServer::start(|prompt, _| {
        let delay = if prompt == "doc 0" { 0 } else { 400 };
        (
            Duration::from_millis(delay),
            Reply::Ok(format!("re: {prompt}")),
        )
    });
    let mut child = std_qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "4", "--ordered"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let status = wait_for(&mut child, Duration::from_secs(10));
    let out = child.wait_with_output().unwrap();
    assert_no_key(&out);
    assert_eq!(
        status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = ledger(dir.path());
    let served = server.requests();
    assert!(served >= 4, "{served}");
    assert!(
        rows.len() >= served,
        "{served} requests served, {} ledger rows: {rows:?}",
        rows.len()
    );
    assert!(
        rows.iter()
            .any(|(_, _, code)| code.as_deref() == Some("output_closed")),
        "{rows:?}"
    );
}

/// Replays what a terminal was sent and returns the non-empty lines left on its screen:
/// enough of a terminal for indicatif's redraws (carriage return, erase in line, cursor
/// up and down).
fn screen(raw: &str) -> Vec<String> {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                if row == lines.len() {
                    lines.push(Vec::new());
                }
            }
            '\x1b' => {
                if chars.next() != Some('[') {
                    continue;
                }
                let mut param = String::new();
                let command = loop {
                    match chars.next() {
                        Some(c) if c.is_ascii_digit() || c == ';' || c == '?' => param.push(c),
                        Some(c) => break c,
                        None => break '\0',
                    }
                };
                let n = param.parse::<usize>().unwrap_or(1).max(1);
                match command {
                    'A' => row = row.saturating_sub(n),
                    'B' => {
                        row += n;
                        while lines.len() <= row {
                            lines.push(Vec::new());
                        }
                    }
                    'K' if param == "2" => lines[row].clear(),
                    'K' => lines[row].truncate(col),
                    'J' => {
                        lines[row].truncate(col);
                        lines.truncate(row + 1);
                    }
                    _ => {} // colours, cursor visibility
                }
            }
            c => {
                let line = &mut lines[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_terminal_shows_a_count_while_listing_then_a_bar_and_no_stale_lines() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in [("a.md", "doc a"), ("b.md", "doc b"), ("c.md", "slow c")] {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let server = FaultServer::start(|prompt, _| {
        let delay = if prompt.starts_with("slow") { 1500 } else { 0 };
        (
            Duration::from_millis(delay),
            Reply::Ok(format!("re: {prompt}")),
        )
    });
    let path = |name: &str| format!("{}\n", docs.join(name).display());
    // Two paths on stdin, then (once their lines are on the terminal) the third, slow one:
    // until stdin ends the total is unknown; after it, it is 3.
    let base = std_qwen(&server.uri(), dir.path());
    let mut cmd = std::process::Command::new("python3");
    cmd.env_clear();
    for (name, value) in base.get_envs() {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    let output = cmd
        .env("TERM", "xterm")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pty_progress.py"))
        .arg(path("a.md") + &path("b.md"))
        .arg(path("c.md"))
        .arg("--")
        .arg(base.get_program())
        .args(["batch", "-"])
        .output()
        .unwrap();
    assert_no_key(&output);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let before = report["before"].as_str().unwrap();
    let terminal = report["terminal"].as_str().unwrap();
    assert_eq!(report["code"], 0, "{terminal}");

    // While the list is still coming: a count out of `?`, no bar and no ETA.
    assert!(before.contains(" 2/? "), "{before:?}");
    assert!(
        !before.contains("ETA") && !before.contains("2/2"),
        "{before:?}"
    );
    // Once it has ended: the real total, with the bar and an ETA.
    let after = &terminal[before.len()..];
    assert!(
        after.contains(" 2/3 ") && after.contains("ETA"),
        "{after:?}"
    );

    // The screen holds the three result lines, whole, and the summary: no bar frame was
    // left behind between them.
    let shown = screen(terminal);
    let results: Vec<Value> = shown
        .iter()
        .filter(|l| !l.starts_with("qwen: batch:"))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("a stale line: {l:?}")))
        .collect();
    assert_eq!(results.len(), 3, "{shown:#?}");
    assert!(results.iter().all(|r| r["status"] == "ok"));
    assert!(
        shown
            .last()
            .unwrap()
            .starts_with("qwen: batch: 3 item(s): 3 ok")
    );
}
