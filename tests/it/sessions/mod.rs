//! Saved conversations (`-c`, `--session`, `--no-save`, `--max-history`, `--list-sessions`)
//! and the usage ledger in `<data>/qwen.db`.

use std::path::Path;

use serde_json::{Value, json};
use wiremock::MockServer;

use crate::common::*;

mod ledger;
mod manage;

async fn ok_server(reply: &[&str]) -> MockServer {
    let server = MockServer::start().await;
    chat().respond_with(stream(reply)).mount(&server).await;
    server
}

fn user(text: &str) -> Value {
    json!({"role": "user", "content": text})
}

fn assistant(text: &str) -> Value {
    json!({"role": "assistant", "content": text})
}

#[tokio::test]
async fn continue_sends_the_previous_exchange() {
    let server = ok_server(&["Hel", "lo"]).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-c", "again"])).success();
    let bodies = bodies(&server).await;
    assert_eq!(
        bodies[1]["messages"],
        json!([user("hi"), assistant("Hello"), user("again")])
    );
}

#[tokio::test]
async fn continue_keeps_a_conversations_system_prompt() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-s", "Be terse.", "hi"])).success();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-c", "more"])).success();
    let bodies = bodies(&server).await;
    assert_eq!(
        bodies[1]["messages"],
        json!([{"role": "system", "content": "Be terse."}, user("hi"), assistant("ok"), user("more")])
    );
}

#[tokio::test]
async fn named_sessions_keep_separate_histories() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "--session", "a", "one"])).success();
    run(qwen(&server.uri(), d).args(["chat", "--session", "b", "two"])).success();
    run(qwen(&server.uri(), d).args(["chat", "--session", "a", "three"])).success();
    run(qwen(&server.uri(), d).args(["chat", "--session", "b", "four"])).success();
    let bodies = bodies(&server).await;
    assert_eq!(
        bodies[0]["messages"],
        json!([user("one")]),
        "a new session starts empty"
    );
    assert_eq!(bodies[1]["messages"], json!([user("two")]));
    assert_eq!(
        bodies[2]["messages"],
        json!([user("one"), assistant("ok"), user("three")])
    );
    assert_eq!(
        bodies[3]["messages"],
        json!([user("two"), assistant("ok"), user("four")])
    );
}

/// `qwen chat -c again` finds nothing to continue: it starts a new conversation, with a
/// note, and sends the prompt alone.
async fn assert_nothing_to_continue(server: &MockServer, dir: &Path) {
    let a = run(qwen(&server.uri(), dir).args(["chat", "-c", "again"])).success();
    assert!(
        stderr(&a).contains("no earlier conversation to continue: this starts a new one"),
        "{}",
        stderr(&a)
    );
    let sent = bodies(server).await;
    assert_eq!(sent.last().unwrap()["messages"], json!([user("again")]));
}

#[tokio::test]
async fn continue_with_no_previous_conversation_starts_one_with_a_note() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    assert_nothing_to_continue(&server, dir.path()).await;
    // What it started is there to continue.
    run(qwen(&server.uri(), dir.path()).args(["chat", "-c", "more"])).success();
    let sent = bodies(&server).await;
    assert_eq!(
        sent[1]["messages"],
        json!([user("again"), assistant("ok"), user("more")])
    );
    // `--quiet` drops the note.
    let empty = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), empty.path()).args(["-q", "chat", "-c", "x"]))
        .success()
        .stderr("");
}

#[tokio::test]
async fn no_save_leaves_nothing_to_continue() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-save", "hi"])).success();
    assert_nothing_to_continue(&server, dir.path()).await;
}

#[tokio::test]
async fn save_conversations_false_in_config_saves_nothing() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "save_conversations = false\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "-c", "again"])).success();
    assert!(
        stderr(&a).contains("no earlier conversation"),
        "{}",
        stderr(&a)
    );
    let sent = bodies(&server).await;
    assert_eq!(sent[1]["messages"], json!([user("again")]));
}

#[tokio::test]
async fn failed_request_is_not_saved() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            400,
            json!({"code": "InvalidParameter", "message": "bad"}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    assert_nothing_to_continue(&server, dir.path()).await;
}

