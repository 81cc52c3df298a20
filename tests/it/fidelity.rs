//! What the server said, reported as it said it: the model that answered, request ids of
//! errors inside 200 replies, the native path a model is bound to, `--schema`'s prompt
//! sentence, and a missing `/v1` named as such.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// A 200 SSE reply with no `x-request-id` header.
fn bare_sse(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")
}

/// An SSE reply streaming `texts` whose chunks name `model`.
fn stream_as(model: &str, texts: &[&str]) -> ResponseTemplate {
    sse_response(sse(texts).replace("\"model\":\"qwen-plus\"", &format!("\"model\":\"{model}\"")))
}

fn ledger_models(dir: &std::path::Path) -> Vec<(String, Option<String>)> {
    let db = rusqlite::Connection::open(dir.join("data/qwen.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT model, requested_model FROM calls ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn the_model_that_answered_is_reported_beside_the_one_asked_for() {
    let server = MockServer::start().await;
    let served = "qwen-plus-2025-07-28";
    chat()
        .respond_with(stream_as(served, &["Hi"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let asked = ["-m", "qwen-plus-latest"];
    let a = run(qwen(&server.uri(), dir.path())
        .args(["chat", "--format", "jsonl"])
        .args(asked)
        .arg("hi"))
    .success();
    let done = jsonl(&a).pop().unwrap();
    assert_eq!(done["model"], served, "{done}");
    assert_eq!(done["requested_model"], "qwen-plus-latest", "{done}");
    let a = run(qwen(&server.uri(), dir.path())
        .args(["chat", "--format", "json"])
        .args(asked)
        .arg("hi"))
    .success();
    let v = &jsonl(&a)[0];
    assert_eq!(
        (&v["model"], &v["requested_model"]),
        (&json!(served), &json!("qwen-plus-latest"))
    );
    // Where they agree, there is nothing to add.
    let a = run(
        qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "-m", served, "hi"])
    )
    .success();
    let done = jsonl(&a).pop().unwrap();
    assert!(done.get("requested_model").is_none(), "{done}");

    std::fs::write(dir.path().join("a.txt"), "hi\n").unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .current_dir(dir.path())
        .args(["batch", "a.txt"])
        .args(asked))
    .success();
    let line = &jsonl(&a)[0];
    assert_eq!(
        (&line["model"], &line["requested_model"]),
        (&json!(served), &json!("qwen-plus-latest"))
    );

    // `tools run`'s `done` says so too.
    let tools = dir.path().join("tools.toml");
    std::fs::write(
        &tools,
        "[[tool]]\nname = \"noop\"\ndescription = \"Nothing\"\ncommand = [\"true\"]\n",
    )
    .unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .args(["tools", "run", "--format", "jsonl", "--tools"])
        .arg(&tools)
        .args(asked)
        .arg("hi"))
    .success();
    let done = jsonl(&a).pop().unwrap();
    assert_eq!(
        (&done["model"], &done["requested_model"]),
        (&json!(served), &json!("qwen-plus-latest")),
        "{done}"
    );

    let rows = ledger_models(dir.path());
    assert_eq!(rows.len(), 5, "{rows:?}");
    let log = run(qwen(&server.uri(), dir.path()).args(["usage", "log", "--format", "jsonl"]));
    let log = jsonl(&log.success());
    let asked_for: Vec<&Value> = log.iter().map(|r| &r["requested_model"]).collect();
    assert_eq!(asked_for.len(), 5, "{log:?}");
    assert_eq!(
        asked_for
            .iter()
            .filter(|v| **v == "qwen-plus-latest")
            .count(),
        4,
        "{log:?}"
    );
    assert!(
        log.iter().any(|r| r["requested_model"].is_null()),
        "{log:?}"
    );
    for (i, row) in rows.iter().enumerate() {
        let want = if i == 2 {
            None
        } else {
            Some("qwen-plus-latest".to_owned())
        };
        assert_eq!(row, &(served.to_owned(), want), "row {i}");
    }

    let a = run(qwen(&server.uri(), dir.path()).args(asked).arg("doctor"));
    let out = format!("{}{}", stdout(&a), stderr(&a));
    assert!(
        out.contains(&format!(
            "`{served}` (asked for `qwen-plus-latest`) answered"
        )),
        "{out}"
    );
}

#[tokio::test]
async fn an_error_inside_a_200_reply_keeps_its_request_id() {
    let server = MockServer::start().await;
    let inspection = json!({"message": "Output data may contain inappropriate content.",
                            "code": "data_inspection_failed", "type": "data_inspection_failed"});
    // A whole reply that is an error object, with the request id beside it.
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"error": inspection, "request_id": "req-body-1", "id": "chatcmpl-nope"}),
        ))
        .mount(&server)
        .await;
    // A stream that breaks off with `data: {"error":…}` after some text.
    let mid = format!(
        "{}{}",
        text_frame("Par"),
        frame(&json!({"error": inspection, "request_id": "req-mid-1", "id": "chatcmpl-nope"}))
    );
    Mock::given(method("POST"))
        .and(path("/v2/chat/completions"))
        .respond_with(bare_sse(mid.clone()))
        .mount(&server)
        .await;
    // The same, with the header too: the header wins.
    Mock::given(method("POST"))
        .and(path("/v3/chat/completions"))
        .respond_with(bare_sse(mid).insert_header("x-request-id", "req-header-1"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    for (base, args, want) in [
        ("/v1", &["--no-stream"][..], "req-body-1"),
        ("/v2", &[][..], "req-mid-1"),
        ("/v3", &[][..], "req-header-1"),
    ] {
        let url = format!("{}{base}", server.uri());
        let a = run(qwen(&url, dir.path())
            .args(["chat", "--format", "jsonl"])
            .args(args)
            .arg("hi"))
        .code(1);
        let last = jsonl(&a).pop().unwrap();
        assert_eq!(last["type"], "error", "{last}");
        assert_eq!(last["request_id"], want, "{base}: {last}");
        assert!(
            stderr(&a).contains(&format!("(request id {want})")),
            "{}",
            stderr(&a)
        );
    }
}

#[tokio::test]
async fn a_completion_id_is_never_a_request_id() {
    let server = MockServer::start().await;
    // No `x-request-id` header and no `request_id`: only the `chatcmpl-…` completion id.
    chat()
        .respond_with(bare_sse(sse(&["Hi"])))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "hi"])).success();
    let done = jsonl(&a).pop().unwrap();
    assert_eq!(done["request_id"], Value::Null, "{done}");
}

