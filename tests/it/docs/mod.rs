//! `--doc` (Qwen-Long, dashscope-protocol.md §11.4): uploads with `purpose=file-extract` once
//! per content, the wait while a file is parsed, and the `fileid://` system message.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

mod batch;
mod files;
mod tools;

/// Answers uploads with `file-fe-1`, `file-fe-2`, … and the given status.
pub struct Upload {
    count: Arc<AtomicUsize>,
    status: &'static str,
}

impl Respond for Upload {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        let body = String::from_utf8_lossy(&request.body);
        let name = body
            .split("filename=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("?")
            .to_owned();
        ResponseTemplate::new(200).set_body_json(json!({
            "id": format!("file-fe-{n}"), "bytes": 12, "created_at": 1_729_065_448,
            "filename": name, "object": "file", "purpose": "file-extract",
            "status": self.status, "status_details": null}))
    }
}

/// Answers `GET /files/{id}` with `processing` the first `pending` times, then `last`.
pub struct Status {
    count: Arc<AtomicUsize>,
    pending: usize,
    last: &'static str,
}

impl Respond for Status {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, Ordering::SeqCst);
        let id = request.url.path().rsplit('/').next().unwrap_or("?");
        let status = if n < self.pending {
            "processing"
        } else {
            self.last
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "id": id, "object": "file", "purpose": "file-extract", "status": status,
            "status_details": if status == "error" { json!("unsupported format") } else { Value::Null }}))
    }
}

/// A fake with the files API and a chat that answers `ok`; returns the upload counter.
pub async fn server(
    upload_status: &'static str,
    pending: usize,
    last: &'static str,
) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let uploads = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(Upload {
            count: Arc::clone(&uploads),
            status: upload_status,
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/files/[^/]+$"))
        .respond_with(Status {
            count: Arc::new(AtomicUsize::new(0)),
            pending,
            last,
        })
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    (server, uploads)
}

pub(super) async fn requests(server: &MockServer, method: &str, p: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == method && r.url.path() == p)
        .collect()
}

/// The chat bodies the server received.
pub(super) async fn chats(server: &MockServer) -> Vec<Value> {
    requests(server, "POST", "/chat/completions")
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

pub(super) fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[tokio::test]
async fn a_document_is_uploaded_once_per_content_and_referenced_after_the_system_prompt() {
    let (server, uploads) = server("processed", 0, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "report.txt", "Q3 revenue: 12");
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--doc",
        &doc,
        "-s",
        "You are terse.",
        "Summarise",
    ]))
    .success();
    assert_eq!(stdout(&a), "ok\n");
    assert!(
        stderr(&a).contains("documents attached: using `qwen-long` (pass `-m` to choose)"),
        "{}",
        stderr(&a)
    );
    let up = requests(&server, "POST", "/files").await;
    assert_eq!(up.len(), 1);
    let form = String::from_utf8_lossy(&up[0].body).into_owned();
    assert!(
        form.contains("name=\"purpose\"\r\n\r\nfile-extract\r\n"),
        "{form}"
    );
    assert!(
        form.contains("name=\"file\"; filename=\"report.txt\""),
        "{form}"
    );
    assert!(form.contains("Q3 revenue: 12"), "{form}");
    assert_eq!(
        up[0]
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap(),
        format!("Bearer {KEY}")
    );
    let body = &chats(&server).await[0];
    assert_eq!(body["model"], "qwen-long");
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(
        messages[0],
        json!({"role": "system", "content": "You are terse."})
    );
    assert_eq!(
        messages[1],
        json!({"role": "system", "content": "fileid://file-fe-1"})
    );
    assert_eq!(messages[2]["role"], "user");

    // The same bytes again: no upload, the same id.
    run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "Again"])).success();
    assert_eq!(uploads.load(Ordering::SeqCst), 1);
    let body = &chats(&server).await[1];
    assert_eq!(body["messages"][0]["content"], "fileid://file-fe-1");
    // A changed file is uploaded again.
    write(dir.path(), "report.txt", "Q3 revenue: 13");
    run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "Again"])).success();
    assert_eq!(uploads.load(Ordering::SeqCst), 2);
    assert_eq!(
        chats(&server).await[2]["messages"][0]["content"],
        "fileid://file-fe-2"
    );
}

