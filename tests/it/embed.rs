//! `qwen embed`: grouping within the per-request limit, input order under concurrency,
//! both protocols, retries, failures per text, and the llama.cpp capture.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

fn embeddings() -> MockBuilder {
    Mock::given(method("POST")).and(path("/embeddings"))
}

/// Answers each compat request with one vector per text: `[position in the request, length
/// of the text]`, in reverse order (the index says which is which). The request holding
/// `slow` is answered late, so later requests finish first.
struct Echo {
    slow: &'static str,
}

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let texts = body["input"].as_array().unwrap();
        let data: Vec<Value> = texts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, t)| {
                let len = t.as_str().unwrap().len();
                json!({"object": "embedding", "index": i, "embedding": [i, len]})
            })
            .collect();
        let n = texts.len() as u64;
        let reply = ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "model": body["model"], "data": data,
            "usage": {"prompt_tokens": n * 2, "total_tokens": n * 2}
        }));
        if texts.iter().any(|t| t == self.slow) {
            reply.set_delay(Duration::from_millis(300))
        } else {
            reply
        }
    }
}

fn ledger(server: &str, dir: &Path) -> Vec<Value> {
    let a = run(qwen(server, dir).args(["usage", "log", "--format", "jsonl"]));
    jsonl(&a.success())
}

#[tokio::test]
async fn twenty_five_lines_go_in_three_requests_and_come_out_in_order() {
    let server = MockServer::start().await;
    embeddings()
        .respond_with(Echo { slow: "text 01" })
        .expect(3)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let stdin: String = (1..=25).map(|i| format!("text {i:02}\n")).collect();
    let a = run(qwen(&server.uri(), dir.path())
        .args(["embed", "-j", "3"])
        .write_stdin(stdin))
    .success()
    .stderr("");
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 25);
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(line["v"], 1);
        assert_eq!(line["id"], format!("line {}", n + 1));
        assert_eq!(line["text"], format!("text {:02}", n + 1));
        // Position within its request of ten, and the text's length: order is preserved.
        assert_eq!(line["embedding"], json!([(n % 10) as f64, 7.0]));
    }
    // The request's usage sits on its first text only, so the field sums to the total.
    let usage: u64 = lines
        .iter()
        .filter_map(|l| l["usage"]["total_tokens"].as_u64())
        .sum();
    assert_eq!(usage, 50);
    let sizes: Vec<usize> = bodies(&server)
        .await
        .iter()
        .map(|b| b["input"].as_array().unwrap().len())
        .collect();
    let mut sorted = sizes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [5, 10, 10]);
    for body in bodies(&server).await {
        assert_eq!(body["model"], "text-embedding-v4");
        assert_eq!(body["encoding_format"], "float");
    }
    let rows = ledger(&server.uri(), dir.path());
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r["command"] == "embed" && r["status"] == 200)
    );
}

#[tokio::test]
async fn arguments_files_dimensions_and_no_text() {
    let server = MockServer::start().await;
    embeddings()
        .and(body_partial_json(
            json!({"dimensions": 256, "model": "text-embedding-v3"}),
        ))
        .respond_with(Echo { slow: "" })
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    std::fs::write(&file, "# Title\n\nBody.\n").unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .env("QWEN_MODEL", "qwen-plus") // a chat model in the environment is not used
        .args([
            "embed",
            "--model",
            "text-embedding-v3",
            "--dimensions",
            "256",
            "--no-text",
        ])
        .args(["alpha", "beta", "-f"])
        .arg(&file))
    .success();
    let lines = jsonl(&a);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["arg 1", "arg 2", file.to_str().unwrap()]);
    assert!(lines.iter().all(|l| l.get("text").is_none()));
    assert_eq!(lines[2]["embedding"], json!([2.0, 15.0]));
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["input"],
        json!(["alpha", "beta", "# Title\n\nBody.\n"])
    );
}

#[tokio::test]
async fn the_environment_model_is_not_an_embedding_model() {
    let server = MockServer::start().await;
    embeddings()
        .respond_with(Echo { slow: "" })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .env("QWEN_MODEL", "qwen-plus")
        .args(["embed", "x"]))
    .success();
    assert_eq!(bodies(&server).await[0]["model"], "text-embedding-v4");
}

#[tokio::test]
async fn native_text_embedding() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v1/services/embeddings/text-embedding/text-embedding",
        ))
        .and(body_partial_json(json!({
            "model": "text-embedding-v4",
            "input": {"texts": ["one", "two"]},
            "parameters": {"dimension": 64}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "output": {"embeddings": [{"text_index": 1, "embedding": [0.2]},
                                      {"text_index": 0, "embedding": [0.1]}]},
            "usage": {"total_tokens": 4}, "request_id": "n-1"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "embed",
        "--dimensions",
        "64",
        "one",
        "two",
    ]))
    .success();
    let lines = jsonl(&a);
    assert_eq!(lines[0]["embedding"], json!([0.1]));
    assert_eq!(lines[1]["embedding"], json!([0.2]));
    assert_eq!(
        lines[0]["usage"],
        json!({"prompt_tokens": 4, "total_tokens": 4})
    );
    assert_eq!(lines[1]["usage"], Value::Null);
}

