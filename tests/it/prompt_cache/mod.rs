//! The explicit prompt cache (`--cache-prompt`, issue #15): where the markers go on both
//! protocols, the minimum-size rule, models that do not take them, `auto`; and what the
//! service's cache usage becomes in the ledger, `-u` and `qwen usage`.

use serde_json::{Value, json};
use wiremock::MockServer;

use crate::common::*;

mod batch;
mod ledger;

/// Text of about `tokens` estimated tokens (four ASCII characters each).
pub fn text_of(tokens: usize) -> String {
    "abcd".repeat(tokens)
}

/// The body `qwen … --dry-run --format json` would send.
fn dry_body(dir: &std::path::Path, base: &str, args: &[&str]) -> (Value, String) {
    let a = run(qwen(base, dir)
        .args(["--format", "json"])
        .args(args)
        .arg("--dry-run"))
    .success();
    let v: Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    (v["body"].clone(), stderr(&a))
}

const MARK: &str = r#"{"type":"ephemeral"}"#;

fn marked(text: &str) -> Value {
    json!({"type": "text", "text": text, "cache_control": serde_json::from_str::<Value>(MARK).unwrap()})
}

#[test]
fn a_long_system_prompt_alone_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let system = text_of(1100);
    let (body, err) = dry_body(
        dir.path(),
        "http://127.0.0.1:9/v1",
        &["chat", "--cache-prompt", "-s", &system, "hi"],
    );
    assert_eq!(body["messages"][0]["content"], json!([marked(&system)]));
    assert_eq!(
        body["messages"][1]["content"],
        json!("hi"),
        "the question is not marked"
    );
    assert_eq!(err, "");
}

#[test]
fn files_go_first_and_end_the_cached_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, text_of(1500)).unwrap();
    let doc_arg = doc.display().to_string();
    let (body, _) = dry_body(
        dir.path(),
        "http://127.0.0.1:9/v1",
        &[
            "chat",
            "--cache-prompt",
            "-s",
            "Be brief.",
            "-f",
            &doc_arg,
            "What is it?",
        ],
    );
    let head = format!("<file path=\"{doc_arg}\">\n{}\n</file>\n\n", text_of(1500));
    // The system prompt alone is under the minimum: one marker, after the files.
    assert_eq!(body["messages"][0]["content"], json!("Be brief."));
    assert_eq!(
        body["messages"][1]["content"],
        json!([marked(&head), {"type": "text", "text": "What is it?"}])
    );
    // Without caching the documented order stands: the question, then the file.
    let (plain, _) = dry_body(
        dir.path(),
        "http://127.0.0.1:9/v1",
        &["chat", "-f", &doc_arg, "What is it?"],
    );
    assert!(
        plain["messages"][0]["content"]
            .as_str()
            .unwrap()
            .starts_with("What is it?")
    );
}

#[test]
fn the_minimum_is_estimated_and_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let base = "http://127.0.0.1:9/v1";
    let under = text_of(1023);
    let (body, err) = dry_body(
        dir.path(),
        base,
        &["chat", "--cache-prompt", "-s", &under, "q"],
    );
    assert_eq!(body["messages"][0]["content"], json!(under));
    assert!(
        err.contains("about 1023 tokens, under the minimum of 1024 (`cache_min_tokens`)"),
        "{err}"
    );
    let over = text_of(1024);
    let (body, err) = dry_body(
        dir.path(),
        base,
        &["chat", "--cache-prompt", "-s", &over, "q"],
    );
    assert_eq!(body["messages"][0]["content"], json!([marked(&over)]));
    assert_eq!(err, "");
    // `-q` silences the note; `cache_min_tokens` moves the line.
    let a = run(qwen(base, dir.path()).args([
        "-q",
        "chat",
        "--cache-prompt",
        "-s",
        &under,
        "q",
        "--dry-run",
    ]));
    a.success().stderr("");
    write_config(dir.path(), "cache_min_tokens = 500\n");
    let (body, _) = dry_body(
        dir.path(),
        base,
        &["chat", "--cache-prompt", "-s", &under, "q"],
    );
    assert_eq!(body["messages"][0]["content"], json!([marked(&under)]));
}