#[tokio::test]
async fn several_documents_share_one_reference_after_the_configured_system_prompt() {
    let (server, _) = server("processed", 0, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "system = \"From config.\"\n");
    let a = write(dir.path(), "a.md", "alpha");
    let b = write(dir.path(), "b.md", "beta");
    let out = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "-m",
        "qwen-long-latest",
        "--doc",
        &a,
        "--doc",
        &b,
        "Compare",
    ]))
    .success();
    // `-m` given: no note about the model.
    assert!(
        !stderr(&out).contains("using `qwen-long`"),
        "{}",
        stderr(&out)
    );
    let body = &chats(&server).await[0];
    assert_eq!(body["model"], "qwen-long-latest");
    assert_eq!(body["messages"][0]["content"], "From config.");
    assert_eq!(
        body["messages"][1],
        json!({"role": "system", "content": "fileid://file-fe-1,fileid://file-fe-2"})
    );
}

#[tokio::test]
async fn a_file_still_being_parsed_is_polled_until_processed() {
    let (server, _) = server("processing", 2, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "report.pdf", "%PDF-1.4 …");
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "Summarise"])).success();
    let err = stderr(&a);
    assert_eq!(
        err.matches("waiting for `report.pdf` to be parsed").count(),
        1,
        "{err}"
    );
    assert_eq!(requests(&server, "GET", "/files/file-fe-1").await.len(), 3);
    assert_eq!(chats(&server).await.len(), 1);
}

#[tokio::test]
async fn the_parsing_in_progress_400_is_asked_again() {
    let server = MockServer::start().await;
    let uploads = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(Upload {
            count: uploads,
            status: "processed",
        })
        .mount(&server)
        .await;
    chat()
        .respond_with(error(
            400,
            json!({"error": {"code": "invalid_parameter_error", "type": "invalid_request_error",
                "message": "File parsing in progress, please try again later."}}),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "report.pdf", "%PDF-1.4");
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "Summarise"])).success();
    assert_eq!(stdout(&a), "ok\n");
    assert!(
        stderr(&a).contains("waiting for `report.pdf` to be parsed"),
        "{}",
        stderr(&a)
    );
    assert_eq!(chats(&server).await.len(), 2);
}

#[tokio::test]
async fn parsing_that_outlasts_the_timeout_is_exit_1() {
    let (server, _) = server("processing", usize::MAX, "processing").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "doc_parse_timeout = \"300ms\"\n");
    let doc = write(dir.path(), "slow.pdf", "%PDF");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "Summarise"])).code(1);
    assert!(
        stderr(&a).contains(
            "gave up waiting for `slow.pdf` to be parsed after 0.3s (`doc_parse_timeout`)"
        ),
        "{}",
        stderr(&a)
    );
    assert!(chats(&server).await.is_empty());
}

#[tokio::test]
async fn a_file_the_server_cannot_parse_is_exit_1_naming_it() {
    let (server, _) = server("processing", 1, "error").await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "broken.docx", "not a docx");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "Summarise"])).code(1);
    assert!(
        stderr(&a).contains("could not parse `broken.docx` (file-fe-1): error: unsupported format"),
        "{}",
        stderr(&a)
    );
    assert!(chats(&server).await.is_empty());
}

