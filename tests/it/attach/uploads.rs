//! Files over the inline limits go through DashScope's temporary storage (§11.3): a policy
//! per upload (with the key), a multipart POST to the policy's host (without it), then an
//! `oss://` URL with the resolve header; the same bytes are not uploaded twice in 48 hours.

use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{data_url, png, s, write};
use crate::common::*;
use serde_json::{Value, json};

const UPLOAD_DIR: &str = "dashscope-instant/abc/2026-12-06/xyz";

/// The getPolicy answer of the docs, pointing at `host`.
fn policy(host: &str) -> Value {
    json!({"request_id": "52f4383a", "data": {
        "policy": "eyJlcG9s", "signature": "eWyc2ln=", "upload_dir": UPLOAD_DIR,
        "upload_host": host, "expire_in_seconds": 300, "max_file_size_mb": 100,
        "capacity_limit_mb": 999999999, "oss_access_key_id": "LTAI-test",
        "x_oss_object_acl": "private", "x_oss_forbid_overwrite": "true"}})
}

/// A DashScope-shaped server: compat chat under `/compatible-mode/v1`, the policy under
/// `/api/v1/uploads`, the storage at `/oss`.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/compatible-mode/v1/chat/completions"))
        .respond_with(stream(&["ok"]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/uploads"))
        .and(query_param("action", "getPolicy"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(policy(&format!("{}/oss", server.uri()))),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oss"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

fn base(server: &MockServer) -> String {
    format!("{}/compatible-mode/v1", server.uri())
}

async fn requests(server: &MockServer, p: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .collect()
}

/// The names of a multipart body's fields, in order.
fn field_names(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    text.match_indices("Content-Disposition: form-data; name=\"")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_inline_limit_decides_and_uploads_carry_no_key() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    // `data:image/png;base64,` is 22 bytes: 300 bytes encode to 422, 303 to 426.
    write_config(dir.path(), "inline_limit = 422\n");
    let under = png(300);
    let over = png(303);
    let under_path = write(dir.path(), "under.png", &under);
    let over_path = write(dir.path(), "over.png", &over);
    run(qwen(&base(&server), dir.path()).args([
        "chat",
        "-a",
        s(&under_path),
        "-a",
        s(&over_path),
        "hi",
    ]))
    .success()
    .stdout("ok\n");

    let policies = requests(&server, "/api/v1/uploads").await;
    assert_eq!(policies.len(), 1);
    assert_eq!(
        policies[0].url.query(),
        Some("action=getPolicy&model=qwen3-vl-plus")
    );
    let uploads = requests(&server, "/oss").await;
    assert_eq!(uploads.len(), 1);
    let upload = &uploads[0];
    assert!(
        upload.headers.get("authorization").is_none(),
        "the key went to the storage"
    );
    assert!(!String::from_utf8_lossy(&upload.body).contains(KEY));
    assert_eq!(
        field_names(&upload.body),
        [
            "OSSAccessKeyId",
            "Signature",
            "policy",
            "x-oss-object-acl",
            "x-oss-forbid-overwrite",
            "key",
            "success_action_status",
            "file"
        ]
    );
    let text = String::from_utf8_lossy(&upload.body);
    assert!(text.contains(&format!("{UPLOAD_DIR}/over.png")), "{text}");
    assert!(
        upload
            .body
            .windows(over.len())
            .any(|w| w == over.as_slice()),
        "the file's bytes are in the form"
    );

    let chats = requests(&server, "/compatible-mode/v1/chat/completions").await;
    assert_eq!(chats.len(), 1);
    assert_eq!(chats[0].headers["x-dashscope-ossresourceresolve"], "enable");
    let body: Value = chats[0].body_json().unwrap();
    let content = &body["messages"][0]["content"];
    assert_eq!(
        content[1]["image_url"]["url"],
        data_url("image/png", &under)
    );
    assert_eq!(
        content[2]["image_url"]["url"],
        format!("oss://{UPLOAD_DIR}/over.png")
    );
}

#[tokio::test]
async fn max_body_sends_the_rest_through_the_storage() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "max_body = \"2KiB\"\n");
    let img = png(3000);
    let path = write(dir.path(), "big.png", &img);
    run(qwen(&base(&server), dir.path()).args(["chat", "-a", s(&path), "hi"])).success();
    assert_eq!(requests(&server, "/oss").await.len(), 1);
}

#[tokio::test]
async fn an_upload_is_reused_in_its_lifetime_and_redone_after() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "inline_limit = 10\n");
    let path = write(dir.path(), "a.png", &png(100));
    let chat = || run(qwen(&base(&server), dir.path()).args(["chat", "-a", s(&path), "hi"]));
    chat().success();
    // The same bytes under another name are the same upload.
    let copy = write(dir.path(), "copy.png", &png(100));
    run(qwen(&base(&server), dir.path()).args(["chat", "-a", s(&copy), "hi"])).success();
    assert_eq!(requests(&server, "/oss").await.len(), 1);
    assert_eq!(requests(&server, "/api/v1/uploads").await.len(), 1);
    let chats = requests(&server, "/compatible-mode/v1/chat/completions").await;
    let url = |r: &Request| {
        let body: Value = r.body_json().unwrap();
        body["messages"][0]["content"][1]["image_url"]["url"].clone()
    };
    assert_eq!(url(&chats[0]), url(&chats[1]));

    // Expired (or about to): uploaded again.
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let changed = db
        .execute(
            "UPDATE uploads SET expires_ms = expires_ms - 47 * 3600 * 1000",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    chat().success();
    assert_eq!(requests(&server, "/oss").await.len(), 2);
}

#[tokio::test]
async fn a_plain_http_upload_host_elsewhere_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(policy("http://192.0.2.1/bucket")))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "inline_limit = 10\n");
    let path = write(dir.path(), "a.png", &png(100));
    let a = run(qwen(&base(&server), dir.path()).args(["chat", "-a", s(&path), "hi"]));
    let err = stderr(&a.failure());
    assert!(err.contains("refusing to upload"), "{err}");
    // Only the policy was asked for: no chat request, nothing sent to the host.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn dry_run_shows_an_upload_without_making_it() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "inline_limit = 10\n");
    let path = write(dir.path(), "a.png", &png(1234));
    let a = run(qwen(&base(&server), dir.path()).args(["chat", "--dry-run", "-a", s(&path), "hi"]));
    let out = stdout(&a.success());
    assert!(out.contains("<image/png 1,234 bytes, upload>"), "{out}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn without_a_storage_root_a_large_file_is_a_usage_error() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "inline_limit = 10\n");
    let path = write(dir.path(), "a.png", &png(100));
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "-a", s(&path), "hi"]));
    let err = stderr(&a.code(2));
    assert!(err.contains("native_base_url"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    // With the setting, it goes there.
    let server = server_at_root().await;
    write_config(
        dir.path(),
        &format!(
            "inline_limit = 10\nnative_base_url = \"{}/api/v1\"\n",
            server.uri()
        ),
    );
    run(qwen(&server.uri(), dir.path()).args(["chat", "-a", s(&path), "hi"])).success();
    assert_eq!(requests(&server, "/oss").await.len(), 1);
}

/// Like [`server`], with compat chat at the root (a base URL that maps to no native root).
async fn server_at_root() -> MockServer {
    let server = server().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    server
}
