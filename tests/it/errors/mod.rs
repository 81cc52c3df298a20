//! API failures: both error body shapes, exit codes, hints, and what is (not) retried.

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::common::*;

mod exit_codes;

/// Returns the `qwen: error:` lines of stderr; there must be exactly one.
fn error_line(err: &str) -> &str {
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("qwen: error: "))
        .collect();
    assert_eq!(lines.len(), 1, "exactly one error line expected:\n{err}");
    lines[0]
}

/// Returns the text after `hint: `; there must be exactly one hint line.
fn hint_line(err: &str) -> &str {
    let lines: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("hint: "))
        .collect();
    assert_eq!(lines.len(), 1, "exactly one hint line expected:\n{err}");
    lines[0]
}

#[tokio::test]
async fn compat_401_is_one_line_with_code_message_and_request_id_then_exit_4() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            json!({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                             "param": null, "code": "invalid_api_key"},
                   "request_id": "b02e047c-ca07-98df-ae99-d211d0990216"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .code(4)
        .stdout("");
    let err = stderr(&a);
    let line = error_line(&err);
    assert!(
        line.ends_with(
            "401 invalid_api_key: Incorrect API key provided. (request id b02e047c-ca07-98df-ae99-d211d0990216)"
        ),
        "{err}"
    );
    assert!(hint_line(&err).contains("region"), "{err}");
    assert!(
        err.contains("\n\nhint: "),
        "a blank line comes before the hint:\n{err}"
    );
}

#[tokio::test]
async fn native_401_is_reported_the_same_way() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided.",
                   "request_id": "824f2e5c-9c2e-9f5a-8d48-6a0cd5e55f11"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(4);
    let err = stderr(&a);
    assert!(
        error_line(&err).ends_with(
            "401 InvalidApiKey: Invalid API-key provided. (request id 824f2e5c-9c2e-9f5a-8d48-6a0cd5e55f11)"
        ),
        "{err}"
    );
    hint_line(&err);
}

#[tokio::test]
async fn request_id_header_is_used_when_the_body_has_none() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            error(
                400,
                json!({"error": {"message": "bad", "code": "invalid_parameter_error"}}),
            )
            .insert_header("x-request-id", "hdr-1234"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    assert!(
        error_line(&stderr(&a)).ends_with("(request id hdr-1234)"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn jsonl_failure_also_prints_an_error_event_on_stdout() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            json!({"error": {"message": "Incorrect API key provided.", "code": "invalid_api_key"},
                   "request_id": "r-401"}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "jsonl", "hi"])).code(4);
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let e = &lines[0];
    assert_eq!(e["v"], 1);
    assert_eq!(e["type"], "error");
    assert_eq!(e["status"], 401);
    assert_eq!(e["code"], "invalid_api_key");
    assert_eq!(e["message"], "Incorrect API key provided.");
    assert_eq!(e["request_id"], "r-401");
    error_line(&stderr(&a));
}

#[tokio::test]
async fn rate_limit_after_all_retries_exits_5() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            429,
            json!({"error": {"message": "You have exceeded your current request limit.",
                             "type": "limit_requests", "code": "limit_requests"}}),
        ))
        .expect(3)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--retries", "2", "hi"])).code(5);
    let err = stderr(&a);
    assert!(error_line(&err).contains("429 limit_requests"), "{err}");
    assert!(hint_line(&err).contains("rate limit"), "{err}");
    assert_eq!(err.matches("qwen: retry: ").count(), 2, "{err}");
}

