//! `qwen files list|rm|prune`: documents uploaded for Qwen-Long, locally and on the server.

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{requests, server, write};
use crate::common::*;

/// Uploads `names` (one document each) through `chat --doc`: ids `file-fe-1`, `file-fe-2`, …
async fn uploaded(server: &MockServer, dir: &std::path::Path, names: &[&str]) -> Vec<String> {
    let mut paths = Vec::new();
    for name in names {
        let p = write(dir, name, &format!("contents of {name}"));
        run(qwen(&server.uri(), dir).args(["chat", "--doc", &p, "hi"])).success();
        paths.push(p);
    }
    paths
}

fn file(id: &str, name: &str) -> Value {
    json!({"id": id, "object": "file", "bytes": 5, "created_at": 1_765_000_000,
           "filename": name, "purpose": "file-extract", "status": "processed"})
}

#[tokio::test]
async fn list_pages_through_the_server_and_marks_where_each_file_is() {
    let (server, _) = server("processed", 0, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    uploaded(&server, dir.path(), &["a.md", "b.md"]).await;
    Mock::given(method("GET"))
        .and(path("/files"))
        .and(query_param("purpose", "file-extract"))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "has_more": true,
            "data": [file("file-fe-1", "a.md"), file("file-fe-9", "old.pdf")]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files"))
        .and(query_param("after", "file-fe-9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "has_more": false, "data": [file("file-fe-8", "older.pdf")]})))
        .mount(&server)
        .await;
    let a =
        run(qwen(&server.uri(), dir.path()).args(["--format", "jsonl", "files", "list"])).success();
    let marks: Vec<(String, String)> = jsonl(&a)
        .iter()
        .map(|v| {
            assert_eq!(v["type"], "file");
            (
                v["id"].as_str().unwrap().into(),
                v["where"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut marks = marks;
    marks.sort();
    assert_eq!(
        marks,
        [
            ("file-fe-1".into(), "both".into()),
            ("file-fe-2".into(), "local".into()),
            ("file-fe-8".into(), "server".into()),
            ("file-fe-9".into(), "server".into()),
        ]
    );
    assert_eq!(requests(&server, "GET", "/files").await.len(), 2);
    let a = run(qwen(&server.uri(), dir.path()).args(["files", "list"])).success();
    let text = stdout(&a);
    assert!(
        text.starts_with("ID         WHERE   BYTES  CREATED"),
        "{text}"
    );
    assert!(text.contains("file-fe-2  local"), "{text}");
}

#[tokio::test]
async fn a_server_without_a_file_list_shows_the_local_rows_with_a_warning() {
    let (server, _) = server("processed", 0, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    uploaded(&server, dir.path(), &["a.md"]).await;
    Mock::given(method("GET"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let a =
        run(qwen(&server.uri(), dir.path()).args(["--format", "json", "files", "list"])).success();
    assert!(
        stderr(&a).contains("server list unavailable (404)"),
        "{}",
        stderr(&a)
    );
    let v: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(v["files"][0]["id"], "file-fe-1");
    assert_eq!(v["files"][0]["where"], "local");
    assert_eq!(v["files"][0]["name"], "a.md");
}

#[tokio::test]
async fn rm_deletes_by_path_and_by_id_and_a_404_counts_as_gone() {
    let (server, uploads) = server("processed", 0, "processed").await;
    let dir = tempfile::tempdir().unwrap();
    let paths = uploaded(&server, dir.path(), &["a.md", "b.md"]).await;
    Mock::given(method("DELETE"))
        .and(path("/files/file-fe-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"object": "file", "deleted": true, "id": "file-fe-1"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/files/file-fe-2"))
        .respond_with(error(404, json!({"error": {"message": "file not found"}})))
        .mount(&server)
        .await;
    let a = run(qwen(&server.uri(), dir.path()).args(["files", "rm", &paths[0], "file-fe-2"]))
        .success();
    assert!(stderr(&a).contains("deleted `file-fe-1`"), "{}", stderr(&a));
    assert!(
        stderr(&a).contains("`file-fe-2` was already gone"),
        "{}",
        stderr(&a)
    );
    assert_eq!(
        requests(&server, "DELETE", "/files/file-fe-1").await.len(),
        1
    );
    assert_eq!(
        requests(&server, "DELETE", "/files/file-fe-2").await.len(),
        1
    );
    // Forgotten locally: the next `--doc` uploads again.
    run(qwen(&server.uri(), dir.path()).args(["chat", "--doc", &paths[0], "hi"])).success();
    assert_eq!(uploads.load(std::sync::atomic::Ordering::SeqCst), 3);
    // A path never uploaded is exit 2 before anything is deleted.
    let other = write(dir.path(), "c.md", "never sent");
    run(qwen(&server.uri(), dir.path()).args(["files", "rm", "file-fe-3", &other])).code(2);
    assert!(
        requests(&server, "DELETE", "/files/file-fe-3")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn prune_forgets_what_the_server_lost_and_deletes_older_uploads() {
    let server = MockServer::start().await;
    let uploads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(super::Upload {
            count: uploads,
            status: "processed",
        })
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/files/file-fe-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(file("file-fe-1", "a.md")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/file-fe-2"))
        .respond_with(error(404, json!({"error": {"message": "file not found"}})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/files/file-fe-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"deleted": true})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    uploaded(&server, dir.path(), &["a.md", "b.md"]).await;
    let a = run(qwen(&server.uri(), dir.path()).args(["files", "prune"])).success();
    assert!(
        stderr(&a).contains("0 older uploads deleted, 1 rows"),
        "{}",
        stderr(&a)
    );
    assert!(
        requests(&server, "DELETE", "/files/file-fe-1")
            .await
            .is_empty()
    );
    // A month is not up: nothing deleted.
    run(qwen(&server.uri(), dir.path()).args(["files", "prune", "--older-than", "30d"])).success();
    assert!(
        requests(&server, "DELETE", "/files/file-fe-1")
            .await
            .is_empty()
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let a = run(qwen(&server.uri(), dir.path()).args(["files", "prune", "--older-than", "10ms"]))
        .success();
    assert!(
        stderr(&a).contains("1 older uploads deleted"),
        "{}",
        stderr(&a)
    );
    assert_eq!(
        requests(&server, "DELETE", "/files/file-fe-1").await.len(),
        1
    );
    // Nothing left to prune: file-fe-2 was forgotten by the first run (no second GET).
    assert_eq!(requests(&server, "GET", "/files/file-fe-2").await.len(), 1);
}