/// The gateway's answer to a model sent to the generation path it is not bound to.
fn url_error() -> Value {
    json!({"code": "InvalidParameter", "message": "url error, please check url！",
           "request_id": "bd41-url"})
}

#[tokio::test]
async fn a_native_url_error_moves_the_model_to_the_other_path_and_is_remembered() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(error(400, url_error()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .respond_with(native_stream(&["Hello"]))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let base = native_base(&server.uri());
    let native = [
        "--api",
        "native",
        "chat",
        "-m",
        "qwen-plus",
        "--format",
        "jsonl",
        "hi",
    ];
    let a = run(qwen(&base, dir.path()).args(native)).success();
    let lines = jsonl(&a);
    assert_eq!(lines[0]["text"], "Hello");
    assert_eq!(lines.last().unwrap()["attempts"], 2);
    let bodies = bodies(&server).await;
    assert_eq!(
        bodies[1]["input"]["messages"][0]["content"],
        json!([{"text": "hi"}]),
        "the multimodal path takes content parts"
    );
    // The next run goes straight to the path that worked, and `--dry-run` shows it.
    let a = run(qwen(&base, dir.path()).args(native)).success();
    assert_eq!(jsonl(&a).last().unwrap()["attempts"], 1);
    let a = run(qwen(&base, dir.path()).args([
        "--api",
        "native",
        "chat",
        "-m",
        "qwen-plus",
        "--dry-run",
        "hi",
    ]))
    .success();
    assert!(
        stdout(&a).contains(NATIVE_MULTIMODAL_PATH),
        "{}",
        stdout(&a)
    );
}

#[tokio::test]
async fn a_url_error_as_an_event_on_a_200_stream_moves_the_model_too() {
    let server = MockServer::start().await;
    // A Qwen3.5+ model goes to the multimodal path first; this gateway binds it to text.
    let event = format!(
        "id:1\nevent:error\n:HTTP_STATUS/400\ndata:{}\n\n",
        url_error()
    );
    Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .respond_with(sse_response(event))
        .expect(1)
        .mount(&server)
        .await;
    native_chat()
        .respond_with(native_stream(&["Hello"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "-m",
        "qwen3.6-plus",
        "hi",
    ]))
    .success()
    .stdout("Hello\n");
    let bodies = bodies(&server).await;
    assert_eq!(
        bodies[1]["input"]["messages"][0]["content"], "hi",
        "text path: plain content"
    );
}

#[tokio::test]
async fn a_url_error_on_both_paths_is_reported_not_looped() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error(400, url_error()))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&native_base(&server.uri()), dir.path()).args(["--api", "native", "chat", "hi"]))
            .code(1);
    assert!(stderr(&a).contains("url error"), "{}", stderr(&a));
}

