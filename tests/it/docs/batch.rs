//! `"docs"` on batch input lines: each document uploaded once per content, across a resume.

use std::sync::atomic::Ordering;

use serde_json::json;

use super::{chats, server, write};
use crate::common::*;

#[tokio::test]
async fn batch_lines_with_docs_upload_each_document_once_across_a_resume() {
    let (server, uploads) = server("processed", 0, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "one.md", "first document");
    let two = write(dir.path(), "two.md", "second document");
    let input = dir.path().join("in.jsonl");
    let lines = [
        json!({"id": "a", "prompt": "Summarise", "docs": [one]}),
        json!({"id": "b", "prompt": "Compare", "docs": [one, two]}),
        json!({"id": "c", "prompt": "No documents"}),
        json!({"id": "d", "prompt": "Missing", "docs": ["nope.pdf"]}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let dry = |shown: &str| {
        let a = run(qwen(&server.uri(), dir.path()).args([
            "batch",
            "--dry-run",
            "--input",
            input.to_str().unwrap(),
        ]))
        .success();
        let line = jsonl(&a).into_iter().find(|l| l["id"] == "a").unwrap();
        assert_eq!(line["docs"], json!([shown]), "{line}");
    };
    dry("<document one.md 14 bytes, upload (file-extract)>");
    assert!(server.received_requests().await.unwrap().is_empty());
    let out = dir.path().join("out.jsonl");
    let batch = |extra: &[&str]| {
        run(qwen(&server.uri(), dir.path())
            .args([
                "batch",
                "--input",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .args(extra))
    };
    let a = batch(&[]).code(3);
    assert!(
        stderr(&a).contains("documents attached: using `qwen-long`"),
        "{}",
        stderr(&a)
    );
    assert_eq!(uploads.load(Ordering::SeqCst), 2);
    let bodies = chats(&server).await;
    assert_eq!(bodies.len(), 3);
    let by_prompt = |p: &str| {
        bodies
            .iter()
            .find(|b| b["messages"].as_array().unwrap().last().unwrap()["content"] == p)
            .unwrap()
            .clone()
    };
    let a_body = by_prompt("Summarise");
    assert_eq!(a_body["model"], "qwen-long");
    let one_id = a_body["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(one_id.starts_with("fileid://file-fe-"), "{one_id}");
    let b_body = by_prompt("Compare");
    let both = b_body["messages"][0]["content"].as_str().unwrap();
    assert!(
        both.starts_with(&format!("{one_id},fileid://file-fe-")),
        "{both}"
    );
    let c_body = by_prompt("No documents");
    assert_ne!(c_body["model"], "qwen-long");
    assert_eq!(c_body["messages"].as_array().unwrap().len(), 1);
    let results = std::fs::read_to_string(&out).unwrap();
    assert!(results.contains("cannot read `nope.pdf`"), "{results}");
    dry(&format!(
        "<document one.md 14 bytes, reused {}>",
        one_id.trim_start_matches("fileid://")
    ));
    // Resumed: nothing new is sent or uploaded.
    batch(&["--resume"]).code(3);
    assert_eq!(uploads.load(Ordering::SeqCst), 2);
    assert_eq!(chats(&server).await.len(), 3);
    // From scratch: every request again, the documents' ids reused.
    batch(&["--force"]).code(3);
    assert_eq!(uploads.load(Ordering::SeqCst), 2);
    assert_eq!(chats(&server).await.len(), 6);
}
