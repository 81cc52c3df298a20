//! Command tools as processes: timeouts kill the whole group, output caps, and what leaves
//! the session neither hangs a call nor survives it.

use super::*;

#[tokio::test]
async fn a_timeout_kills_the_tool_and_its_children() {
    let s = Setup::new(
        r#"
[[tool]]
name = "hang"
command = ["./hang.sh"]
timeout = "2s"
allow = true
"#,
    );
    // A background child in the tool's group, and the tool itself, both sleep for long.
    s.script(
        "hang.sh",
        "sleep 60 &\necho $! > \"$DIR/child\"\necho $$ > \"$DIR/tool\"\nsleep 60\n",
    );
    let server = model(vec![calls_sse(&[("c1", "hang", "{}")]), sse(&["gave up"])]).await;
    let started = Instant::now();
    let a = run(s.qwen(&server).arg("go"));
    a.success().stdout("gave up\n");
    assert!(started.elapsed() < Duration::from_secs(15));
    let second = messages(&server, 1).await;
    assert_eq!(
        second[2]["content"],
        "error: `hang` timed out after 2s and was killed"
    );
    for file in ["child", "tool"] {
        let pid = s.marker(file).pop().expect("the tool wrote its pids");
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(&pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            !alive(&pid),
            "the {file} process {pid} survived the timeout"
        );
    }
}

#[tokio::test]
async fn a_flood_of_output_is_truncated_with_a_marker() {
    let s = Setup::new(
        r#"
[[tool]]
name = "flood"
command = ["yes", "flood"]
max_output_bytes = 1000
allow = true
"#,
    );
    let server = model(vec![calls_sse(&[("c1", "flood", "{}")]), sse(&["ok"])]).await;
    let a = run(s.qwen(&server).args(["--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    let second = messages(&server, 1).await;
    let content = second[2]["content"].as_str().unwrap();
    assert!(content.starts_with("flood\nflood\n"), "{content}");
    assert!(
        content.ends_with("\n[output truncated: the tool printed more than 1000 bytes]"),
        "{content}"
    );
    assert!(content.len() < 1100);
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["truncated"], true);
    assert_eq!(result["status"], "ok");
}

#[tokio::test]
async fn a_python_tool_cut_at_the_cap_is_a_truncated_success() {
    let s = Setup::new(
        r#"
[[tool]]
name = "flood"
command = ["python3", "-c", "print('x' * 200000)"]
max_output_bytes = 100
"#,
    );
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "call", "--tools"])
        .arg(s.path("defs/tools.toml"))
        .args(["flood", "{}"]));
    let a = a.success().stdout("x".repeat(100));
    let err = stderr(&a);
    assert_eq!(
        err, "qwen: note: output truncated at 100 bytes (`max_output_bytes`)\n",
        "the tool's BrokenPipeError is not passed on"
    );

    let server = model(vec![calls_sse(&[("c1", "flood", "{}")]), sse(&["ok"])]).await;
    let a = run(s
        .qwen(&server)
        .args(["--allow", "flood", "--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(
        (result["status"].as_str(), result["truncated"].as_bool()),
        (Some("ok"), Some(true))
    );
    assert_eq!(
        messages(&server, 1).await[2]["content"],
        format!(
            "{}\n[output truncated: the tool printed more than 100 bytes]",
            "x".repeat(100)
        )
    );
}

/// A tool that starts a process which leaves its session (`setsid`) holding stdout, one
/// that also drops the environment, prints `done` and exits.
const ESCAPE: &str = r#"
[[tool]]
name = "escape"
command = ["./escape.sh"]
timeout = "8s"
allow = true
"#;

fn escape_setup() -> Setup {
    let s = Setup::new(ESCAPE);
    s.script(
        "escape.sh",
        r#"setsid sh -c 'echo $$ > "$DIR/escaped.tmp"; mv "$DIR/escaped.tmp" "$DIR/escaped"; exec sleep 60' &
setsid env -i sh -c 'echo $$ > "$DIR/scrubbed.tmp"; mv "$DIR/scrubbed.tmp" "$DIR/scrubbed"; exec sleep 60' &
while [ ! -s "$DIR/escaped" ] || [ ! -s "$DIR/scrubbed" ]; do sleep 0.02; done
echo done
"#,
    );
    s
}

fn assert_dead_soon(s: &Setup, file: &str, what: &str) {
    let pid = s.marker(file).pop().expect("the tool wrote its pid");
    let deadline = Instant::now() + Duration::from_secs(3);
    while alive(&pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(&pid), "{what} {pid} survived");
}

#[tokio::test]
async fn a_process_that_leaves_the_session_neither_hangs_the_call_nor_survives_it() {
    let s = escape_setup();
    let started = Instant::now();
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "call", "--tools"])
        .arg(s.path("defs/tools.toml"))
        .args(["escape", "{}"]));
    a.success().stdout("done\n");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "waited for the escaped processes: {:?}",
        started.elapsed()
    );
    assert_dead_soon(&s, "escaped", "the process that called setsid");
    assert_dead_soon(
        &s,
        "scrubbed",
        "the process that also dropped its environment",
    );

    // In the loop: an `ok` result, not a false timeout.
    let s = escape_setup();
    let server = model(vec![calls_sse(&[("c1", "escape", "{}")]), sse(&["ok"])]).await;
    let a = run(s.qwen(&server).args(["--format", "jsonl", "go"]));
    let events = jsonl(&a.success());
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["status"], "ok", "{result}");
    assert_eq!(result["content"], "done\n");
    assert!(result["duration_ms"].as_u64().unwrap() < 4_000, "{result}");
    assert_dead_soon(&s, "escaped", "the process that called setsid");
    assert_dead_soon(
        &s,
        "scrubbed",
        "the process that also dropped its environment",
    );
}
