//! `qwen rerank`: both routes, ordering and `--top-n`, ids from JSONL, chunking across
//! requests, standard input, failures and exit codes, ledger rows.

use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

const NATIVE_PATH: &str = "/api/v1/services/rerank/text-rerank/text-rerank";
const FLAT_PATH: &str = "/compatible-api/v1/reranks";

fn native_rerank() -> MockBuilder {
    Mock::given(method("POST")).and(path(NATIVE_PATH))
}

/// Scores each document by the number it starts with (`"0.7 apples"` → 0.7), answers best
/// first within `top_n`, in the native or the flat shape, with 10 tokens per document.
struct Scores;

impl Respond for Scores {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let native = body.get("input").is_some();
        let (docs, top_n) = if native {
            (&body["input"]["documents"], &body["parameters"]["top_n"])
        } else {
            (&body["documents"], &body["top_n"])
        };
        let docs = docs.as_array().unwrap();
        let mut results: Vec<(usize, f64)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let first = d.as_str().unwrap().split(' ').next().unwrap();
                (i, first.parse().unwrap_or(0.0))
            })
            .collect();
        results.sort_by(|a, b| b.1.total_cmp(&a.1));
        results.truncate(top_n.as_u64().map_or(docs.len(), |n| n as usize));
        let results: Vec<Value> = results
            .iter()
            .map(|(i, s)| json!({"index": i, "relevance_score": s}))
            .collect();
        let usage = json!({"total_tokens": docs.len() * 10});
        let reply = if native {
            json!({"output": {"results": results}, "usage": usage, "request_id": "rr-1"})
        } else {
            json!({"id": "rr-2", "object": "list", "model": body["model"], "results": results,
                   "usage": usage})
        };
        ResponseTemplate::new(200).set_body_json(reply)
    }
}

fn ledger(server: &str, dir: &std::path::Path) -> Vec<Value> {
    let a = run(qwen(server, dir).args(["usage", "log", "--format", "jsonl"]));
    jsonl(&a.success())
}

#[tokio::test]
async fn native_route_ranks_best_first_with_top_n_and_instruct() {
    let server = MockServer::start().await;
    native_rerank()
        .respond_with(Scores)
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&native_base(&server.uri()), dir.path())
        .env("QWEN_MODEL", "qwen-plus") // a chat model in the environment is not used
        .args(["--api", "native", "rerank", "which fruit?"])
        .args(["0.2 pears", "0.9 apples", "0.5 plums", "--top-n", "2"])
        .args(["--instruct", "Retrieve semantically similar text."]))
    .success()
    .stderr("");
    let lines = jsonl(&a);
    assert_eq!(
        lines,
        [
            json!({"v": 1, "index": 1, "id": "arg 2", "score": 0.9, "text": "0.9 apples"}),
            json!({"v": 1, "index": 2, "id": "arg 3", "score": 0.5, "text": "0.5 plums"}),
        ]
    );
    let body = &bodies(&server).await[0];
    assert_eq!(
        body,
        &json!({"model": "qwen3-rerank",
                "input": {"query": "which fruit?",
                          "documents": ["0.2 pears", "0.9 apples", "0.5 plums"]},
                "parameters": {"top_n": 2, "return_documents": false,
                               "instruct": "Retrieve semantically similar text."}})
    );
    let rows = ledger(&native_base(&server.uri()), dir.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["command"], "rerank");
    assert_eq!(rows[0]["model"], "qwen3-rerank");
    assert_eq!(rows[0]["status"], 200);
    assert_eq!(rows[0]["request_id"], "rr-1");
    assert_eq!(rows[0]["input_tokens"], 30);
}

#[tokio::test]
async fn compat_base_uses_the_flat_route_with_jsonl_ids_and_json_output() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(FLAT_PATH))
        .respond_with(Scores)
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let input = "{\"id\":\"a\",\"text\":\"0.1 x\"}\n{\"id\":7,\"text\":\"0.8 y\"}\n";
    let a = run(
        qwen(&format!("{}/compatible-mode/v1", server.uri()), dir.path())
            .args([
                "--format",
                "json",
                "rerank",
                "q",
                "--input",
                "-",
                "--no-text",
            ])
            .write_stdin(input),
    )
    .success();
    let doc = &jsonl(&a)[0];
    assert_eq!(doc["v"], 1);
    assert_eq!(doc["model"], "qwen3-rerank");
    assert_eq!(
        doc["results"],
        json!([{"index": 1, "id": 7, "score": 0.8}, {"index": 0, "id": "a", "score": 0.1}])
    );
    assert_eq!(doc["usage"]["total_tokens"], 20);
    assert_eq!(
        bodies(&server).await[0],
        json!({"model": "qwen3-rerank", "query": "q", "documents": ["0.1 x", "0.8 y"]})
    );
}

#[tokio::test]
async fn a_local_server_gets_the_flat_body_at_base_rerank() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rerank"))
        .respond_with(Scores)
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.txt");
    std::fs::write(&file, "0.6 from a file\n").unwrap();
    let a = run(qwen(&format!("{}/v1", server.uri()), dir.path())
        .args(["rerank", "q", "-f"])
        .arg(&file)
        .write_stdin("0.3 first line\n\n0.7 third line\n"))
    .success();
    let ids: Vec<Value> = jsonl(&a).iter().map(|l| l["id"].clone()).collect();
    assert_eq!(
        ids,
        [
            json!("line 3"),
            json!(file.to_str().unwrap()),
            json!("line 1")
        ]
    );
}

