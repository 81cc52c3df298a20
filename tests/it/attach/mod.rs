//! `--attach`: the exact request shapes of each kind on both protocols, the model checks made
//! before anything is sent, and payloads kept out of `--dry-run` and `-v`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use wiremock::MockServer;
use wiremock::matchers::{body_partial_json, header, method, path};

use crate::common::*;

mod batch;
mod uploads;

/// A file whose magic bytes say PNG, `len` bytes long.
pub fn png(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..len.saturating_sub(bytes.len())).map(|i| (i % 251) as u8));
    bytes.truncate(len);
    bytes
}

/// A WAV file header and some samples.
fn wav() -> Vec<u8> {
    let mut bytes = b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0".to_vec();
    bytes.extend([7u8; 64]);
    bytes
}

/// An MP4 file's first box.
fn mp4() -> Vec<u8> {
    let mut bytes = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    bytes.extend([3u8; 64]);
    bytes
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The data URL of `bytes`.
pub fn data_url(mime: &str, bytes: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[tokio::test]
async fn compat_parts_follow_the_text_in_the_order_given() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let (img, clip, rec) = (png(300), mp4(), wav());
    let img_path = write(dir.path(), "shot.png", &img);
    let clip_path = write(dir.path(), "clip.mp4", &clip);
    let rec_path = write(dir.path(), "voice.wav", &rec);
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    let (f1, f2) = (png(40), png(50));
    write(&frames, "002.png", &f2);
    write(&frames, "001.png", &f1);
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "-m",
        "qwen3-omni-flash",
        "-a",
        s(&img_path),
        "-a",
        "https://example.test/pic.jpg",
        "-a",
        s(&clip_path),
        "-a",
        s(&rec_path),
        "--attach-frames",
        s(&frames),
        "What is wrong here?",
    ]));
    a.success().stdout("ok\n");
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["messages"],
        json!([{"role": "user", "content": [
            {"type": "text", "text": "What is wrong here?"},
            {"type": "image_url", "image_url": {"url": data_url("image/png", &img)}},
            {"type": "image_url", "image_url": {"url": "https://example.test/pic.jpg"}},
            {"type": "video_url", "video_url": {"url": data_url("video/mp4", &clip)}},
            {"type": "input_audio", "input_audio": {"data": data_url("audio/wav", &rec), "format": "wav"}},
            {"type": "video", "video": [data_url("image/png", &f1), data_url("image/png", &f2)]},
        ]}])
    );
    // Omni is stream-only; no oss:// URL, so no resolve header.
    assert_eq!(body["stream"], true);
    let req = &server.received_requests().await.unwrap()[0];
    assert!(req.headers.get("x-dashscope-ossresourceresolve").is_none());
}

#[tokio::test]
async fn native_parts_go_to_the_multimodal_path_without_types() {
    let server = MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .respond_with(native_stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let (img, rec) = (png(120), wav());
    let img_path = write(dir.path(), "a.png", &img);
    let rec_path = write(dir.path(), "b.wav", &rec);
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    let f1 = png(30);
    write(&frames, "1.png", &f1);
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "-m",
        "qwen3-omni-flash",
        "-a",
        s(&img_path),
        "-a",
        "oss://dir/movie.mp4",
        "-a",
        s(&rec_path),
        "--attach-frames",
        s(&frames),
        "--high-resolution",
        "describe",
    ]))
    .success()
    .stdout("ok\n");
    let req = &server.received_requests().await.unwrap()[0];
    let body: Value = req.body_json().unwrap();
    assert_eq!(
        body["input"]["messages"],
        json!([{"role": "user", "content": [
            {"text": "describe"},
            {"image": data_url("image/png", &img)},
            {"video": "oss://dir/movie.mp4"},
            {"audio": data_url("audio/wav", &rec)},
            {"video": [data_url("image/png", &f1)]},
        ]}])
    );
    assert_eq!(body["parameters"]["vl_high_resolution_images"], true);
    assert_eq!(req.headers["x-dashscope-ossresourceresolve"], "enable");
    assert_eq!(req.headers["x-dashscope-sse"], "enable");
}

#[tokio::test]
async fn a_text_model_with_media_on_native_still_goes_multimodal() {
    let server = MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path(NATIVE_MULTIMODAL_PATH))
        .respond_with(native_stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&native_base(&server.uri()), dir.path()).args([
        "--api",
        "native",
        "chat",
        "-m",
        "my-local-model",
        "-a",
        "https://example.test/x.png",
        "hi",
    ]))
    .success();
}

#[tokio::test]
async fn without_a_model_media_picks_the_vision_model_and_says_so() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"model": "qwen3-vl-plus"})))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let img = write(dir.path(), "screenshot.png", &png(64));
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "-a", s(&img), "What is wrong here?"]));
    let err = stderr(&a.success());
    assert!(err.contains("using `qwen3-vl-plus`"), "{err}");
}

#[tokio::test]
async fn audio_without_a_model_picks_the_audio_model_and_streams() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(
            json!({"model": "qwen3-omni-flash", "stream": true}),
        ))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let rec = write(dir.path(), "memo.wav", &wav());
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-stream", "-a", s(&rec), "sum up"]))
        .success();
}