#[tokio::test]
async fn arrearage_exits_5_without_retrying() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            400,
            json!({"error": {"message": "Access denied, please make sure your account is in good standing.",
                             "type": "Arrearage", "param": null, "code": "Arrearage"},
                   "request_id": "8605e472-81b4-9cd7-b04d-878e89847c14"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(5);
    let err = stderr(&a);
    assert!(
        error_line(&err).contains("400 Arrearage: Access denied"),
        "{err}"
    );
    assert!(hint_line(&err).contains("credit"), "{err}");
    assert!(!err.contains("retry"), "{err}");
}

#[tokio::test]
async fn invalid_parameter_exits_1_without_retrying() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            400,
            json!({"code": "InvalidParameter", "message": "Range of max_tokens should be [1, 8192]",
                   "request_id": "r-400"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    let err = stderr(&a);
    assert!(
        error_line(&err).contains("400 InvalidParameter: Range of max_tokens should be [1, 8192]"),
        "{err}"
    );
}

#[tokio::test]
async fn context_too_long_hint_names_the_limit() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            400,
            json!({"error": {"message": "<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 129024]",
                             "type": "invalid_request_error", "param": null, "code": "invalid_parameter_error"},
                   "id": "chatcmpl-c116c32f-f8c6-9b49-82d0-070fc90adf1c",
                   "request_id": "c116c32f-f8c6-9b49-82d0-070fc90adf1c"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    let err = stderr(&a);
    assert!(hint_line(&err).contains("129024"), "{err}");
}

#[tokio::test]
async fn llama_cpp_context_error_capture_gets_the_same_hint() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_raw(fixture("llama-error-context.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    let err = stderr(&a);
    assert!(
        error_line(&err).contains("400 exceed_context_size_error"),
        "{err}"
    );
    assert!(hint_line(&err).contains("2048"), "{err}");
}

#[tokio::test]
async fn malformed_chunk_in_a_200_stream_fails_clearly_without_retry() {
    let server = MockServer::start().await;
    let body = format!("{}data: {{not json\n\n", text_frame("Hi"));
    chat()
        .respond_with(sse_response(body))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    let err = stderr(&a);
    assert!(error_line(&err).contains("malformed chunk"), "{err}");
    assert!(error_line(&err).contains("{not json"), "{err}");
}

#[tokio::test]
async fn malformed_first_chunk_is_not_retried_either() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response("data: {not json\n\n".into()))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .code(1)
        .stdout("");
    assert!(
        error_line(&stderr(&a)).contains("malformed chunk"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn stream_without_done_or_finish_is_reported_as_cut() {
    let server = MockServer::start().await;
    chat()
        .respond_with(sse_response(text_frame("Partial")))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .code(1)
        .stdout("Partial\n");
    assert!(
        error_line(&stderr(&a)).contains("ended before the reply was complete"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn error_object_inside_a_200_stream_is_an_error() {
    let server = MockServer::start().await;
    let body = frame(
        &json!({"error": {"message": "Output data may contain inappropriate content.",
                                       "code": "data_inspection_failed"}}),
    );
    chat()
        .respond_with(sse_response(body))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
    assert!(
        error_line(&stderr(&a))
            .contains("data_inspection_failed: Output data may contain inappropriate content."),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn plain_text_502_body_is_shown() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html>Bad Gateway from nginx</html>", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--retries", "0", "hi"])).code(1);
    let err = stderr(&a);
    assert!(
        error_line(&err).contains("502 <html>Bad Gateway from nginx</html>"),
        "{err}"
    );
}

#[tokio::test]
async fn empty_503_body_uses_the_status_reason() {
    let server = MockServer::start().await;
    chat()
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--retries", "0", "hi"])).code(1);
    assert!(
        error_line(&stderr(&a)).ends_with("503 Service Unavailable"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn connection_refused_is_a_clear_error_with_a_hint() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let a = run(
        qwen(&format!("http://127.0.0.1:{port}/v1"), dir.path()).args([
            "chat",
            "--retries",
            "1",
            "hi",
        ]),
    )
    .code(1);
    let err = stderr(&a);
    assert!(error_line(&err).contains("could not connect"), "{err}");
    assert!(hint_line(&err).contains("--dry-run"), "{err}");
}

#[tokio::test]
async fn json_format_failure_prints_one_error_object_on_stdout() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            400,
            json!({"code": "InvalidParameter", "message": "bad", "request_id": "r-1"}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--format", "json", "hi"])).code(1);
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["v"], 1);
    assert_eq!(lines[0]["error"]["code"], "InvalidParameter");
    assert_eq!(lines[0]["error"]["status"], 400);
    assert_eq!(lines[0]["error"]["request_id"], "r-1");
}

#[tokio::test]
async fn access_denied_exits_4() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            403,
            json!({"code": "AccessDenied", "message": "Access denied."}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(4);
}

#[tokio::test]
async fn exhausted_free_quota_exits_5_without_retrying() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            429,
            json!({"code": "Throttling.AllocationQuota", "message": "Free allocated quota exceeded."}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(5);
    assert!(!stderr(&a).contains("qwen: retry:"), "{}", stderr(&a));
}

#[tokio::test]
async fn dashscope_insufficient_quota_is_throttling_and_is_retried() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            429,
            json!({"error": {"message": "You exceeded your current quota, please check your plan and billing details.",
                             "type": "insufficient_quota", "code": "insufficient_quota"}, "status": 429}),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("ok\n");
}