#[tokio::test]
async fn documents_over_one_request_are_split_and_merged_with_a_warning() {
    let server = MockServer::start().await;
    native_rerank()
        .respond_with(Scores)
        .expect(3)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "rerank_max_documents = 2\n");
    let docs: String = [0.1, 0.9, 0.4, 0.8, 0.3]
        .iter()
        .map(|s| format!("{s} doc\n"))
        .collect();
    let a = run(qwen(&native_base(&server.uri()), dir.path())
        .args(["--api", "native", "rerank", "q", "--top-n", "3", "-j", "2"])
        .write_stdin(docs))
    .success();
    let order: Vec<u64> = jsonl(&a)
        .iter()
        .map(|l| l["index"].as_u64().unwrap())
        .collect();
    assert_eq!(
        order,
        [1, 3, 2],
        "merged across requests, best three overall"
    );
    let err = stderr(&a);
    assert!(
        err.contains("5 documents go in 3 requests; scores are comparable only within one request"),
        "{err}"
    );
    let mut sizes: Vec<usize> = bodies(&server)
        .await
        .iter()
        .map(|b| {
            assert!(b["parameters"]["top_n"].as_u64().unwrap() <= 2);
            b["input"]["documents"].as_array().unwrap().len()
        })
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [1, 2, 2]);
    assert_eq!(ledger(&native_base(&server.uri()), dir.path()).len(), 3);
}

#[tokio::test]
async fn the_token_cap_splits_requests_too() {
    let server = MockServer::start().await;
    native_rerank()
        .respond_with(Scores)
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    // Query ≈ 1 token, each document ≈ 25: two documents cost 52, over a cap of 60 with three.
    write_config(dir.path(), "rerank_max_request_tokens = 60\n");
    let doc = |s: &str| format!("{s} {}", "x".repeat(95));
    let a = run(qwen(&native_base(&server.uri()), dir.path())
        .args(["--api", "native", "--quiet", "rerank", "q"])
        .args([doc("0.1"), doc("0.2"), doc("0.3")]))
    .success()
    .stderr("");
    assert_eq!(jsonl(&a).len(), 3);
}

#[tokio::test]
async fn a_failed_request_gives_error_lines_and_exit_3() {
    let server = MockServer::start().await;
    native_rerank()
        .and(body_string_contains("poison"))
        .respond_with(error(
            400,
            json!({"code": "InvalidParameter", "message": "bad document", "request_id": "x"}),
        ))
        .mount(&server)
        .await;
    native_rerank().respond_with(Scores).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "rerank_max_documents = 1\n");
    let a = run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "rerank",
        "q",
        "0.5 good",
        "0.1 poison",
    ]))
    .code(3);
    let lines = jsonl(&a);
    assert_eq!(lines[0]["id"], "arg 1");
    assert_eq!(lines[0]["score"], 0.5);
    assert_eq!(lines[1]["id"], "arg 2");
    assert_eq!(lines[1]["status"], "failed");
    assert_eq!(lines[1]["score"], Value::Null);
    assert_eq!(lines[1]["error"]["code"], "InvalidParameter");
    assert!(
        stderr(&a).contains("1 of 2 documents failed"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn a_refused_key_exits_4_and_billing_exits_5() {
    for (status, body, code) in [
        (
            401,
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided."}),
            4,
        ),
        (
            400,
            json!({"code": "Arrearage", "message": "Access denied, overdue payment."}),
            5,
        ),
    ] {
        let server = MockServer::start().await;
        native_rerank()
            .respond_with(error(status, body))
            .expect(1)
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        let a = run(qwen(&native_base(&server.uri()), dir.path())
            .args(["--api", "native", "rerank", "q", "a", "b"]))
        .code(code);
        assert!(
            stderr(&a).contains("qwen: error: rerank with `qwen3-rerank` failed"),
            "{}",
            stderr(&a)
        );
    }
}

#[test]
fn routes_by_region_in_dry_run_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let url = |region: &str| {
        let a = run(qwen("", dir.path()).env_remove("DASHSCOPE_BASE_URL").args([
            "--region",
            region,
            "--format",
            "jsonl",
            "rerank",
            "--dry-run",
            "q",
            "d",
        ]))
        .success();
        jsonl(&a)[0]["url"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        url("cn"),
        "https://dashscope.aliyuncs.com/compatible-api/v1/reranks"
    );
    assert_eq!(
        url("intl"),
        "https://dashscope-intl.aliyuncs.com/compatible-api/v1/reranks"
    );
    assert_eq!(
        url("us"),
        "https://dashscope-us.aliyuncs.com/api/v1/services/rerank/text-rerank/text-rerank"
    );
    let a = run(qwen("http://127.0.0.1:9/v1", dir.path()).args(["rerank", "q"])).code(2);
    assert!(stderr(&a).contains("nothing to rank"), "{}", stderr(&a));
    let a =
        run(qwen("http://127.0.0.1:9/v1", dir.path())
            .args(["--format", "text", "rerank", "q", "d"]))
        .code(2);
    assert!(stderr(&a).contains("jsonl"), "{}", stderr(&a));
    let a = run(qwen("http://127.0.0.1:9/v1", dir.path())
        .args(["rerank", "q", "--input", "-"])
        .write_stdin("{\"id\":1}\n"))
    .code(2);
    assert!(
        stderr(&a).contains("standard input line 1: no string `text`"),
        "{}",
        stderr(&a)
    );
}