#[tokio::test]
async fn missing_and_oversized_documents_are_exit_2_before_any_request() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", "nope.pdf", "hi"])).code(2);
    assert!(
        stderr(&a).contains("cannot read `nope.pdf`"),
        "{}",
        stderr(&a)
    );
    let big = dir.path().join("big.pdf");
    // Sparse: 150 MB + 1 byte on paper, nothing written.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(150 * 1024 * 1024 + 1)
        .unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", big.to_str().unwrap(), "hi"]))
            .code(2);
    assert!(
        stderr(&a).contains("more than the 150 MB a document may be"),
        "{}",
        stderr(&a)
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn dry_run_shows_the_document_and_later_its_reuse() {
    let (server, _) = server("processed", 0, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "report.txt", "x".repeat(1234).as_str());
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--dry-run", "--doc", &doc, "hi"]))
        .success();
    assert!(
        stdout(&a)
            .contains("\"content\": \"<document report.txt 1,234 bytes, upload (file-extract)>\""),
        "{}",
        stdout(&a)
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "hi"])).success();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--dry-run", "--doc", &doc, "hi"]))
        .success();
    assert!(
        stdout(&a).contains("<document report.txt 1,234 bytes, reused file-fe-1>"),
        "{}",
        stdout(&a)
    );
}

#[test]
fn outside_beijing_a_warning_says_file_references_are_a_beijing_feature() {
    let trap = Trap::new();
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "report.txt", "text");
    let mut cmd = qwen("unused", dir.path());
    trap.arm(&mut cmd);
    cmd.env_remove("DASHSCOPE_BASE_URL").args([
        "chat",
        "--region",
        "intl",
        "--dry-run",
        "--doc",
        &doc,
        "hi",
    ]);
    let a = run(&mut cmd).success();
    assert!(
        stderr(&a).contains("a Beijing feature: `dashscope-intl.aliyuncs.com` may refuse them"),
        "{}",
        stderr(&a)
    );
    let mut cmd = qwen("unused", dir.path());
    trap.arm(&mut cmd);
    cmd.env_remove("DASHSCOPE_BASE_URL").args([
        "chat",
        "--region",
        "cn",
        "--dry-run",
        "--doc",
        &doc,
        "hi",
    ]);
    let a = run(&mut cmd).success();
    assert!(!stderr(&a).contains("Beijing feature"), "{}", stderr(&a));
    assert_eq!(trap.connections(), 0);
}

#[tokio::test]
async fn a_parsing_400_past_the_timeout_is_exit_1_and_its_attempts_are_in_the_ledger() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(Upload {
            count: Arc::new(AtomicUsize::new(0)),
            status: "processed",
        })
        .mount(&server)
        .await;
    chat()
        .respond_with(error(
            400,
            json!({"error": {"code": "invalid_parameter_error",
                "message": "File parsing in progress, please try again later."}}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "doc_parse_timeout = \"200ms\"\n");
    let doc = write(dir.path(), "big.pdf", "%PDF");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "Summarise"])).code(1);
    assert!(
        stderr(&a).contains("gave up waiting for `big.pdf` to be parsed after 0.2s"),
        "{}",
        stderr(&a)
    );
    let sent = chats(&server).await.len();
    assert!(sent >= 2, "{sent}");
    let a =
        run(qwen(&server.uri(), dir.path()).args(["usage", "log", "--format", "json"])).success();
    let log: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(log["calls"].as_array().map(Vec::len), Some(sent), "{log}");
}

#[tokio::test]
async fn documents_and_media_without_a_model_are_exit_2() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "a.txt", "text");
    let png = dir.path().join("p.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend([0u8; 64]);
    std::fs::write(&png, bytes).unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--doc",
        &doc,
        "-a",
        png.to_str().unwrap(),
        "hi",
    ]))
    .code(2);
    assert!(stderr(&a).contains("reads no images"), "{}", stderr(&a));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_key_on_upload_is_exit_4_and_nothing_else_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(error(
            401,
            json!({"error": {"code": "invalid_api_key", "message": "Incorrect API key provided."}}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "a.txt", "text");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &doc, "hi"])).code(4);
    assert!(
        stderr(&a).contains("upload of `a.txt` failed"),
        "{}",
        stderr(&a)
    );
    assert!(chats(&server).await.is_empty());
}
