//! Web search with sources: `--sources` goes native (from a compat base URL by the
//! documented root mapping, or `native_base_url`), `search_options` on both protocols, the
//! sources in every output format, and only the first frame's list counts.

use serde_json::{Value, json};
use wiremock::MockServer;

use crate::common::*;

/// A native stream whose first frame holds two sources and the first text, and whose later
/// frames repeat `search_info` with an empty list (research-wire §5).
fn searched_stream() -> String {
    let sources = json!([
        {"site_name": "Example", "icon": "", "index": 1,
         "title": "Paris \u{1b}[31mweather", "url": "https://a.example/paris"},
        {"site_name": "无", "icon": "", "index": 2, "title": "Forecast",
         "url": "https://b.example/f"}
    ]);
    let frame = |n: usize, text: &str, results: Value, finish: &str| {
        let mut chunk = native_chunk(
            json!({"content": text, "role": "assistant"}),
            finish,
            (9, n as u64),
        );
        chunk["output"]["search_info"] = json!({"extra_tool_info": [], "search_results": results});
        native_event(n, &chunk)
    };
    [
        frame(1, "Sunny", sources, "null"),
        frame(2, " [1].", json!([]), "null"),
        frame(3, "", json!([]), "stop"),
    ]
    .concat()
}

#[tokio::test]
async fn sources_from_a_compat_base_go_native_and_come_first_in_jsonl() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(sse_response(searched_stream()))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let base = format!("{}/compatible-mode/v1", server.uri());
    let a = run(qwen(&base, dir.path()).args([
        "-v",
        "--format",
        "jsonl",
        "chat",
        "weather in Paris?",
        "--sources",
    ]))
    .success();
    let lines = jsonl(&a);
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(&types[..4], ["source", "source", "text", "text"]);
    assert_eq!(
        lines[0],
        json!({"v": 1, "type": "source", "index": 1, "title": "Paris \u{1b}[31mweather",
               "url": "https://a.example/paris", "site": "Example"})
    );
    assert_eq!(lines[1]["site"], "无");
    assert_eq!(types.iter().filter(|t| **t == "source").count(), 2);
    assert!(
        stderr(&a).contains("`--sources` goes over DashScope's native protocol"),
        "{}",
        stderr(&a)
    );
    let body = &bodies(&server).await[0];
    assert_eq!(body["parameters"]["enable_search"], true);
    assert_eq!(
        body["parameters"]["search_options"],
        json!({"enable_source": true, "enable_citation": true, "citation_format": "[<number>]"})
    );
}

#[tokio::test]
async fn json_has_a_sources_array_and_text_mode_a_list_on_stderr() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(sse_response(searched_stream()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let base = native_base(&server.uri());
    let a = run(qwen(&base, dir.path()).args([
        "--api",
        "native",
        "--format",
        "json",
        "chat",
        "q",
        "--sources",
    ]))
    .success();
    let doc = &jsonl(&a)[0];
    assert_eq!(doc["text"], "Sunny [1].");
    assert_eq!(doc["sources"].as_array().unwrap().len(), 2);
    assert_eq!(doc["sources"][1]["url"], "https://b.example/f");

    let a =
        run(qwen(&base, dir.path()).args(["--api", "native", "chat", "q", "--sources"])).success();
    assert_eq!(stdout(&a), "Sunny [1].\n", "stdout holds the reply only");
    assert_eq!(
        stderr(&a),
        "sources:\n[1] Paris \\u{1b}[31mweather (Example) https://a.example/paris\n\
         [2] Forecast https://b.example/f\n"
    );
}

#[tokio::test]
async fn strategy_and_forced_search_stay_on_compat_without_sources() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "q",
        "--search-strategy",
        "max",
        "--force-search",
    ]))
    .success();
    let body = &bodies(&server).await[0];
    assert_eq!(body["enable_search"], true);
    assert_eq!(
        body["search_options"],
        json!({"forced_search": true, "search_strategy": "max"})
    );
}

#[tokio::test]
async fn native_base_url_is_used_and_an_unmappable_base_is_refused() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path(
            "/custom/api/v1/services/aigc/text-generation/generation",
        ))
        .respond_with(sse_response(searched_stream()))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let base = format!("{}/v1", server.uri());
    let a = run(qwen(&base, dir.path()).args(["chat", "q", "--sources"])).code(2);
    assert!(stderr(&a).contains("native_base_url"), "{}", stderr(&a));
    write_config(
        dir.path(),
        &format!("native_base_url = \"{}/custom/api/v1\"\n", server.uri()),
    );
    run(qwen(&base, dir.path()).args(["chat", "q", "--sources"])).success();
}

#[test]
fn dry_run_shows_the_native_route_of_a_region() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("", dir.path()).env_remove("DASHSCOPE_BASE_URL").args([
        "--region",
        "us",
        "--format",
        "jsonl",
        "chat",
        "--dry-run",
        "q",
        "--sources",
    ]))
    .success();
    assert_eq!(
        jsonl(&a)[0]["url"],
        "https://dashscope-us.aliyuncs.com/api/v1/services/aigc/text-generation/generation"
    );
}

#[tokio::test]
async fn batch_lines_carry_the_sources_and_remote_refuses_them() {
    let server = MockServer::start().await;
    native_chat()
        .respond_with(sse_response(searched_stream()))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"prompt\":\"one\"}\n{\"id\":\"b\",\"prompt\":\"two\"}\n",
    )
    .unwrap();
    let base = format!("{}/compatible-mode/v1", server.uri());
    let a = run(qwen(&base, dir.path())
        .args(["batch", "--sources", "--input"])
        .arg(&input))
    .success();
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert_eq!(line["output"], "Sunny [1].");
        assert_eq!(line["sources"][0]["index"], 1);
        assert_eq!(line["sources"][1]["url"], "https://b.example/f");
    }
    let body = &bodies(&server).await[0];
    assert_eq!(body["parameters"]["search_options"]["enable_source"], true);
    let a = run(qwen(&base, dir.path())
        .args(["batch", "--remote", "--sources", "--input"])
        .arg(&input))
    .code(2);
    assert!(stderr(&a).contains("Batch API"), "{}", stderr(&a));
}