#[test]
fn models_without_explicit_caching_are_sent_plainly_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let base = "http://127.0.0.1:9/v1";
    let system = text_of(2000);
    let (body, err) = dry_body(
        dir.path(),
        base,
        &[
            "-m",
            "qwen-max",
            "chat",
            "--cache-prompt",
            "-s",
            &system,
            "q",
        ],
    );
    assert_eq!(body["messages"][0]["content"], json!(system));
    assert_eq!(
        err.matches("qwen: note: prompt cache:").count(),
        1,
        "once: {err}"
    );
    assert!(
        err.contains("`qwen-max` does not take explicit cache markers"),
        "{err}"
    );
    // A model nothing knows: markers only when asked for plainly.
    let (body, _) = dry_body(
        dir.path(),
        base,
        &[
            "-m",
            "my-local",
            "chat",
            "--cache-prompt",
            "-s",
            &system,
            "q",
        ],
    );
    assert_eq!(body["messages"][0]["content"], json!([marked(&system)]));
    let (body, err) = dry_body(
        dir.path(),
        base,
        &[
            "-m",
            "my-local",
            "chat",
            "--cache-prompt=auto",
            "-s",
            &system,
            "q",
        ],
    );
    assert_eq!(body["messages"][0]["content"], json!(system));
    assert_eq!(err, "", "auto explains itself only with -v");
}

#[test]
fn auto_marks_only_a_prefix_that_is_reused() {
    let dir = tempfile::tempdir().unwrap();
    let base = "http://127.0.0.1:9/v1";
    let system = text_of(2000);
    write_config(dir.path(), "cache_prompt = \"auto\"\n");
    // A one-off prompt: not reused, no marker.
    let (body, _) = dry_body(dir.path(), base, &["chat", "-s", &system, "q"]);
    assert_eq!(body["messages"][0]["content"], json!(system));
    // A named session will be continued: marked.
    let (body, _) = dry_body(
        dir.path(),
        base,
        &["chat", "--session", "s", "-s", &system, "q"],
    );
    assert_eq!(body["messages"][0]["content"], json!([marked(&system)]));
    // The flag wins over the profile.
    let (body, _) = dry_body(
        dir.path(),
        base,
        &[
            "chat",
            "--no-cache-prompt",
            "--session",
            "s",
            "-s",
            &system,
            "q",
        ],
    );
    assert_eq!(body["messages"][0]["content"], json!(system));
    write_config(dir.path(), "cache_prompt = \"sometimes\"\n");
    let a = run(qwen(base, dir.path()).args(["chat", "--dry-run", "q"]));
    let err = stderr(&a.code(2));
    assert!(
        err.contains("invalid `cache_prompt = \"sometimes\"`"),
        "{err}"
    );
}

#[tokio::test]
async fn a_continued_conversation_marks_its_last_earlier_turn() {
    let server = MockServer::start().await;
    chat()
        .respond_with(whole("first answer"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let long_question = text_of(1200);
    run(qwen(&server.uri(), dir.path()).args(["chat", "--session", "s", &long_question])).success();
    run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--session",
        "s",
        "--cache-prompt",
        "and then?",
    ]))
    .success();
    let bodies = bodies(&server).await;
    let first = &bodies[0]["messages"];
    assert_eq!(
        first[0]["content"],
        json!(long_question),
        "no history yet: nothing stable"
    );
    let second = &bodies[1]["messages"];
    assert_eq!(second[0]["content"], json!(long_question));
    assert_eq!(second[1]["role"], "assistant");
    assert_eq!(second[1]["content"], json!([marked("first answer")]));
    assert_eq!(second[2]["content"], json!("and then?"));
}

#[tokio::test]
async fn native_bodies_carry_the_same_markers() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let base = native_base(&server.uri());
    let system = text_of(1100);
    let (body, _) = dry_body(
        dir.path(),
        &base,
        &[
            "--api",
            "native",
            "chat",
            "--cache-prompt",
            "-s",
            &system,
            "q",
        ],
    );
    assert_eq!(
        body["input"]["messages"][0]["content"],
        json!([marked(&system)])
    );
    assert_eq!(body["input"]["messages"][1]["content"], json!("q"));
    // The multimodal path: parts without `type`.
    let (body, _) = dry_body(
        dir.path(),
        &base,
        &[
            "--api",
            "native",
            "-m",
            "qwen3.6-plus",
            "chat",
            "--cache-prompt",
            "-s",
            &system,
            "q",
        ],
    );
    assert_eq!(
        body["input"]["messages"][0]["content"],
        json!([{"text": system, "cache_control": {"type": "ephemeral"}}])
    );
    assert_eq!(
        body["input"]["messages"][1]["content"],
        json!([{"text": "q"}])
    );
}
