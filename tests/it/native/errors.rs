//! Errors over both protocols: either body shape, retries, error events before and after
//! text, an error in a 200 body, and a stream cut before its finish reason.

use super::*;

#[tokio::test]
async fn errors_of_either_shape_are_reported_identically() {
    let compat_401 = json!({"error": {"message": "Incorrect API key provided.",
        "type": "invalid_request_error", "param": null, "code": "invalid_api_key"},
        "request_id": "b02e"});
    let native_401 = json!({"code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": "824f"});
    for body in [compat_401, native_401] {
        let pair = Pair::new(error(401, body.clone()), error(401, body)).await;
        let out = pair.same(&["chat", "hi"]);
        assert_eq!(out.status.code(), Some(4));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("hint: DashScope keys are issued per region"),
            "{err}"
        );
        let out = pair.same(&["chat", "--format", "jsonl", "hi"]);
        let line: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(line["type"], "error");
        assert_eq!(line["status"], 401);
    }
    let throttled = json!({"code": "Throttling.RateQuota",
        "message": "Requests rate limit exceeded, please try again later.", "request_id": "t"});
    let pair = Pair::new(error(429, throttled.clone()), error(429, throttled)).await;
    let out = pair.same(&["chat", "--retries", "1", "hi"]);
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(pair.compat.received_requests().await.unwrap().len(), 2);
    assert_eq!(pair.native.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_503_then_success_is_retried_the_same_way() {
    let unavailable = || {
        error(
            503,
            json!({"code": "ServiceUnavailable", "message": "Model is unavailable.", "request_id": "r"}),
        )
    };
    let pair = Pair {
        compat: MockServer::start().await,
        native: MockServer::start().await,
    };
    chat()
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&pair.compat)
        .await;
    chat()
        .respond_with(stream(&["Hello"]))
        .mount(&pair.compat)
        .await;
    native_chat()
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&pair.native)
        .await;
    native_chat()
        .respond_with(native_stream(&["Hello"]))
        .mount(&pair.native)
        .await;
    let out = pair.same(&["chat", "hi"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Hello\n");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("qwen: retry: 503 ServiceUnavailable"), "{err}");
    let native = bodies(&pair.native).await;
    assert_eq!(native.len(), 2);
    assert_eq!(native[0], native[1], "a retry sends the same body");
}

#[tokio::test]
async fn an_error_event_after_some_text_ends_the_reply_without_a_retry() {
    let server = MockServer::start().await;
    let body = format!(
        "{}id:2\nevent:error\n:HTTP_STATUS/500\ndata:{{\"code\":\"InternalError\",\
         \"message\":\"An internal error has occured.\",\"request_id\":\"e1\"}}\n\n",
        native_event(
            1,
            &native_chunk(
                json!({"content": "Hel", "role": "assistant"}),
                "null",
                (22, 1)
            )
        )
    );
    native_chat()
        .respond_with(sse_response(body))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&native_base(&server.uri()), dir.path()).args(["--api", "native", "chat", "hi"]))
            .code(1)
            .stdout("Hel\n");
    let err = stderr(&a);
    // The `x-request-id` header names the request; the event's own id is the fallback (#12).
    assert!(
        err.contains(&format!(
            "500 InternalError: An internal error has occured. (request id {REQUEST_ID})"
        )),
        "{err}"
    );
}

#[tokio::test]
async fn an_error_event_before_any_text_is_retried() {
    let server = MockServer::start().await;
    let body = "id:1\nevent:error\n:HTTP_STATUS/429\ndata:{\"code\":\"Throttling\",\
                \"message\":\"Requests throttling triggered.\",\"request_id\":\"t1\"}\n\n";
    native_chat()
        .respond_with(sse_response(body.to_owned()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    native_chat()
        .respond_with(native_stream(&["Hello"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args(["--api", "native", "chat", "hi"]))
        .success()
        .stdout("Hello\n");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_in_a_200_body_is_an_error() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided.", "request_id": "k"}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "--no-stream",
        "hi",
    ]))
    .code(4);
    assert!(stderr(&a).contains("InvalidApiKey: Invalid API-key provided."));
}

#[tokio::test]
async fn a_stream_that_ends_without_a_finish_reason_was_cut() {
    let server = MockServer::start().await;
    let body = native_event(
        1,
        &native_chunk(
            json!({"content": "Hel", "role": "assistant"}),
            "null",
            (22, 1),
        ),
    );
    native_chat()
        .respond_with(sse_response(body))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&native_base(&server.uri()), dir.path()).args(["--api", "native", "chat", "hi"]))
            .code(1)
            .stdout("Hel\n");
    assert!(stderr(&a).contains("ended before the reply was complete"));
}
