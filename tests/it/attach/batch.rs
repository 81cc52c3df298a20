//! `qwen batch` with media: walked images become items, `--attach` rides on every item,
//! JSONL `attachments` and Batch API media lines, resume without re-uploading, `--remote`
//! lines with data URLs and `oss://` URLs, and `--dry-run`'s attachment list.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{data_url, png, s, wav, write};
use crate::batch_api::BatchApi;
use crate::common::*;

/// `photos/` with two images, a note and a recording.
fn photos(dir: &Path) -> (PathBuf, Vec<u8>, Vec<u8>) {
    let photos = dir.join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    let (a, b) = (png(200), png(260));
    write(&photos, "a.png", &a);
    write(&photos, "b.png", &b);
    write(&photos, "notes.txt", b"just text\n");
    write(&photos, "memo.wav", &wav());
    (photos, a, b)
}

/// The request bodies the server received, by the text of their last message.
async fn by_text(server: &MockServer) -> Vec<(String, Value)> {
    bodies(server)
        .await
        .into_iter()
        .map(|b| {
            let content = &b["messages"].as_array().unwrap().last().unwrap()["content"];
            let text = match content {
                Value::String(t) => t.clone(),
                other => other[0]["text"].as_str().unwrap_or_default().to_owned(),
            };
            (text, b)
        })
        .collect()
}

#[tokio::test]
async fn a_folder_of_mixed_files_gives_one_line_per_file() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let (photos, a, _) = photos(dir.path());
    let out = dir.path().join("alt.jsonl");
    run(qwen(&server.uri(), dir.path()).args([
        "batch",
        s(&photos),
        "-m",
        "qwen3-vl-flash",
        "--prompt",
        "Alt text for {name}",
        "-o",
        s(&out),
    ]))
    .code(3); // one item skipped
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    let status = |name: &str| {
        lines
            .iter()
            .find(|l| l["id"].as_str().unwrap().ends_with(name))
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("a.png"), "ok");
    assert_eq!(status("b.png"), "ok");
    assert_eq!(status("notes.txt"), "ok");
    // qwen3-vl-flash takes no audio: the recording is skipped, as binary files were.
    assert_eq!(status("memo.wav"), "skipped");
    let sent = by_text(&server).await;
    assert_eq!(sent.len(), 3);
    let (_, body) = sent
        .iter()
        .find(|(t, _)| t == "Alt text for a.png")
        .unwrap();
    assert_eq!(
        body["messages"].as_array().unwrap().last().unwrap()["content"],
        json!([{"type": "text", "text": "Alt text for a.png"},
               {"type": "image_url", "image_url": {"url": data_url("image/png", &a)}}])
    );
    assert_eq!(body["model"], "qwen3-vl-flash");
}