#[tokio::test]
async fn max_history_sends_only_the_latest_turns() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "first"])).success();
    run(qwen(&server.uri(), d).args(["chat", "-c", "second"])).success();
    let a =
        run(qwen(&server.uri(), d).args(["chat", "-c", "--max-history", "2", "third"])).success();
    let sent = bodies(&server).await;
    assert_eq!(
        sent[2]["messages"],
        json!([user("second"), assistant("ok"), user("third")])
    );
    assert!(
        stderr(&a).contains("sent the last 2 of 4 earlier messages"),
        "{}",
        stderr(&a)
    );
    // The trimmed turns are still saved: without the limit, all of them are sent again.
    run(qwen(&server.uri(), d).args(["chat", "-c", "fourth"])).success();
    let all = bodies(&server).await;
    assert_eq!(all[3]["messages"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn list_sessions_shows_saved_conversations() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "--session", "work", "plan the sprint"])).success();
    run(qwen(&server.uri(), d).args(["chat", "-m", "qwen-max", "unnamed question"])).success();
    let a = run(&mut list_sessions(d, &[])).success();
    let out = stdout(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("ID  NAME") && lines[0].ends_with("LAST USED         FIRST PROMPT"),
        "{out}"
    );
    assert!(
        lines[1].contains("qwen-max") && lines[1].contains("unnamed question"),
        "{out}"
    );
    assert!(
        lines[2].contains("work") && lines[2].contains("plan the sprint"),
        "{out}"
    );
}

#[tokio::test]
async fn list_sessions_in_jsonl() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--session", "work", "plan"])).success();
    let a = run(&mut list_sessions(dir.path(), &["--format", "jsonl"])).success();
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["v"], 1);
    assert_eq!(lines[0]["name"], "work");
    assert_eq!(lines[0]["messages"], 2);
    assert_eq!(lines[0]["preview"], "plan");
}

#[tokio::test]
async fn list_sessions_in_json_is_one_document() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "--session", "work", "plan"])).success();
    run(qwen(&server.uri(), d).args(["chat", "another"])).success();
    let a = run(&mut list_sessions(d, &["--format", "json"])).success();
    let doc: Value = serde_json::from_str(&stdout(&a)).expect("one JSON document");
    assert_eq!(doc["v"], 1);
    let sessions = doc["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{doc}");
    assert_eq!(sessions[1]["name"], "work");
    assert_eq!(sessions[1]["preview"], "plan");
    assert!(
        sessions[0].get("v").is_none(),
        "the document carries the version"
    );
    // No conversations yet: still one document.
    let empty = tempfile::tempdir().unwrap();
    let a = run(&mut list_sessions(empty.path(), &["--format", "json"])).success();
    assert_eq!(stdout(&a), "{\"v\":1,\"sessions\":[]}\n");
}

#[test]
fn list_sessions_with_no_store_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    run(&mut list_sessions(dir.path(), &[]))
        .success()
        .stdout("");
}

#[test]
fn list_sessions_works_when_the_environment_sets_global_options() {
    // `DASHSCOPE_BASE_URL` and `QWEN_MODEL` are commonly exported in a user's shell; they
    // must not make `--list-sessions` a usage error.
    let dir = tempfile::tempdir().unwrap();
    run(qwen("http://127.0.0.1:9", dir.path())
        .env("QWEN_MODEL", "qwen-max")
        .args(["chat", "--list-sessions"]))
    .success()
    .stdout("");
}

/// `qwen [global] chat --list-sessions` with no global option set from the environment:
/// listing needs no server.
fn list_sessions(dir: &Path, global: &[&str]) -> assert_cmd::Command {
    let mut cmd = qwen("http://127.0.0.1:9", dir);
    cmd.env_remove("DASHSCOPE_BASE_URL")
        .args(global)
        .args(["chat", "--list-sessions"]);
    cmd
}