#[tokio::test]
async fn refused_attachments_send_nothing() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let img = write(dir.path(), "a.png", &png(64));
    let pdf = write(dir.path(), "paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["-m", "qwen-plus", "-a", s(&img)],
            "`qwen-plus` takes no images",
        ),
        (
            vec!["-m", "qwen3-vl-plus", "-a", "https://example.test/a.mp3"],
            "`qwen3-vl-plus` takes no audio",
        ),
        (vec!["-a", s(&pdf)], "(detected: application/pdf)"),
        (vec!["-a", "missing.png"], "cannot read `missing.png`"),
        (vec!["-a", s(dir.path())], "is a directory"),
        (
            vec!["-a", "https://example.test/page"],
            "cannot tell the kind",
        ),
        (vec!["-a", "-", "-"], "both the prompt"),
    ];
    for (args, want) in cases {
        let a = run(qwen(&server.uri(), dir.path())
            .arg("chat")
            .args(&args)
            .arg("hi"));
        let err = stderr(&a.code(2));
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let pdf_err =
        stderr(&run(qwen(&server.uri(), dir.path()).args(["chat", "-a", s(&pdf), "hi"])).code(2));
    assert!(pdf_err.contains("paper.pdf"), "{pdf_err}");
    let qwen_plus = stderr(
        &run(qwen(&server.uri(), dir.path()).args(["chat", "-m", "qwen-plus", "-a", s(&img), "x"]))
            .code(2),
    );
    assert!(
        qwen_plus.contains("qwen3-vl-plus"),
        "names a model that would take it: {qwen_plus}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn an_unknown_model_is_sent_as_asked() {
    let server = MockServer::start().await;
    chat()
        .and(body_partial_json(json!({"model": "llava:7b"})))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let img = write(dir.path(), "a.png", &png(64));
    run(qwen(&server.uri(), dir.path()).args(["chat", "-m", "llava:7b", "-a", s(&img), "hi"]))
        .success();
}

#[tokio::test]
async fn standard_input_can_be_the_attachment() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let img = png(77);
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "-a", "-", "what is this?"])
        .write_stdin(img.clone()))
    .success();
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["messages"][0]["content"][1]["image_url"]["url"],
        data_url("image/png", &img)
    );
}

#[tokio::test]
async fn dry_run_and_verbose_show_sizes_not_base64() {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let img = png(48_213);
    let path = write(dir.path(), "a.png", &img);
    let encoded = &data_url("image/png", &img)[22..80];
    for format in ["text", "jsonl"] {
        let a = run(qwen(&server.uri(), dir.path()).args([
            "chat",
            "--dry-run",
            "--format",
            format,
            "-a",
            s(&path),
            "hi",
        ]));
        let out = stdout(&a.success());
        assert!(out.contains("<image/png 48,213 bytes, inline>"), "{out}");
        assert!(!out.contains(encoded), "{out}");
    }
    let a = run(qwen(&server.uri(), dir.path()).args(["-v", "chat", "-a", s(&path), "hi"]));
    let err = stderr(&a.success());
    assert!(err.contains("<image/png 48,213 bytes, inline>"), "{err}");
    assert!(!err.contains(encoded));
    // The request itself carried the data.
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["messages"][0]["content"][1]["image_url"]["url"],
        data_url("image/png", &img)
    );
}

#[tokio::test]
async fn a_text_file_attached_joins_the_prompt_like_file() {
    let server = MockServer::start().await;
    chat()
        .and(header("content-type", "application/json"))
        .respond_with(stream(&["ok"]))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let notes = write(dir.path(), "notes.txt", b"remember\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "-a", s(&notes), "read"])).success();
    let body = &bodies(&server).await[0];
    assert_eq!(body["model"], "qwen-plus");
    assert!(prompt(body).contains("remember"));
}

#[tokio::test]
async fn media_tokens_reach_the_usage_event_the_ledger_and_the_reports() {
    let server = MockServer::start().await;
    let body = json!({"id": "c", "model": "qwen3-vl-plus", "choices": [{"index": 0,
        "message": {"role": "assistant", "content": "a cat"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1300, "completion_tokens": 3, "total_tokens": 1303,
                  "prompt_tokens_details": {"image_tokens": 1249, "cached_tokens": 0}}});
    chat()
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let img = write(dir.path(), "cat.png", &png(64));
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--no-stream",
        "--format",
        "jsonl",
        "-a",
        s(&img),
        "what?",
    ]));
    let events = jsonl(&a.success());
    let usage = events.iter().find(|e| e["type"] == "usage").unwrap();
    assert_eq!(usage["image_tokens"], 1249);
    assert!(usage.get("audio_tokens").is_none());
    let log = run(qwen(&server.uri(), dir.path()).args(["usage", "log", "--format", "jsonl"]));
    let rows = jsonl(&log.success());
    assert_eq!(rows[0]["image_tokens"], 1249);
    let report = run(qwen(&server.uri(), dir.path()).args(["usage", "--format", "jsonl"]));
    let groups = jsonl(&report.success());
    assert!(
        groups.iter().any(|g| g["image_tokens"] == 1249),
        "{groups:?}"
    );
}