#[test]
fn dry_run_shows_the_sentence_schema_adds() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("s.json");
    std::fs::write(&schema, r#"{"type":"object"}"#).unwrap();
    let a = run(qwen("http://127.0.0.1:9/v1", dir.path())
        .args(["chat", "--dry-run", "--format", "json", "--schema"])
        .arg(&schema)
        .arg("list three colours"))
    .success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["body"]["messages"][0]["role"], "system", "{v}");
    assert_eq!(
        v["body"]["messages"][0]["content"],
        "Reply with JSON matching the given schema."
    );
}

#[tokio::test]
async fn a_base_url_without_v1_gets_a_hint_about_the_url() {
    let server = MockServer::start().await;
    // What aiohttp, Go's net/http and many others answer for an unknown path.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_raw("404: Not Found", "text/plain"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    let err = stderr(&a);
    assert!(
        err.contains("error: request to `qwen-plus` failed: 404 Not Found\n"),
        "{err}"
    );
    assert!(!err.contains("404 404"), "{err}");
    assert!(err.contains("hint: the base URL"), "{err}");
    assert!(err.contains("`…/v1`"), "{err}");
    assert!(!err.contains("check the model name"), "{err}");
    // With a version in the path, a 404 is about the model.
    let a = run(qwen(&format!("{}/v1", server.uri()), dir.path()).args(["chat", "hi"])).code(1);
    assert!(
        stderr(&a).contains("check the model name"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn concurrent_batch_items_all_follow_the_moved_model() {
    let server = MockServer::start().await;
    // Every item is in flight before the first `url error` comes back.
    native_chat()
        .respond_with(error(400, url_error()).set_delay(std::time::Duration::from_millis(200)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .respond_with(native_stream(&["Hello"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines: String = (0..4)
        .map(|i| format!("{{\"id\":\"{i}\",\"prompt\":\"p{i}\"}}\n"))
        .collect();
    std::fs::write(&input, lines).unwrap();
    let a = run(qwen(&native_base(&server.uri()), dir.path())
        .args(["--api", "native", "batch", "-j", "4", "--input"])
        .arg(&input))
    .success();
    let out = jsonl(&a);
    assert_eq!(out.len(), 4);
    assert!(out.iter().all(|l| l["status"] == "ok"), "{out:?}");
}

#[tokio::test]
async fn a_remembered_native_route_is_keyed_without_the_url_password() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(error(400, url_error()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .respond_with(native_stream(&["Hello"]))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let password = "pa55-w0rd-in-url";
    let base = native_base(&server.uri());
    let with_password = base.replacen("http://", &format!("http://me:{password}@"), 1);
    let native = [
        "--api",
        "native",
        "chat",
        "-m",
        "qwen-plus",
        "--format",
        "jsonl",
        "hi",
    ];
    let a = run(qwen(&with_password, dir.path()).args(native)).success();
    assert_eq!(jsonl(&a).last().unwrap()["attempts"], 2);
    for name in ["qwen.db", "qwen.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.path().join("data").join(name)) else {
            continue;
        };
        let found = bytes
            .windows(password.len())
            .any(|w| w == password.as_bytes());
        assert!(!found, "the URL password is stored in {name}");
    }
    // The same endpoint without the userinfo finds the route learnt with it.
    let a = run(qwen(&base, dir.path()).args(native)).success();
    assert_eq!(jsonl(&a).last().unwrap()["attempts"], 1);
}
