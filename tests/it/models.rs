//! `qwen models`: the endpoint's list (compat, and native with pagination) merged with the
//! built-in catalogue and prices; the catalogue alone when the endpoint cannot be asked.

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// A loopback URL where nothing listens.
fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/v1")
}

fn model<'a>(models: &'a [Value], id: &str) -> &'a Value {
    models
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no `{id}` in {models:?}"))
}

#[tokio::test]
async fn the_llama_cpp_list_is_merged_with_the_catalogue() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("llama-models.json"), "application/json"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["models"]))
        .success()
        .stderr("");
    let table = stdout(&a);
    let header = table.lines().next().unwrap();
    assert!(header.starts_with("MODEL "), "{table}");
    assert!(header.contains("INPUT/1M"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("gemma-3-270m ") && l.contains("endpoint"))
    );
    let plus = table.lines().find(|l| l.starts_with("qwen-plus ")).unwrap();
    assert!(
        plus.contains("catalogue") && plus.contains("1000000"),
        "{plus}"
    );

    let a = run(qwen(&server.uri(), dir.path()).args(["models", "--format", "json"])).success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["endpoint"]["listed"], true);
    assert_eq!(v["endpoint"]["api"], "compat");
    let models = v["models"].as_array().unwrap();
    let gemma = model(models, "gemma-3-270m");
    assert_eq!(gemma["source"], "endpoint");
    assert_eq!(gemma["owned_by"], "llamacpp");
    assert_eq!(gemma["context_window"], Value::Null);
    let plus = model(models, "qwen-plus");
    assert_eq!(plus["listed"], false);
    assert_eq!(plus["thinking"], "hybrid");
    assert_eq!(plus["thinking_default"], false);
    assert_eq!(plus["max_output"], 32768);
    // Loopback hosts have no built-in prices.
    assert_eq!(plus["prices"], Value::Null);
}

#[tokio::test]
async fn listed_catalogue_models_show_their_prices() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list",
            "data": [{"id": "qwen-plus", "object": "model", "owned_by": "system"},
                     {"id": "qwen-plus-2025-07-28", "object": "model", "owned_by": "system"}]
        })))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "[prices.\"qwen-plus\"]\ninput = 0.4\noutput = 1.2\nthinking_output = 4\ncurrency = \"USD\"\n",
    );
    let a = run(qwen(&server.uri(), dir.path()).args(["models", "--format", "jsonl"])).success();
    let lines = jsonl(&a);
    assert!(lines.iter().all(|l| l["v"] == 1));
    let plus = model(&lines, "qwen-plus");
    assert_eq!(plus["source"], "both");
    assert_eq!(
        plus["prices"],
        json!({"currency": "USD", "per_tokens": 1_000_000, "tiers": [
            {"up_to": null, "input": 0.4, "output": 1.2, "thinking_output": 4.0, "cached_input": 0.08}
        ]})
    );
    // A dated snapshot gets its family's limits and prices.
    let snapshot = model(&lines, "qwen-plus-2025-07-28");
    assert_eq!(snapshot["source"], "endpoint");
    assert_eq!(snapshot["max_output"], 32768);
    assert_eq!(snapshot["prices"]["tiers"][0]["input"], 0.4);
    let a = run(qwen(&server.uri(), dir.path()).args(["models"])).success();
    let table = stdout(&a);
    let row = table.lines().find(|l| l.starts_with("qwen-plus ")).unwrap();
    assert!(
        row.contains("both") && row.contains("$0.4") && row.contains("$1.2"),
        "{row}"
    );
}

#[tokio::test]
async fn the_native_list_is_read_page_by_page() {
    let server = MockServer::start().await;
    let page = |from: usize, n: usize| {
        let models: Vec<Value> = (from..from + n)
            .map(|i| json!({"model": format!("m-{i:03}"), "name": "x", "provider": "qwen"}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "output": {"models": models, "total": 150, "page_no": 1, "page_size": 100},
            "request_id": "r"
        }))
    };
    for (no, from, n) in [("1", 0, 100), ("2", 100, 50)] {
        Mock::given(method("GET"))
            .and(path("/api/v1/models"))
            .and(query_param("page_no", no))
            .and(query_param("page_size", "100"))
            .respond_with(page(from, n))
            .expect(1)
            .mount(&server)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&native_base(&server.uri()), dir.path())
        .args(["--api", "native", "models", "--format", "jsonl"]))
    .success();
    let lines = jsonl(&a);
    let listed = lines.iter().filter(|l| l["listed"] == true).count();
    assert_eq!(listed, 150);
    assert_eq!(model(&lines, "m-149")["owned_by"], "qwen");
}

#[test]
fn an_unreachable_endpoint_still_shows_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&closed_url(), dir.path()).args(["models"])).success();
    assert!(stdout(&a).lines().any(|l| l.starts_with("qwen-max ")));
    let err = stderr(&a);
    assert!(
        err.starts_with("qwen: warning: could not list the endpoint's models"),
        "{err}"
    );
    assert!(err.contains("showing the built-in catalogue only"), "{err}");
    let a = run(qwen(&closed_url(), dir.path()).args(["models", "--format", "json"])).success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["endpoint"]["listed"], false);
    assert!(
        v["endpoint"]["error"]
            .as_str()
            .unwrap()
            .contains("could not connect")
    );
    assert!(
        v["models"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["source"] == "catalogue")
    );
}

#[tokio::test]
async fn a_refused_key_is_a_warning_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(error(
            401,
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided."}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["models"])).success();
    assert!(stderr(&a).contains("401 InvalidApiKey"), "{}", stderr(&a));
}

#[test]
fn offline_asks_nothing_and_show_describes_one_model() {
    let dir = tempfile::tempdir().unwrap();
    let trap = Trap::new();
    let mut cmd = qwen(
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        dir.path(),
    );
    cmd.args(["models", "show", "qwen-plus", "--offline"]);
    trap.arm(&mut cmd);
    let a = run(&mut cmd).success().stderr("");
    let text = stdout(&a);
    assert!(text.contains("context window  1000000 tokens"), "{text}");
    assert!(
        text.contains("thinking        hybrid, off unless --think"),
        "{text}"
    );
    assert!(text.contains("listed          unknown"), "{text}");
    // The intl host's built-in prices, tier by tier.
    assert!(
        text.contains("up to 262144 input tokens: input $0.4, output $1.2, thinking output $4"),
        "{text}"
    );
    let mut cmd = qwen(
        "https://dashscope.aliyuncs.com/compatible-mode/v1",
        dir.path(),
    );
    cmd.args([
        "models",
        "show",
        "qwen-plus",
        "--offline",
        "--format",
        "json",
    ]);
    trap.arm(&mut cmd);
    let a = run(&mut cmd).success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["prices"]["currency"], "CNY");
    assert_eq!(v["listed"], Value::Null);
    let mut cmd = qwen("http://127.0.0.1:9/v1", dir.path());
    cmd.args(["models", "show", "no-such-model", "--offline"]);
    let a = run(&mut cmd).code(1);
    assert!(
        stderr(&a).contains("unknown model `no-such-model`"),
        "{}",
        stderr(&a)
    );
    assert_eq!(trap.connections(), 0);
}
