//! `qwen complete`: raw prompts to compat `/completions` and native `input.prompt`, with the
//! llama.cpp captures (`tests/fixtures/llama-completions*`) served byte for byte.

use std::path::Path;

use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

use crate::common::*;

fn completions() -> MockBuilder {
    Mock::given(method("POST")).and(path("/completions"))
}

fn captured_stream() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(fixture("llama-completions-stream.sse"), "text/event-stream")
}

fn ledger(server: &str, dir: &Path) -> Vec<Value> {
    let a = run(qwen(server, dir).args(["usage", "log", "--format", "jsonl"]));
    jsonl(&a.success())
}

#[tokio::test]
async fn streams_a_raw_prompt_from_the_completions_endpoint() {
    let server = MockServer::start().await;
    completions()
        .and(body_partial_json(json!({
            "model": "gemma-3-270m", "prompt": "The capital of France is", "max_tokens": 3,
            "stream": true, "stream_options": {"include_usage": true}
        })))
        .respond_with(captured_stream())
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args([
        "complete",
        "-m",
        "gemma-3-270m",
        "--max-tokens",
        "3",
        "The capital of France is",
    ]))
    .success()
    .stdout(" the capital of\n")
    .stderr("");
    let body = &bodies(&server).await[0];
    assert!(body.get("messages").is_none(), "no chat template: {body}");
    let rows = ledger(&server.uri(), dir.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["command"], "complete");
    assert_eq!(rows[0]["input_tokens"], 6);
}

#[tokio::test]
async fn whole_reply_capture_in_every_format() {
    let server = MockServer::start().await;
    completions()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("llama-completions.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let args = ["complete", "--no-stream", "The capital of France is"];
    run(qwen(&server.uri(), dir.path()).args(args))
        .success()
        .stdout(" the capital of the country of France.\n");
    let a = run(qwen(&server.uri(), dir.path())
        .args(args)
        .args(["--format", "json"]))
    .success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["text"], " the capital of the country of France.");
    assert_eq!(v["finish_reason"], "length");
    assert_eq!(v["usage"]["completion_tokens"], 8);
    // llama.cpp makes up its `chatcmpl-…` id and sends no request id (#12).
    assert_eq!(v["request_id"], serde_json::Value::Null);
    let a = run(qwen(&server.uri(), dir.path())
        .args(args)
        .args(["--format", "jsonl"]))
    .success();
    let types: Vec<Value> = jsonl(&a).iter().map(|l| l["type"].clone()).collect();
    assert_eq!(types, [json!("text"), json!("usage"), json!("done")]);
}

