//! `qwen doctor` against a healthy loopback endpoint and broken ones: a refused key, a closed
//! port, a broken config, an unwritable store, a server clock far off.

use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

/// The status word of each check, by name, from the text report.
fn statuses(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| {
            let mut words = l.split_whitespace();
            let status = words.next().unwrap().to_owned();
            (words.next().unwrap().to_owned(), status)
        })
        .collect()
}

fn status_of<'a>(checks: &'a [(String, String)], name: &str) -> &'a str {
    checks
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_str())
        .unwrap_or_else(|| panic!("no `{name}` check in {checks:?}"))
}

async fn healthy() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    chat()
        .and(body_partial_json(json!({"max_tokens": 1, "stream": true})))
        .respond_with(stream(&["OK"]))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_healthy_endpoint_passes_every_check() {
    let server = healthy().await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["doctor"]))
        .success()
        .stderr("");
    let text = stdout(&a);
    let checks = statuses(&text);
    let names: Vec<&str> = checks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "config", "profiles", "endpoint", "key", "dns", "tcp", "http", "clock", "call", "store"
        ]
    );
    for (name, status) in &checks {
        assert_eq!(status, "ok", "{name}:\n{text}");
    }
    assert!(
        text.contains("key       from `DASHSCOPE_API_KEY`"),
        "{text}"
    );
    assert!(text.contains("`qwen-plus` answered in"), "{text}");
    // The 1-token call is billed, so it is in the ledger.
    let a = run(qwen(&server.uri(), dir.path()).args(["usage", "log", "--format", "jsonl"]));
    let rows = jsonl(&a.success());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["command"], "doctor");
}

#[tokio::test]
async fn json_report_and_no_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["doctor", "--no-call", "--format", "json"]))
        .success();
    let v = &jsonl(&a)[0];
    assert_eq!(v["v"], 1);
    assert_eq!(v["ok"], true);
    let checks = v["checks"].as_array().unwrap();
    let call = checks.iter().find(|c| c["name"] == "call").unwrap();
    assert_eq!(call["status"], "skip");
    let tcp = checks.iter().find(|c| c["name"] == "tcp").unwrap();
    assert!(tcp["ms"].is_u64());
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "only the probe"
    );
}

#[tokio::test]
async fn a_refused_key_fails_with_a_region_hint() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": "r"}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    // The URL comes from the config file, so the configured region still counts.
    write_config(
        dir.path(),
        &format!("region = \"cn\"\nbase_url = \"{}\"\n", server.uri()),
    );
    let a = run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_BASE_URL")
        .args(["doctor"]))
    .code(1);
    let text = stdout(&a);
    let checks = statuses(&text);
    assert_eq!(status_of(&checks, "call"), "fail", "{text}");
    assert_eq!(status_of(&checks, "tcp"), "ok", "{text}");
    assert!(
        text.contains("401 InvalidApiKey: Invalid API-key provided."),
        "{text}"
    );
    assert!(
        text.contains("hint: the key was refused by the `cn` endpoint"),
        "{text}"
    );
    assert!(text.contains("--region intl"), "{text}");
}

/// Every check, in the README's order.
const ALL: [&str; 10] = [
    "config", "profiles", "endpoint", "key", "dns", "tcp", "http", "clock", "call", "store",
];

#[test]
fn a_closed_port_fails_at_tcp_and_skips_what_needs_it() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&url, dir.path()).args(["doctor"])).code(1);
    let text = stdout(&a);
    let checks = statuses(&text);
    let names: Vec<&str> = checks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ALL, "{text}");
    assert_eq!(status_of(&checks, "dns"), "ok");
    assert_eq!(status_of(&checks, "tcp"), "fail", "{text}");
    assert!(text.contains("cannot connect to 127.0.0.1:"), "{text}");
    for name in ["http", "clock", "call"] {
        assert_eq!(status_of(&checks, name), "skip", "{text}");
    }
    assert!(text.contains("skip  call      `tcp` failed\n"), "{text}");
    assert_eq!(status_of(&checks, "store"), "ok");

    let a = run(qwen(&url, dir.path()).args(["doctor", "--no-call", "--format", "json"])).code(1);
    let v = &jsonl(&a)[0];
    let checks = v["checks"].as_array().unwrap();
    let names: Vec<&str> = checks.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ALL);
    let call = &checks[8];
    assert_eq!(
        (&call["status"], &call["detail"]),
        (&json!("skip"), &json!("--no-call"))
    );
    assert_eq!(checks[7]["detail"], "`tcp` failed");
}

#[test]
fn a_broken_config_still_lists_every_check() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "model = \n");
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["doctor"])).code(1);
    let text = stdout(&a);
    let checks = statuses(&text);
    let names: Vec<&str> = checks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ALL, "{text}");
    assert_eq!(status_of(&checks, "config"), "fail");
    for name in &ALL[1..9] {
        assert_eq!(status_of(&checks, name), "skip", "{name}: {text}");
    }
    assert!(
        text.contains("skip  endpoint  the config does not resolve\n"),
        "{text}"
    );
    // The store's place does not depend on the config file, so it is still checked.
    assert_eq!(status_of(&checks, "store"), "ok", "{text}");

    let a =
        run(qwen("http://127.0.0.1:9", dir.path()).args(["doctor", "--format", "json"])).code(1);
    let v = &jsonl(&a)[0];
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), ALL.len());
    assert!(
        checks[1..9]
            .iter()
            .all(|c| c["status"] == "skip" && c["detail"] == "the config does not resolve"),
        "{v}"
    );
}

#[test]
fn a_broken_config_is_a_failed_check_not_the_end_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "model = \n");
    let a =
        run(qwen("http://127.0.0.1:9", dir.path()).args(["doctor", "--format", "jsonl"])).code(1);
    let lines = jsonl(&a);
    assert_eq!(lines[0]["name"], "config");
    assert_eq!(lines[0]["status"], "fail");
    assert!(lines[0]["detail"].as_str().unwrap().contains("line 1"));

    write_config(
        dir.path(),
        "colour = \"blue\"\n[profiles.good]\nmodel = \"qwen-max\"\n[profiles.bad]\nregion = \"mars\"\n",
    );
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["doctor", "--no-call"])).code(1);
    let text = stdout(&a);
    let checks = statuses(&text);
    assert_eq!(status_of(&checks, "config"), "warn", "{text}");
    assert!(text.contains("unknown key `colour`"), "{text}");
    assert_eq!(status_of(&checks, "profiles"), "fail", "{text}");
    assert!(text.contains("`bad`: unknown region `mars`"), "{text}");

    let a =
        run(qwen("http://127.0.0.1:9", dir.path()).args(["--profile", "nope", "doctor"])).code(1);
    assert!(
        stdout(&a).contains("fail  config    no profile `nope`"),
        "{}",
        stdout(&a)
    );
}

#[tokio::test]
async fn an_unwritable_store_and_a_clock_far_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let a = run(qwen(&server.uri(), dir.path())
        .env("QWEN_DATA_DIR", not_a_dir.join("data"))
        .args(["doctor", "--no-call", "--format", "json"]))
    .code(1);
    let v: Value = jsonl(&a)[0].clone();
    let check = |name: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(check("store")["status"], "fail");
    assert_eq!(check("clock")["status"], "warn");
    assert!(
        check("clock")["detail"]
            .as_str()
            .unwrap()
            .contains("ahead of the server's clock")
    );
    assert_eq!(v["ok"], false);
}
