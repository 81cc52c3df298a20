//! The usage ledger of chat calls: one row per attempt, failures too, the model of each
//! attempt across fallbacks, and a store that cannot be written.

use super::*;

/// One ledger row: (model, attempt, status, error_code, prompt_tokens, completion_tokens).
type Row = (
    String,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

fn ledger(dir: &Path) -> Vec<Row> {
    let db = rusqlite::Connection::open(dir.join("data/qwen.db")).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT model, attempt, status, error_code, prompt_tokens, completion_tokens
             FROM calls ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test]
async fn ledger_has_one_row_per_attempt_with_status_and_tokens() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            503,
            json!({"code": "ServiceUnavailable", "message": "later"}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    let (p, c, _) = USAGE;
    assert_eq!(
        ledger(dir.path()),
        vec![
            (
                "qwen-plus".into(),
                1,
                Some(503),
                Some("ServiceUnavailable".into()),
                None,
                None
            ),
            (
                "qwen-plus".into(),
                2,
                Some(200),
                None,
                Some(p as i64),
                Some(c as i64)
            ),
        ]
    );
}

#[tokio::test]
async fn ledger_records_command_and_host() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let (command, host, request_id): (String, String, String) = db
        .query_row("SELECT command, host, request_id FROM calls", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(command, "chat");
    assert_eq!(host, "127.0.0.1");
    assert_eq!(request_id, REQUEST_ID);
}

#[tokio::test]
async fn ledger_records_failed_requests_too() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            json!({"code": "InvalidApiKey", "message": "Invalid API-key provided."}),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(4);
    assert_eq!(
        ledger(dir.path()),
        vec![(
            "qwen-plus".into(),
            1,
            Some(401),
            Some("InvalidApiKey".into()),
            None,
            None
        )]
    );
}

#[tokio::test]
async fn no_ledger_writes_no_rows() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-ledger", "hi"])).success();
    assert_eq!(ledger(dir.path()), vec![]);
}

#[tokio::test]
async fn unwritable_data_dir_warns_once_and_still_answers() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    // A file where the data directory should be.
    std::fs::write(dir.path().join("data"), "not a directory").unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("ok\n");
    let err = stderr(&a);
    assert_eq!(err.matches("qwen: warning: ").count(), 1, "{err}");
    assert!(err.contains("local store"), "{err}");
}

#[tokio::test]
async fn ledger_names_the_model_of_each_attempt_across_a_fallback() {
    let server = MockServer::start().await;
    chat()
        .and(wiremock::matchers::body_partial_json(
            json!({"model": "qwen-plus"}),
        ))
        .respond_with(error(
            404,
            json!({"error": {"message": "not found", "code": "model_not_found"}}),
        ))
        .mount(&server)
        .await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--fallback-model", "qwen-turbo", "hi"]))
        .success();
    let rows = ledger(dir.path());
    let summary: Vec<(&str, i64, Option<i64>)> =
        rows.iter().map(|r| (r.0.as_str(), r.1, r.2)).collect();
    assert_eq!(
        summary,
        [("qwen-plus", 1, Some(404)), ("qwen-turbo", 2, Some(200))]
    );
}

#[tokio::test]
async fn ledger_false_in_config_writes_no_rows() {
    let server = ok_server(&["ok"]).await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "ledger = false\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    assert_eq!(ledger(dir.path()), vec![]);
}

#[tokio::test]
async fn the_store_holds_neither_the_key_nor_unsaved_prompt_text() {
    let server = ok_server(&["a unique reply 7f3a"]).await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--no-save", "a unique prompt 9c1e"]))
        .success();
    assert_eq!(ledger(dir.path()).len(), 1);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path().join("data")).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("SECRET-1234"), "the key is in the store");
    assert!(
        !text.contains("unique prompt 9c1e"),
        "the prompt is in the store"
    );
    assert!(
        !text.contains("unique reply 7f3a"),
        "the reply is in the store"
    );
}

/// `qwen chat … | head -c 5` on a 5-byte reply: the reader goes before the final newline,
/// and the exchange is still saved and its ledger row says the output was closed.
#[test]
fn a_reader_gone_before_the_final_newline_keeps_the_exchange() {
    use std::io::Read;
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let first = frame(&chunk(json!({"content": "", "role": "assistant"}), None));
    let mut steps = vec![Step::Send(first), Step::Send(text_frame("hello"))];
    steps.push(Step::Pause(Duration::from_millis(300)));
    steps.extend(tail_frames().into_iter().map(Step::Send));
    let server = RawServer::start(steps, End::Finish);
    let mut child = std_qwen(&server.uri(), dir.path())
        .args(["chat", "--session", "cut", "say hello"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut reply = [0u8; 5];
    out.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"hello");
    drop(out);
    let status = wait_for(&mut child, Duration::from_secs(5));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");

    let rows = ledger(dir.path());
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].3.as_deref(), Some("output_closed"), "{rows:?}");
    let db = rusqlite::Connection::open(dir.path().join("data/qwen.db")).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT role, content FROM messages JOIN conversations c ON c.id = conversation_id
             WHERE c.name = 'cut' ORDER BY messages.id",
        )
        .unwrap();
    let messages: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        messages,
        vec![
            ("user".to_owned(), "say hello".to_owned()),
            ("assistant".to_owned(), "hello".to_owned())
        ]
    );
}