#[tokio::test]
async fn too_long_texts_fail_alone_and_throttling_is_retried() {
    let server = MockServer::start().await;
    embeddings()
        .respond_with(error(
            429,
            json!({"error": {"message": "You exceeded your current requests list.",
                             "code": "limit_requests"}}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    embeddings()
        .respond_with(Echo { slow: "" })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let long = "word ".repeat(8_000);
    let a = run(qwen(&server.uri(), dir.path())
        .args(["embed", "short"])
        .arg(&long)
        .arg("also short"))
    .code(3);
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["status"], "ok");
    assert_eq!(lines[1]["status"], "failed");
    assert_eq!(lines[1]["error"]["code"], "input_too_long");
    assert_eq!(lines[2]["embedding"], json!([1.0, 10.0]));
    assert!(stderr(&a).contains("1 of 3 texts failed"), "{}", stderr(&a));
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "one throttled request, one retry");
    assert_eq!(sent[1]["input"], json!(["short", "also short"]));
}

#[tokio::test]
async fn a_refused_key_stops_the_run_with_exit_4() {
    let server = MockServer::start().await;
    embeddings()
        .respond_with(error(
            401,
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided."}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let stdin: String = (0..30).map(|i| format!("t{i}\n")).collect();
    let a = run(qwen(&server.uri(), dir.path())
        .args(["embed", "-j", "1"])
        .write_stdin(stdin))
    .code(4);
    let err = stderr(&a);
    assert!(err.contains("401 InvalidApiKey"), "{err}");
    assert!(
        err.contains("hint: DashScope keys are issued per region"),
        "{err}"
    );
}

#[tokio::test]
async fn throttling_that_outlasts_every_retry_stops_the_run_with_exit_5() {
    let server = MockServer::start().await;
    embeddings()
        .respond_with(error(
            429,
            json!({"error": {"message": "You exceeded your current requests list.",
                             "code": "limit_requests"}}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let stdin: String = (0..25).map(|i| format!("t{i}\n")).collect();
    for format in ["jsonl", "json"] {
        let a = run(qwen(&server.uri(), dir.path())
            .args(["--retries", "1", "--format", format, "embed", "-j", "1"])
            .write_stdin(stdin.clone()))
        .code(5);
        let err = stderr(&a);
        assert!(err.contains("qwen: error: "), "{err}");
        assert!(err.contains("429 limit_requests"), "{err}");
        // The first request and its one retry; the run stopped there.
        let data = match format {
            "jsonl" => jsonl(&a),
            _ => jsonl(&a)[0]["data"].as_array().unwrap().clone(),
        };
        assert_eq!(
            data.len(),
            10,
            "{format}: the throttled group's texts, no more"
        );
        assert!(
            data.iter()
                .all(|l| l["status"] == "failed" && l["error"]["code"] == "limit_requests"),
            "{data:?}"
        );
    }
    assert_eq!(bodies(&server).await.len(), 4, "two requests per run");
}

#[tokio::test]
async fn llama_cpp_base64_capture_and_json_format() {
    let server = MockServer::start().await;
    embeddings()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("llama-embeddings.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "embed",
        "-m",
        "gemma-3-270m",
        "--format",
        "json",
        "hi",
    ]))
    .success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["model"], "gemma-3-270m");
    assert_eq!(v["usage"]["prompt_tokens"], 2);
    let first = &v["data"][0];
    assert_eq!(first["id"], "arg 1");
    assert_eq!(first["embedding"].as_array().unwrap().len(), 640);
    assert!(first.get("v").is_none());
}

#[test]
fn nothing_to_embed_and_text_format_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["embed"])).code(2);
    assert!(stderr(&a).contains("nothing to embed"), "{}", stderr(&a));
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["embed", "--format", "text", "x"]))
        .code(2);
    // Refused while parsing, naming the formats `embed` writes (#16).
    assert!(stderr(&a).contains("[possible values: jsonl, json]"));
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["embed", "a", " "])).code(2);
    assert!(stderr(&a).contains("`arg 2` is empty"), "{}", stderr(&a));
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
    let stdin: String = (0..12).map(|i| format!("sentence number {i}\n")).collect();
    // A small CPU model on a shared machine can take its time.
    let a = run(qwen(&format!("{base}/v1"), dir.path())
        .timeout(std::time::Duration::from_secs(300))
        .args(["embed", "-m", "gemma-3-270m", "--no-text"])
        .write_stdin(stdin))
    .success();
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 12);
    assert!(
        lines
            .iter()
            .all(|l| l["embedding"].as_array().unwrap().len() == 640)
    );
}