#[tokio::test]
async fn suffix_asks_for_fill_in_the_middle_in_the_prompt() {
    let server = MockServer::start().await;
    completions()
        .respond_with(stream(&["    return a + b"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let suffix = dir.path().join("suffix.py");
    std::fs::write(&suffix, "\n\nprint(add(1, 2))\n").unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["complete", "--suffix-file"])
        .arg(&suffix)
        .arg("def add(a, b):\n"))
    .success()
    .stdout("    return a + b\n");
    run(qwen(&server.uri(), dir.path()).args(["complete", "--suffix", "", "x = "])).success();
    let bodies = bodies(&server).await;
    assert_eq!(
        bodies[0]["prompt"],
        "<|fim_prefix|>def add(a, b):\n<|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>"
    );
    assert_eq!(bodies[1]["prompt"], "<|fim_prefix|>x = <|fim_suffix|>");
}

#[tokio::test]
async fn stdin_then_files_verbatim() {
    let server = MockServer::start().await;
    completions()
        .respond_with(stream(&["ok"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("code.py");
    std::fs::write(&file, "def f():\n    ").unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["complete", "-f"])
        .arg(&file)
        .write_stdin("# helpers\n"))
    .success();
    run(qwen(&server.uri(), dir.path())
        .args(["complete", "-f"])
        .arg(&file))
    .success();
    let bodies = bodies(&server).await;
    assert_eq!(bodies[0]["prompt"], "# helpers\n\ndef f():\n    ");
    assert_eq!(
        bodies[1]["prompt"], "def f():\n    ",
        "a lone file is the prompt, exactly"
    );
}

#[tokio::test]
async fn native_sends_input_prompt() {
    let server = MockServer::start().await;
    native_chat()
        .and(body_partial_json(json!({
            "model": "qwen-coder-turbo",
            "input": {"prompt": "Once upon a time"},
            "parameters": {"incremental_output": true}
        })))
        .respond_with(native_stream(&[" there", " was"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "complete",
        "Once upon a time",
    ]))
    .success()
    .stdout(" there was\n");
    let body = &bodies(&server).await[0];
    assert!(body["input"].get("messages").is_none(), "{body}");
}

#[tokio::test]
async fn retries_like_chat() {
    let server = MockServer::start().await;
    completions()
        .respond_with(error(
            503,
            json!({"code": "ServiceUnavailable", "message": "later"}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    completions()
        .respond_with(stream(&["ok"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["complete", "hi"]))
        .success()
        .stdout("ok\n");
    assert!(stderr(&a).contains("qwen: retry: 503 ServiceUnavailable"));
    let rows = ledger(&server.uri(), dir.path());
    let statuses: Vec<Value> = rows.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, [json!(503), json!(200)]);
}

#[test]
fn no_prompt_is_a_usage_error_and_dry_run_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["complete"])).code(2);
    assert!(stderr(&a).contains("no prompt"), "{}", stderr(&a));
    let a = run(qwen("http://127.0.0.1:9/v1", dir.path()).args([
        "complete",
        "--dry-run",
        "--format",
        "json",
        "--suffix",
        "}",
        "fn main() {",
    ]))
    .success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["url"], "http://127.0.0.1:9/v1/completions");
    assert_eq!(
        v["body"]["prompt"],
        "<|fim_prefix|>fn main() {<|fim_suffix|>}<|fim_middle|>"
    );
}

#[test]
fn the_default_model_is_a_coder_model_and_qwen_model_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    // `/completions` serves coder models only; a chat model from the environment or the
    // config (here `qwen-max`) would be refused.
    write_config(dir.path(), "model = \"qwen-plus\"\n");
    let model = |global: &[&str], local: &[&str]| {
        let a = run(qwen("http://127.0.0.1:9/v1", dir.path())
            .env("QWEN_MODEL", "qwen-max")
            .args(global)
            .args(["complete", "--dry-run", "--format", "json"])
            .args(local)
            .arg("def f():"))
        .success();
        jsonl(&a)[0]["body"]["model"].clone()
    };
    assert_eq!(model(&[], &[]), "qwen-coder-turbo");
    assert_eq!(model(&[], &["-m", "qwen2.5-coder-7b"]), "qwen2.5-coder-7b");
    assert_eq!(model(&["-m", "qwen2.5-coder-7b"], &[]), "qwen2.5-coder-7b");
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args([
        "models",
        "--offline",
        "show",
        "qwen-coder-turbo",
    ]))
    .success();
    assert!(stdout(&a).contains("131072 tokens"), "{}", stdout(&a));
}

/// End to end against a real llama.cpp server when `QWEN_TEST_LLAMA_URL` names one on
/// loopback (`../shared/peers/llama-server.sh start` prints it); skipped otherwise.
#[test]
fn against_a_real_llama_server() {
    let Some(base) = std::env::var("QWEN_TEST_LLAMA_URL")
        .ok()
        .filter(|u| u.starts_with("http://127.0.0.1:"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A small CPU model on a shared machine can take its time.
    let a = run(qwen(&format!("{base}/v1"), dir.path())
        .timeout(std::time::Duration::from_secs(300))
        .args([
            "complete",
            "-m",
            "gemma-3-270m",
            "--max-tokens",
            "8",
            "--temperature",
            "0",
            "--format",
            "json",
            "The capital of France is",
        ]))
    .success();
    let v = &jsonl(&a)[0];
    assert!(!v["text"].as_str().unwrap().is_empty());
    assert_eq!(v["usage"]["completion_tokens"], 8);
}

/// A reader gone before the JSON document is written (`qwen complete --format json … |
/// head -c 0`): the ledger row says the output was closed.
#[tokio::test]
async fn a_reply_whose_reader_went_away_is_recorded_as_output_closed() {
    let server = MockServer::start().await;
    completions()
        .respond_with(captured_stream())
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std_qwen(&server.uri(), dir.path())
        .args(["complete", "--format", "json", "-m", "gemma-3-270m", "Hi"])
        .stdout(writer)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let rows = ledger(&server.uri(), dir.path());
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["error_code"], "output_closed", "{rows:?}");
}
