//! Where native requests go and what they carry: the body and headers, the multimodal path,
//! profiles and regions that choose the native root.

use super::*;

#[tokio::test]
async fn native_requests_carry_the_native_body_and_headers() {
    let server = MockServer::start().await;
    native_chat()
        .and(header("x-dashscope-sse", "enable"))
        .and(header("accept", "text/event-stream"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(json!({
            "model": "qwen-plus",
            "input": {"messages": [{"role": "system", "content": "Be brief."},
                                   {"role": "user", "content": "hi"}]},
            "parameters": {"result_format": "message", "incremental_output": true,
                           "max_tokens": 5, "enable_thinking": false, "n": 2}
        })))
        .respond_with(native_stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "-s",
        "Be brief.",
        "--max-tokens",
        "5",
        "--no-think",
        "--extra",
        "n=2",
        "hi",
    ]))
    .success()
    .stdout("ok\n");
}

#[tokio::test]
async fn qwen3_5_and_later_use_the_multimodal_path_with_content_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .and(body_partial_json(json!({
            "input": {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "output": {"choices": [{"finish_reason": "stop", "message": {"role": "assistant",
                "content": [{"text": "Hi "}, {"text": "there"}]}}]},
            "usage": {"input_tokens": 3, "output_tokens": 2}, "request_id": "mm"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "-m",
        "qwen3.6-plus",
        "chat",
        "--no-stream",
        "hi",
    ]))
    .success()
    .stdout("Hi there\n");
}

#[tokio::test]
async fn a_profile_can_choose_the_native_api() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(native_stream(&["from native"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "profile = \"n\"\n[profiles.n]\napi = \"native\"\nbase_url = \"{}\"\n",
            native_base(&server.uri())
        ),
    );
    run(qwen(&server.uri(), dir.path())
        .env_remove("DASHSCOPE_BASE_URL")
        .args(["chat", "hi"]))
    .success()
    .stdout("from native\n");
    write_config(dir.path(), "api = \"grpc\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    assert!(
        stderr(&a).contains("use compat or native"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn a_region_gives_the_native_root() {
    let dir = tempfile::tempdir().unwrap();
    let trap = Trap::new();
    for (region, url) in [
        (
            "cn",
            "https://dashscope.aliyuncs.com/api/v1/services/aigc/text-generation/generation",
        ),
        (
            "intl",
            "https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/text-generation/generation",
        ),
    ] {
        let mut cmd = qwen("unused", dir.path());
        cmd.env_remove("DASHSCOPE_BASE_URL").args([
            "--api",
            "native",
            "--region",
            region,
            "chat",
            "--dry-run",
            "--format",
            "json",
            "hi",
        ]);
        trap.arm(&mut cmd);
        let a = run(&mut cmd).success();
        let v = &jsonl(&a)[0];
        assert_eq!(v["url"], url);
        assert_eq!(v["headers"]["X-DashScope-SSE"], "enable");
        assert_eq!(v["body"]["input"]["messages"][0]["content"], "hi");
    }
    let mut cmd = qwen("unused", dir.path());
    cmd.env_remove("DASHSCOPE_BASE_URL").args([
        "--region",
        "us",
        "chat",
        "--dry-run",
        "--format",
        "json",
        "hi",
    ]);
    let a = run(&mut cmd).success();
    assert_eq!(
        jsonl(&a)[0]["url"],
        "https://dashscope-us.aliyuncs.com/compatible-mode/v1/chat/completions"
    );
    assert_eq!(trap.connections(), 0);
}
