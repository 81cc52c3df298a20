//! `tools run --doc`: the documents are uploaded before the first step and referenced at
//! every step, after the system prompt.

use std::sync::atomic::Ordering;

use serde_json::json;

use super::{chats, requests, server, write};
use crate::common::*;

const TOOLS: &str = r#"
[[tool]]
name = "noop"
description = "Does nothing"
command = ["true"]
"#;

#[tokio::test]
async fn tools_run_references_its_documents_at_every_step() {
    let (server, uploads) = server("processing", 1, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "notes.md", "# Plan\nShip on Friday.");
    let tools = write(dir.path(), "tools.toml", TOOLS);
    let a = run(qwen(&server.uri(), dir.path()).args([
        "tools",
        "run",
        "--tools",
        &tools,
        "--doc",
        &doc,
        "-s",
        "Be brief.",
        "When do we ship?",
    ]))
    .success();
    assert_eq!(stdout(&a), "ok\n");
    assert!(stderr(&a).contains("using `qwen-long`"), "{}", stderr(&a));
    assert_eq!(uploads.load(Ordering::SeqCst), 1);
    // Uploaded as `processing`: polled before the first step.
    assert_eq!(requests(&server, "GET", "/files/file-fe-1").await.len(), 2);
    let body = &chats(&server).await[0];
    assert_eq!(body["model"], "qwen-long");
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": "Be brief."},
            {"role": "system", "content": "fileid://file-fe-1"},
            {"role": "user", "content": "When do we ship?"}
        ])
    );
    assert_eq!(body["tools"][0]["function"]["name"], "noop");

    // A second run reuses the upload; a missing document is exit 2 before any request.
    run(qwen(&server.uri(), dir.path())
        .args(["tools", "run", "--tools", &tools, "--doc", &doc, "again"]))
    .success();
    assert_eq!(uploads.load(Ordering::SeqCst), 1);
    let before = server.received_requests().await.unwrap().len();
    let missing = dir.path().join("missing.pdf");
    run(qwen(&server.uri(), dir.path()).args([
        "tools",
        "run",
        "--tools",
        &tools,
        "--doc",
        missing.to_str().unwrap(),
        "x",
    ]))
    .code(2);
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}
