//! `qwen sessions list|show|export|rename|rm`, `--session ID`, and what `-c` continues with
//! (the conversation's model and parameters).

use std::path::Path;

use serde_json::{Value, json};

use super::{assistant, ok_server, user};
use crate::common::*;

/// `qwen [global] sessions ARGS`: needs no server.
fn sessions(dir: &Path, global: &[&str], args: &[&str]) -> assert_cmd::Command {
    let mut cmd = qwen("http://127.0.0.1:9", dir);
    cmd.env_remove("DASHSCOPE_BASE_URL")
        .args(global)
        .arg("sessions")
        .args(args);
    cmd
}

fn listed(dir: &Path) -> Vec<Value> {
    jsonl(&run(&mut sessions(dir, &["--format", "jsonl"], &["list"])).success())
}

#[tokio::test]
async fn sessions_are_listed_shown_exported_renamed_and_removed_by_name_or_id() {
    let server = ok_server(&["o", "k"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "--session", "work", "plan the sprint"])).success();
    run(qwen(&server.uri(), d).args(["chat", "-m", "qwen-max", "unnamed question"])).success();

    let list = listed(d);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], Value::Null);
    assert_eq!(list[0]["model"], "qwen-max");
    assert_eq!(
        (&list[1]["name"], &list[1]["turns"]),
        (&json!("work"), &json!(1))
    );
    assert_eq!(list[1]["tokens"], USAGE.2, "the server's count");
    let unnamed = list[0]["id"].as_i64().unwrap().to_string();

    // `--list-sessions` is the same list.
    let text = stdout(&run(&mut sessions(d, &[], &["list"])).success());
    let mut alias = qwen("http://127.0.0.1:9", d);
    alias
        .env_remove("DASHSCOPE_BASE_URL")
        .args(["chat", "--list-sessions"]);
    assert_eq!(stdout(&run(&mut alias).success()), text);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .trim_start()
            .starts_with(&format!("{unnamed}  -")),
        "{text}"
    );

    // Piped, `show` is plain text.
    let a = run(&mut sessions(d, &[], &["show", "work"])).success();
    assert_eq!(stdout(&a), "you:\nplan the sprint\n\nqwen-plus:\nok\n");
    let a = run(&mut sessions(d, &[], &["show", &unnamed])).success();
    assert_eq!(stdout(&a), "you:\nunnamed question\n\nqwen-max:\nok\n");

    // `export`: Markdown by default, JSON messages on request.
    let a = run(&mut sessions(d, &[], &["export", "work"])).success();
    assert_eq!(
        stdout(&a),
        "# work\n\n## User\n\nplan the sprint\n\n## Assistant (qwen-plus)\n\nok\n"
    );
    let lines = jsonl(
        &run(&mut sessions(
            d,
            &["--format", "jsonl"],
            &["export", "work"],
        ))
        .success(),
    );
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (&lines[0]["v"], &lines[0]["role"]),
        (&json!(1), &json!("user"))
    );
    assert_eq!(
        (&lines[1]["role"], &lines[1]["content"]),
        (&json!("assistant"), &json!("ok"))
    );
    let a = run(&mut sessions(
        d,
        &["--format", "json"],
        &["export", &unnamed],
    ))
    .success();
    let doc: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(doc["model"], "qwen-max");
    assert_eq!(doc["messages"][0]["content"], "unnamed question");

    // Rename by id; the new name continues it; a taken name is refused.
    run(&mut sessions(d, &[], &["rename", &unnamed, "home"])).success();
    let a = run(&mut sessions(d, &[], &["rename", "home", "work"])).code(2);
    assert!(
        stderr(&a).contains("the name `work` is taken"),
        "{}",
        stderr(&a)
    );
    run(qwen(&server.uri(), d).args(["chat", "--session", "home", "more"])).success();
    let sent = bodies(&server).await;
    assert_eq!(
        sent[2]["messages"],
        json!([user("unnamed question"), assistant("ok"), user("more")])
    );
    assert_eq!(sent[2]["model"], "qwen-max", "its own model");

    // `rm`: one unknown name deletes nothing; then by name.
    let a = run(&mut sessions(d, &[], &["rm", "work", "nope"])).code(2);
    assert!(
        stderr(&a).contains("there is no conversation `nope`"),
        "{}",
        stderr(&a)
    );
    assert_eq!(listed(d).len(), 2);
    let a = run(&mut sessions(d, &[], &["rm", "work"])).success();
    assert!(
        stderr(&a).contains("deleted 1 conversation"),
        "{}",
        stderr(&a)
    );
    run(&mut sessions(d, &[], &["show", "work"])).code(2);
    let left = listed(d);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["name"], "home");
}