#[tokio::test]
async fn long_conversations_are_trimmed_to_the_models_context_window() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // About 15,000 tokens each by the catalogue's estimate; qwen-max takes 30,720.
    let big = |c: char| c.to_string().repeat(60_000);
    run(qwen(&server.uri(), d).arg("chat").write_stdin(big('a'))).success();
    run(qwen(&server.uri(), d)
        .args(["chat", "-c"])
        .write_stdin(big('b')))
    .success();
    run(qwen(&server.uri(), d)
        .args(["chat", "-c"])
        .write_stdin(big('c')))
    .success();
    let a =
        run(qwen(&server.uri(), d).args(["chat", "-c", "--no-stdin", "-m", "qwen-max", "sum up"]))
            .success();
    let sent = bodies(&server).await;
    let last = sent[3]["messages"].as_array().unwrap();
    assert_eq!(last.len(), 5, "the two latest turns and the prompt");
    assert!(last[0]["content"].as_str().unwrap().starts_with('b'));
    assert!(last[2]["content"].as_str().unwrap().starts_with('c'));
    assert!(
        stderr(&a).contains("sent the last 4 of 6 earlier messages"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn many_processes_starting_one_new_session_at_once_save_every_turn() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    const RUNS: usize = 12;
    let children: Vec<_> = (0..RUNS)
        .map(|i| {
            std_qwen(&server.uri(), dir.path())
                .args(["chat", "--session", "shared", &format!("turn {i}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert_eq!(err, "", "no store warning");
    }
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let conversations: i64 = db
        .query_row("SELECT count(*) FROM conversations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(conversations, 1);
    let messages: i64 = db
        .query_row(
            "SELECT count(*) FROM messages JOIN conversations c ON c.id = conversation_id
             WHERE c.name = 'shared'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(messages, 2 * RUNS as i64, "every turn is saved");
}

#[test]
fn an_exchange_cut_by_a_closed_stdout_is_saved_as_received() {
    use std::io::Read;
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let before = RawServer::start(
        sse_frames(&[Piece::Text("old answer")])
            .into_iter()
            .map(Step::Send)
            .collect(),
        End::Finish,
    );
    run(qwen(&before.uri(), dir.path()).args(["chat", "old question"])).success();

    // `qwen chat … | head -1`: the reader goes after the first line.
    let first = frame(&chunk(json!({"content": "", "role": "assistant"}), None));
    let mut steps = vec![Step::Send(first)];
    for text in ["first ", "line\n", "second ", "line"] {
        steps.push(Step::Send(text_frame(text)));
        steps.push(Step::Pause(Duration::from_millis(150)));
    }
    steps.extend(tail_frames().into_iter().map(Step::Send));
    let server = RawServer::start(steps, End::Finish);
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "new question"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while !seen.contains(&b'\n') {
        assert!(Instant::now() < deadline, "no first line: {seen:?}");
        let mut buf = [0u8; 64];
        let n = out.read(&mut buf).unwrap();
        assert!(n > 0);
        seen.extend_from_slice(&buf[..n]);
    }
    drop(out);
    let status = wait_for(&mut child, Duration::from_secs(5));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");

    // What arrived is saved, so `-c` continues this exchange, not the one before it.
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let code: Option<String> = db
        .query_row(
            "SELECT error_code FROM calls ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(code.as_deref(), Some("output_closed"));
    drop(db);
    let next = RawServer::start(
        sse_frames(&[Piece::Text("ok")])
            .into_iter()
            .map(Step::Send)
            .collect(),
        End::Finish,
    );
    run(qwen(&next.uri(), dir.path()).args(["chat", "-c", "go on"])).success();
    let store = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let mut stmt = store
        .prepare(
            "SELECT role, content FROM messages WHERE conversation_id =
               (SELECT id FROM conversations ORDER BY updated_ms DESC, id DESC LIMIT 1)
             ORDER BY id",
        )
        .unwrap();
    let messages: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let received = messages[1].1.as_str();
    assert_eq!(messages[0], ("user".to_owned(), "new question".to_owned()));
    assert_eq!(messages[1].0, "assistant");
    assert!(
        received.starts_with("first line\n") && "first line\nsecond line".starts_with(received),
        "{received:?}"
    );
    assert_eq!(messages[2], ("user".to_owned(), "go on".to_owned()));
    assert_eq!(messages.len(), 4, "{messages:?}");
}
