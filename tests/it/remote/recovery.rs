//! Remote jobs that lose an answer or crash: nothing is uploaded or created twice, and what
//! was lost is looked up first.

use super::*;

#[test]
fn a_crash_while_polling_reattaches_without_uploading_twice() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b", "c"]);
    let api = BatchApi::start("completed");
    let out = dir.path().join("results.jsonl");
    // A long poll interval keeps the first run waiting after it submitted.
    let mut child = std_qwen(&api.uri(), dir.path())
        .args([
            "batch",
            "--remote",
            "--poll-interval",
            "1h",
            "--max-file-lines",
            "2",
            "-o",
        ])
        .arg(&out)
        .arg("--input")
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while api.creates() < 2 {
        assert!(Instant::now() < deadline, "the job was not submitted");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    child.kill().unwrap();
    child.wait().unwrap();

    run(qwen(&api.uri(), dir.path())
        .args([
            "batch",
            "--remote",
            "--resume",
            "--poll-interval",
            "5ms",
            "--max-file-lines",
            "2",
            "-o",
        ])
        .arg(&out)
        .arg("--input")
        .arg(&input))
    .success();
    assert_eq!(
        (api.uploads(), api.creates()),
        (2, 2),
        "nothing was uploaded or submitted twice"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by = statuses(&lines);
    assert_eq!(by.len(), 3);
    assert!(by.values().all(|s| s == &["ok"]), "{by:?}");
}

/// Calls to the Batch API's files and batches, leaving out polls and downloads.
fn submit_calls(api: &BatchApi) -> Vec<String> {
    api.calls()
        .into_iter()
        .filter(|c| c.ends_with(" /files") || c.ends_with(" /batches"))
        .collect()
}

#[test]
fn a_new_job_costs_two_calls_per_part() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b", "c", "d", "e"]);
    let api = BatchApi::start("completed");
    run(remote(&api, dir.path(), &input).args(["--max-file-lines", "2", "--detach"])).success();
    let pair = ["POST /files", "POST /batches"];
    assert_eq!(
        api.calls(),
        pair.repeat(3),
        "an upload and a create per part"
    );
}

/// Starts a remote job that dies (SIGKILL) while `call` is waiting for its answer, which the
/// server never sends although it did the work.
fn crash_during(api: &BatchApi, dir: &Path, input: &Path, call: &str) {
    api.hang_on(call);
    let mut child = std_qwen(&api.uri(), dir)
        .args(["batch", "--remote", "--poll-interval", "5ms", "-o"])
        .arg(dir.join("results.jsonl"))
        .arg("--input")
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !api.calls().iter().any(|c| c == call) {
        assert!(Instant::now() < deadline, "`{call}` never came");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Runs the same job again with `--resume` and returns its result lines.
fn resume(api: &BatchApi, dir: &Path, input: &Path) -> assert_cmd::assert::Assert {
    let assert = run(qwen(&api.uri(), dir)
        .args([
            "batch",
            "--remote",
            "--resume",
            "--poll-interval",
            "5ms",
            "-o",
        ])
        .arg(dir.join("results.jsonl"))
        .arg("--input")
        .arg(input))
    .success();
    let text = std::fs::read_to_string(dir.join("results.jsonl")).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by = statuses(&lines);
    assert_eq!(by.len(), 2, "{by:?}");
    assert!(by.values().all(|s| s == &["ok"]), "{by:?}");
    assert
}

#[test]
fn an_upload_whose_answer_was_lost_is_found_page_by_page() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b"]);
    let api = BatchApi::start("completed");
    crash_during(&api, dir.path(), &input, "POST /files");
    assert_eq!(api.uploads(), 1);
    // Five newer files and pages of two: ours is on the third page.
    api.add_other_files(5);
    api.page_size(2);
    let before = submit_calls(&api).len();
    resume(&api, dir.path(), &input);
    let after: Vec<String> = submit_calls(&api).split_off(before);
    assert_eq!(
        after,
        ["GET /files", "GET /files", "GET /files", "POST /batches"],
        "found, not uploaded again; its batch is new, so it is created without a lookup"
    );
    assert_eq!((api.uploads(), api.creates()), (1, 1));
}

#[test]
fn a_batch_whose_answer_was_lost_is_found_not_created_twice() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a", "b"]);
    let api = BatchApi::start("completed");
    crash_during(&api, dir.path(), &input, "POST /batches");
    assert_eq!(api.creates(), 1);
    let before = submit_calls(&api).len();
    resume(&api, dir.path(), &input);
    let after: Vec<String> = submit_calls(&api).split_off(before);
    assert_eq!(
        after,
        ["GET /batches"],
        "the recorded upload is not looked up"
    );
    assert_eq!((api.uploads(), api.creates()), (1, 1));
}

#[test]
fn a_create_answered_with_an_error_is_looked_up_before_it_is_retried() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path(), &["a"]);
    let api = BatchApi::start("completed");
    api.fail_after_work("POST /batches", 500);
    run(remote(&api, dir.path(), &input).arg("--detach")).success();
    assert_eq!(
        api.calls(),
        ["POST /files", "POST /batches", "GET /batches"],
        "the batch the failed answer hid is found, not created again"
    );
    assert_eq!(api.creates(), 1);
}

#[test]
fn a_server_that_cannot_list_gets_a_warning_not_an_aborted_job() {
    for status in [404, 405] {
        let dir = tempfile::tempdir().unwrap();
        let input = inputs(dir.path(), &["a", "b"]);
        let api = BatchApi::start("completed");
        crash_during(&api, dir.path(), &input, "POST /files");
        api.lists_answer(status);
        let assert = resume(&api, dir.path(), &input);
        let err = stderr(&assert);
        assert!(
            err.contains(&format!(
                "qwen: warning: the server does not list files (HTTP {status})"
            )),
            "{err}"
        );
        assert_eq!(
            (api.uploads(), api.creates()),
            (2, 1),
            "not found, so uploaded again"
        );
    }
}
