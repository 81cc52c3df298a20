//! Retries of transient failures, `Retry-After`, fallback models and the first-token timeout.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::body_partial_json;
use wiremock::{MockServer, ResponseTemplate};

use crate::common::*;

fn unavailable() -> ResponseTemplate {
    error(
        503,
        json!({"code": "ServiceUnavailable", "message": "Model is unavailable, please try again later.",
               "request_id": "r-503"}),
    )
}

#[tokio::test]
async fn a_503_then_200_succeeds_after_exactly_two_requests() {
    let server = MockServer::start().await;
    chat()
        .respond_with(unavailable())
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    chat()
        .respond_with(stream(&["Hello"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("Hello\n");
    let err = stderr(&a);
    assert!(err.contains("qwen: retry: 503 ServiceUnavailable"), "{err}");
    assert!(err.contains("attempt 2 of 4"), "{err}");
}

#[tokio::test]
async fn retry_sends_the_same_body() {
    let server = MockServer::start().await;
    chat()
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    chat().respond_with(stream(&["Hello"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--seed", "3", "hi"])).success();
    let bodies = bodies(&server).await;
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn retries_flag_bounds_the_attempts() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            500,
            json!({"code": "InternalError", "message": "An internal error has occured"}),
        ))
        .expect(3)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--retries", "2", "hi"])).code(1);
    assert!(stderr(&a).contains("500 InternalError"), "{}", stderr(&a));
}

#[tokio::test]
async fn retries_can_come_from_the_config_file() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            500,
            json!({"code": "InternalError", "message": "boom"}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "retries = 1\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(1);
}

#[tokio::test]
async fn quiet_hides_retry_notes() {
    let server = MockServer::start().await;
    chat()
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    chat().respond_with(stream(&["Hello"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-q", "hi"]))
        .success()
        .stdout("Hello\n")
        .stderr("");
}

#[tokio::test]
async fn retry_after_is_honoured_even_with_zero_backoff() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            error(
                429,
                json!({"code": "Throttling.RateQuota", "message": "Requests rate limit exceeded"}),
            )
            .insert_header("retry-after", "1"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    chat()
        .respond_with(stream(&["late"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("late\n");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900),
        "retried after {elapsed:?}"
    );
}

#[tokio::test]
async fn fallback_model_answers_when_the_first_is_not_found() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-plus"})))
        .respond_with(error(
            404,
            json!({"error": {"message": "The model `qwen-plus` does not exist or you do not have access to it.",
                             "type": "invalid_request_error", "code": "model_not_found"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-turbo"})))
        .respond_with(stream(&["From turbo"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--fallback-model", "qwen-turbo", "hi"]))
            .success()
            .stdout("From turbo\n");
    let err = stderr(&a);
    assert!(err.contains("trying `qwen-turbo`"), "{err}");
    assert!(err.contains("answered by `qwen-turbo` (fallback)"), "{err}");
}

#[tokio::test]
async fn jsonl_done_names_the_fallback_and_what_it_replaced() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-plus"})))
        .respond_with(error(
            404,
            json!({"error": {"message": "not found", "code": "model_not_found"}}),
        ))
        .mount(&server)
        .await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-turbo"})))
        .respond_with(stream(&["ok"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--format",
        "jsonl",
        "--fallback-model",
        "qwen-turbo",
        "hi",
    ]))
    .success();
    let done = jsonl(&a).pop().unwrap();
    assert_eq!(done["type"], "done");
    assert_eq!(done["model"], "qwen-turbo");
    assert_eq!(done["fallback_from"], json!(["qwen-plus"]));
    assert_eq!(done["attempts"], 2);
}

#[tokio::test]
async fn fallback_follows_a_model_that_keeps_failing_after_its_retries() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-plus"})))
        .respond_with(unavailable())
        .expect(2)
        .mount(&server)
        .await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-flash"})))
        .respond_with(stream(&["From flash"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--retries",
        "1",
        "--fallback-model",
        "qwen-flash",
        "hi",
    ]))
    .success()
    .stdout("From flash\n");
    assert!(
        stderr(&a).contains("answered by `qwen-flash` (fallback)"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn fallback_models_can_come_from_the_config_file() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-plus"})))
        .respond_with(error(
            404,
            json!({"code": "ModelNotFound", "message": "Model can not be found."}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-max"})))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "fallback_models = [\"qwen-max\"]\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("ok\n");
}

#[tokio::test]
async fn billing_errors_do_not_fall_back() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            400,
            json!({"error": {"message": "Access denied.", "code": "Arrearage"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--fallback-model", "qwen-turbo", "hi"]))
        .code(5);
}

#[tokio::test]
async fn first_token_timeout_gives_up_quickly_when_the_server_is_silent() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["too late"]).set_delay(Duration::from_secs(3)))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--retries",
        "0",
        "--first-token-timeout",
        "500ms",
        "hi",
    ]))
    .code(1)
    .stdout("");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(2500), "took {elapsed:?}");
    let err = stderr(&a);
    assert!(
        err.contains("no reply from the server within 0.5s"),
        "{err}"
    );
    assert!(err.contains("--first-token-timeout"), "{err}");
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            error(
                503,
                json!({"code": "ServiceUnavailable", "message": "later"}),
            )
            .insert_header("retry-after-ms", "400"),
        )
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
    let started = Instant::now();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(380),
        "retried after {elapsed:?}"
    );
}

#[tokio::test]
async fn retry_after_longer_than_five_minutes_is_not_waited_for() {
    let server = MockServer::start().await;
    chat()
        .respond_with(
            error(
                429,
                json!({"code": "Throttling.RateQuota", "message": "Requests rate limit exceeded"}),
            )
            .insert_header("retry-after", "3600"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(5);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn model_access_denied_falls_back() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-plus"})))
        .respond_with(error(
            403,
            json!({"code": "Model.AccessDenied", "message": "Access to model denied."}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    chat()
        .and(body_partial_json(json!({"model": "qwen-turbo"})))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--fallback-model", "qwen-turbo", "hi"]))
        .success()
        .stdout("ok\n");
}
