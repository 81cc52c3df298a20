//! `--json` and `--schema`: what is asked of the server and how the reply is checked.

use serde_json::json;
use wiremock::MockServer;

use crate::common::*;

const PERSON: &str = r#"{
  "type": "object",
  "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
  "required": ["name"]
}"#;

async fn replying(text: &str) -> MockServer {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&[text]))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn schema_is_sent_and_a_matching_reply_succeeds() {
    let server = replying(r#"{"name": "Ada", "age": 36}"#).await;
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("person.json");
    std::fs::write(&schema, PERSON).unwrap();
    run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--schema",
        schema.to_str().unwrap(),
        "Ada?",
    ]))
    .success()
    .stdout("{\"name\": \"Ada\", \"age\": 36}\n");
    let body = &bodies(&server).await[0];
    let person: serde_json::Value = serde_json::from_str(PERSON).unwrap();
    assert_eq!(
        body["response_format"],
        json!({"type": "json_schema", "json_schema": {"name": "person", "schema": person, "strict": true}})
    );
}

#[tokio::test]
async fn reply_not_matching_the_schema_exits_6_naming_the_file() {
    let server = replying(r#"{"age": "old"}"#).await;
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("person.json");
    std::fs::write(&schema, PERSON).unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--schema",
        schema.to_str().unwrap(),
        "Ada?",
    ]))
    .code(6);
    let err = stderr(&a);
    assert!(err.starts_with("qwen: error: "), "{err}");
    assert!(err.contains("person.json"), "{err}");
    assert!(err.contains("does not match"), "{err}");
}

#[tokio::test]
async fn invalid_schema_file_is_a_usage_error_and_sends_nothing() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["{}"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("broken.json");
    std::fs::write(&schema, "{not json").unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--schema",
        schema.to_str().unwrap(),
        "x",
    ]))
    .code(2);
    assert!(stderr(&a).contains("broken.json"), "{}", stderr(&a));
}

#[tokio::test]
async fn json_flag_with_a_non_json_reply_exits_6() {
    let server = replying("Sure! Here it is: {oops").await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--json", "give json"])).code(6);
    assert!(stderr(&a).contains("not valid JSON"), "{}", stderr(&a));
}

#[tokio::test]
async fn json_flag_with_a_json_reply_succeeds() {
    let server = replying("{\"a\": 1}").await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--json", "give json"]))
        .success()
        .stdout("{\"a\": 1}\n");
}

#[tokio::test]
async fn json_flag_adds_the_word_json_when_the_prompt_lacks_it() {
    let server = replying("{\"colours\": []}").await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--json", "list three colours"])).success();
    let body = &bodies(&server).await[0];
    assert_eq!(body["response_format"], json!({"type": "json_object"}));
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages[0]["role"], "system");
    assert!(
        messages[0]["content"].as_str().unwrap().contains("JSON"),
        "{body}"
    );
    assert_eq!(
        messages[1],
        json!({"role": "user", "content": "list three colours"})
    );
}

#[test]
fn json_and_schema_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    run(qwen("http://127.0.0.1:9", dir.path()).args(["chat", "--json", "--schema", "s.json", "x"]))
        .code(2);
}