#[tokio::test]
async fn without_a_model_media_items_go_to_the_vision_and_audio_models() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let (photos, _, _) = photos(dir.path());
    run(qwen(&server.uri(), dir.path()).args(["batch", s(&photos), "--prompt", "Describe {name}"]))
        .success();
    let models: std::collections::BTreeMap<String, String> = by_text(&server)
        .await
        .into_iter()
        .map(|(t, b)| (t, b["model"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(models["Describe a.png"], "qwen3-vl-plus");
    assert_eq!(models["Describe memo.wav"], "qwen3-omni-flash");
    assert!(
        models
            .iter()
            .any(|(t, m)| t.starts_with("Describe notes.txt") && m == "qwen-plus")
    );
}

#[tokio::test]
async fn content_placeholder_with_a_media_file_is_a_usage_error() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let img = write(dir.path(), "a.png", &png(100));
    let a =
        run(qwen(&server.uri(), dir.path()).args(["batch", s(&img), "--prompt", "Fix {content}"]));
    let a = a.code(2);
    let out = stdout(&a);
    assert!(out.contains("{content}"), "{out}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn attach_rides_on_every_item_and_jsonl_lines_bring_their_own() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let logo = png(90);
    let logo_path = write(dir.path(), "logo.png", &logo);
    let own = png(70);
    let own_path = write(dir.path(), "own.png", &own);
    let data = data_url("image/png", &png(33));
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        format!(
            "{}\n{}\n",
            json!({"id": "one", "prompt": "first", "attachments": [s(&own_path), "https://example.test/x.jpg"]}),
            json!({"custom_id": "two", "method": "POST", "url": "/v1/chat/completions",
                   "body": {"model": "qwen3-vl-plus", "messages": [{"role": "user", "content": [
                       {"type": "text", "text": "second"},
                       {"type": "image_url", "image_url": {"url": data}}]}]}}),
        ),
    )
    .unwrap();
    run(qwen(&server.uri(), dir.path()).args(["batch", "--input", s(&input), "-a", s(&logo_path)]))
        .success();
    let sent = by_text(&server).await;
    let content = |text: &str| {
        let (_, b) = sent.iter().find(|(t, _)| t == text).unwrap();
        b["messages"].as_array().unwrap().last().unwrap()["content"].clone()
    };
    assert_eq!(
        content("first"),
        json!([{"type": "text", "text": "first"},
               {"type": "image_url", "image_url": {"url": data_url("image/png", &own)}},
               {"type": "image_url", "image_url": {"url": "https://example.test/x.jpg"}},
               {"type": "image_url", "image_url": {"url": data_url("image/png", &logo)}}])
    );
    // The Batch API line's own image passes through as it was.
    assert_eq!(
        content("second"),
        json!([{"type": "text", "text": "second"},
               {"type": "image_url", "image_url": {"url": data}},
               {"type": "image_url", "image_url": {"url": data_url("image/png", &logo)}}])
    );
}

#[tokio::test]
async fn dry_run_lists_each_items_attachments_and_how_they_travel() {
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "inline_limit = 300\nnative_base_url = \"http://127.0.0.1:9/api/v1\"\n",
    );
    let photos = dir.path().join("p");
    std::fs::create_dir(&photos).unwrap();
    write(&photos, "small.png", &png(100));
    write(&photos, "large.png", &png(1000));
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args([
        "batch",
        s(&photos),
        "--dry-run",
        "-a",
        "https://example.test/ref.png",
    ]));
    let a = a.success();
    let lines = jsonl(&a);
    let item = |name: &str| {
        lines
            .iter()
            .find(|l| l["id"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    let small = item("small.png");
    assert_eq!(small["attachments"][0]["kind"], "image");
    assert_eq!(small["attachments"][0]["bytes"], 100);
    assert_eq!(small["attachments"][0]["travel"], "inline");
    assert_eq!(small["attachments"][1]["travel"], "url");
    assert_eq!(item("large.png")["attachments"][0]["travel"], "upload");
    assert!(!stdout(&a).contains("base64"));
}

/// A storage fake: the policy at `/api/v1/uploads`, the bucket at `/oss`.
async fn storage() -> MockServer {
    let server = MockServer::start().await;
    let host = format!("{}/oss", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/v1/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {
            "policy": "p", "signature": "s", "upload_dir": "dir", "upload_host": host,
            "oss_access_key_id": "id", "x_oss_object_acl": "private",
            "x_oss_forbid_overwrite": "true"}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oss"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    server
}

async fn count(server: &MockServer, p: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == p)
        .count()
}

#[tokio::test]
async fn a_resumed_or_repeated_batch_never_uploads_twice() {
    let server = storage().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "inline_limit = 10\nnative_base_url = \"{}/api/v1\"\n",
            server.uri()
        ),
    );
    let (photos, _, _) = photos(dir.path());
    std::fs::remove_file(photos.join("memo.wav")).unwrap();
    let out = dir.path().join("out.jsonl");
    let batch = |extra: &[&str]| {
        run(qwen(&server.uri(), dir.path())
            .args(["batch", s(&photos), "-m", "qwen3-vl-plus", "-o", s(&out)])
            .args(extra))
    };
    batch(&[]).success();
    assert_eq!(count(&server, "/oss").await, 2);
    let chats = count(&server, "/chat/completions").await;
    // Resumed: nothing left to do, nothing uploaded.
    batch(&["--resume"]).success();
    assert_eq!(count(&server, "/oss").await, 2);
    assert_eq!(count(&server, "/chat/completions").await, chats);
    // Run again from scratch: every request again, but the uploads are reused.
    batch(&["--force"]).success();
    assert_eq!(count(&server, "/oss").await, 2);
    assert_eq!(count(&server, "/chat/completions").await, chats * 2);
    let sent: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/chat/completions")
        .map(|r| r.body_json().unwrap())
        .collect();
    assert!(sent.iter().any(|b| {
        b["messages"][0]["content"][0]["image_url"]["url"]
            .as_str()
            .is_some_and(|u| u == "oss://dir/a.png")
    }));
}

#[test]
fn remote_lines_carry_data_urls_or_oss_urls() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let storage = rt.block_on(storage());
    write_config(
        dir.path(),
        &format!("native_base_url = \"{}/api/v1\"\n", storage.uri()),
    );
    let photos = dir.path().join("p");
    std::fs::create_dir(&photos).unwrap();
    let small = png(500);
    write(&photos, "small.png", &small);
    write(&photos, "big.png", &png(5000));
    let api = BatchApi::start("completed");
    run(qwen(&api.uri(), dir.path()).args([
        "batch",
        "--remote",
        "--poll-interval",
        "5ms",
        "-m",
        "qwen3-vl-plus",
        "--max-line-bytes",
        "3000",
        s(&photos),
    ]))
    .success();
    let lines = api.uploaded_lines();
    assert_eq!(lines.len(), 2);
    let url_of = |name: &str| {
        lines
            .iter()
            .find(|l| l["custom_id"].as_str().unwrap().ends_with(name))
            .unwrap()["body"]["messages"][0]["content"][0]["image_url"]["url"]
            .clone()
    };
    assert_eq!(url_of("small.png"), data_url("image/png", &small));
    assert_eq!(url_of("big.png"), "oss://dir/big.png");
    assert_eq!(rt.block_on(count(&storage, "/oss")), 1);
}