#[tokio::test]
async fn rm_older_than_deletes_only_conversations_unused_that_long() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "--session", "old", "a"])).success();
    run(qwen(&server.uri(), d).args(["chat", "--session", "new", "b"])).success();
    let db = rusqlite::Connection::open(d.join("data/qwen.db")).unwrap();
    db.execute(
        "UPDATE conversations SET updated_ms = updated_ms - 31 * 86400000 WHERE name = 'old'",
        [],
    )
    .unwrap();
    drop(db);
    run(&mut sessions(d, &[], &["rm", "--older-than", "30d"])).success();
    let left = listed(d);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["name"], "new");
    let a = run(&mut sessions(d, &[], &["rm", "--older-than", "soon"])).code(2);
    assert!(stderr(&a).contains("--older-than"), "{}", stderr(&a));
    // Nothing named and no `--older-than` is a usage error.
    run(&mut sessions(d, &[], &["rm"])).code(2);
}

#[test]
fn sessions_show_with_no_store_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(&mut sessions(dir.path(), &[], &["show", "x"])).code(2);
    assert!(
        stderr(&a).contains("there is no conversation `x`"),
        "{}",
        stderr(&a)
    );
    run(&mut sessions(dir.path(), &[], &["list"]))
        .success()
        .stdout("");
}

#[tokio::test]
async fn continue_keeps_the_conversations_model_and_parameters() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "-m", "qwen-max", "--temperature", "0.2", "hi"]))
        .success();
    // `QWEN_MODEL` in the environment is not a choice made for this conversation.
    let a = run(qwen(&server.uri(), d)
        .env("QWEN_MODEL", "qwen-turbo")
        .args(["chat", "-c", "more"]))
    .success();
    assert_eq!(stderr(&a), "");
    let a = run(qwen(&server.uri(), d).args(["chat", "-c", "-m", "qwen-turbo", "again"])).success();
    assert!(
        stderr(&a)
            .contains("the conversation used `qwen-max`; `--model` switches it to `qwen-turbo`"),
        "{}",
        stderr(&a)
    );
    run(qwen(&server.uri(), d).args(["chat", "-c", "--temperature", "0.9", "last"])).success();
    let sent = bodies(&server).await;
    assert_eq!(
        (&sent[1]["model"], &sent[1]["temperature"]),
        (&json!("qwen-max"), &json!(0.2))
    );
    assert_eq!(
        (&sent[2]["model"], &sent[2]["temperature"]),
        (&json!("qwen-turbo"), &json!(0.2))
    );
    assert_eq!(
        (&sent[3]["model"], &sent[3]["temperature"]),
        (&json!("qwen-turbo"), &json!(0.9))
    );
    assert_eq!(sent[3]["messages"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn session_takes_the_ids_that_list_prints() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(qwen(&server.uri(), d).args(["chat", "first"])).success();
    run(qwen(&server.uri(), d).args(["chat", "second"])).success();
    let id = listed(d)[1]["id"].as_i64().unwrap().to_string();
    run(qwen(&server.uri(), d).args(["chat", "--session", &id, "more"])).success();
    let sent = bodies(&server).await;
    assert_eq!(
        sent[2]["messages"],
        json!([user("first"), assistant("ok"), user("more")])
    );
    assert_eq!(listed(d).len(), 2, "no conversation named after the id");
}

#[test]
fn a_one_shot_reply_cut_by_ctrl_c_is_saved_marked_and_continued() {
    use std::io::Read;
    use std::time::{Duration, Instant};

    let first = frame(&chunk(json!({"content": "", "role": "assistant"}), None));
    let steps = vec![Step::Send(first), Step::Send(text_frame("Hel"))];
    let server = RawServer::start(steps, End::Hang);
    let dir = tempfile::tempdir().unwrap();
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "hi"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while !seen.ends_with(b"Hel") {
        assert!(Instant::now() < deadline, "no reply: {seen:?}");
        let mut buf = [0u8; 64];
        let n = out.read(&mut buf).unwrap();
        assert!(n > 0);
        seen.extend_from_slice(&buf[..n]);
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(
        wait_for(&mut child, Duration::from_secs(5)).code(),
        Some(130)
    );

    let a = run(&mut sessions(
        dir.path(),
        &["--format", "jsonl"],
        &["export", "1"],
    ))
    .success();
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (&lines[1]["content"], &lines[1]["interrupted"]),
        (&json!("Hel"), &json!(true))
    );
    let server =
        crate::interactive::term::Sse::start(vec![crate::interactive::term::reply(&["lo"])]);
    run(qwen(&server.uri(), dir.path()).args(["chat", "-c", "go on"])).success();
    assert_eq!(
        server.bodies()[0]["messages"],
        json!([user("hi"), assistant("Hel"), user("go on")])
    );
}
