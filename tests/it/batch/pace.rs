//! How a run paces its items: retries with `Retry-After`, timeouts, errors that stop the
//! run, `--fail-fast`, `--rpm` and `--tpm`.

use super::*;

#[test]
fn retry_after_is_honoured_per_item() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 3);
    // f01's first try is throttled with Retry-After: 1; everything else succeeds.
    let server = FaultServer::start(|prompt, before| {
        if prompt.contains("doc 1") && before == 0 {
            let body = r#"{"error":{"message":"Requests rate limit exceeded","code":"Throttling.RateQuota"}}"#;
            (
                Duration::ZERO,
                Reply::Error {
                    status: 429,
                    body: body.into(),
                    retry_after: Some(1),
                },
            )
        } else {
            (Duration::ZERO, Reply::Ok("fine".into()))
        }
    });
    let assert = run(qwen(&server.uri(), dir.path()).arg("batch").arg(&docs)).success();
    let lines = jsonl(&assert);
    let ids = by_id(&lines);
    let f01 = ids.iter().find(|(k, _)| k.ends_with("f01.md")).unwrap().1[0];
    assert_eq!(f01["attempts"], 2);
    assert_eq!(f01["status"], "ok");
    let times = server.arrivals("doc 1");
    assert_eq!(times.len(), 2);
    let gap = times[1] - times[0];
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
    assert_eq!(server.requests(), 4);
}

#[test]
fn transient_errors_are_retried_and_permanent_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 5);
    let server = FaultServer::start(|prompt, before| {
        let err = |status: u16, code: &str| Reply::Error {
            status,
            body: format!(r#"{{"code":"{code}","message":"{code} happened"}}"#),
            retry_after: None,
        };
        let reply = match (prompt, before) {
            ("doc 0", 0) => err(503, "ServiceUnavailable"),
            ("doc 0", 1) => err(500, "InternalError"),
            ("doc 1", 0) => err(429, "Throttling"),
            ("doc 2", 0) => Reply::Drop,
            ("doc 3", _) => err(400, "InvalidParameter"),
            ("doc 4", _) => Reply::Malformed,
            _ => Reply::Ok("fine".into()),
        };
        (Duration::ZERO, reply)
    });
    let assert = run(qwen(&server.uri(), dir.path()).arg("batch").arg(&docs)).code(3);
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 5);
    let get = |name: &str| {
        lines
            .iter()
            .find(|l| l["id"].as_str().unwrap().ends_with(name))
            .unwrap()
    };
    assert_eq!(
        (
            get("f00.md")["status"].as_str(),
            get("f00.md")["attempts"].as_u64()
        ),
        (Some("ok"), Some(3))
    );
    assert_eq!(get("f01.md")["attempts"], 2);
    assert_eq!(get("f02.md")["attempts"], 2);
    let bad = get("f03.md");
    assert_eq!(
        (bad["status"].as_str(), bad["attempts"].as_u64()),
        (Some("failed"), Some(1))
    );
    assert_eq!(bad["error"]["code"], "InvalidParameter");
    assert_eq!(bad["error"]["status"], 400);
    let malformed = get("f04.md");
    assert_eq!(malformed["status"], "failed");
    assert_eq!(malformed["error"]["code"], "malformed_reply");
    assert_eq!(malformed["attempts"], 1);
    assert_eq!(server.requests(), 3 + 2 + 2 + 1 + 1);
}

#[test]
fn retries_give_up_after_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    let server = FaultServer::start(|_, _| {
        (
            Duration::ZERO,
            Reply::Error {
                status: 500,
                body: "{}".into(),
                retry_after: None,
            },
        )
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--retries", "2"]))
    .code(3);
    let lines = jsonl(&assert);
    assert_eq!(lines[0]["attempts"], 3);
    assert_eq!(server.requests(), 3);
}

#[test]
fn slow_replies_time_out_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 2);
    let server = FaultServer::start(|prompt, _| {
        let delay = if prompt == "doc 0" {
            Duration::from_secs(5)
        } else {
            Duration::ZERO
        };
        (delay, Reply::Ok("fine".into()))
    });
    let started = Instant::now();
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--first-token-timeout", "300ms", "--retries", "1"]))
    .code(3);
    assert!(started.elapsed() < Duration::from_secs(4));
    let lines = jsonl(&assert);
    let slow = lines
        .iter()
        .find(|l| l["id"].as_str().unwrap().ends_with("f00.md"))
        .unwrap();
    assert_eq!(slow["error"]["code"], "timeout");
    assert_eq!(slow["attempts"], 2);
}

#[test]
fn billing_errors_stop_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 30);
    let server = FaultServer::start(|_, _| {
        let body = r#"{"error":{"message":"Access denied, please make sure your account is in good standing.","type":"Arrearage","code":"Arrearage"}}"#;
        (
            Duration::from_millis(20),
            Reply::Error {
                status: 400,
                body: body.into(),
                retry_after: None,
            },
        )
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "2"]))
    .code(5);
    assert!(
        server.requests() < 10,
        "it kept going: {} requests",
        server.requests()
    );
    assert!(stderr(&assert).contains("stopping the run"));
    for line in jsonl(&assert) {
        assert_eq!(line["error"]["code"], "Arrearage");
    }
}

#[test]
fn fail_fast_stops_launching() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 20);
    let server = FaultServer::start(|_, _| {
        (
            Duration::from_millis(10),
            Reply::Error {
                status: 400,
                body: r#"{"code":"InvalidParameter","message":"no"}"#.into(),
                retry_after: None,
            },
        )
    });
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "1", "--fail-fast"]))
    .code(3);
    assert!(server.requests() <= 2, "{} requests", server.requests());
}

#[test]
fn latency_counts_the_request_not_the_wait_for_a_slot() {
    // One slot, two items, 300 ms replies: the second waits ~300 ms for the slot, and its
    // latency must not include that wait (it used to read ~600).
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 2);
    let server = FaultServer::ok_after(Duration::from_millis(300));
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "1", "--ordered"]))
    .success();
    let lines = jsonl(&assert);
    assert_eq!(lines.len(), 2);
    for line in &lines {
        let ms = line["latency_ms"].as_u64().unwrap();
        assert!((300..500).contains(&ms), "latency_ms {ms}: {line}");
    }
}

#[test]
fn rpm_spreads_requests_over_time() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 5);
    let server = FaultServer::ok_after(Duration::ZERO);
    let started = Instant::now();
    // 120 requests a minute = 2 a second: a burst of two, then one every half second.
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "8", "--rpm", "120"]))
    .success();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1400),
        "5 requests took {elapsed:?}"
    );
    let times = server.arrivals("doc");
    assert_eq!(times.len(), 5);
    // GCRA: beyond the burst of two, each request waits for its half second.
    for three in times.windows(3) {
        let span = three[2] - three[0];
        assert!(
            span >= Duration::from_millis(450),
            "3 requests within {span:?}"
        );
    }
}

#[test]
fn retries_count_against_rpm() {
    // One item failing twice before it succeeds, with zero backoff: its three requests
    // must still keep to 120 a minute (a burst of two, then one each half second).
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 1);
    let server = FaultServer::start(|_, before| {
        let reply = if before < 2 {
            Reply::Error {
                status: 503,
                body: r#"{"code":"ServiceUnavailable","message":"busy"}"#.into(),
                retry_after: None,
            }
        } else {
            Reply::Ok("fine".into())
        };
        (Duration::ZERO, reply)
    });
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["--rpm", "120"]))
    .success();
    assert_eq!(jsonl(&assert)[0]["attempts"], 3);
    let times = server.arrivals("doc");
    assert_eq!(times.len(), 3);
    let span = times[2] - times[0];
    assert!(
        span >= Duration::from_millis(450),
        "3 requests within {span:?}"
    );
}

#[test]
fn tpm_holds_back_requests_beyond_the_token_budget() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..3 {
        // About 250 estimated tokens each.
        std::fs::write(
            docs.join(format!("f{i}.md")),
            format!("doc {i} ").repeat(200),
        )
        .unwrap();
    }
    let server = FaultServer::ok_after(Duration::ZERO);
    let started = Instant::now();
    // 30,000 tokens a minute = a 500-token bucket refilled at 500 a second. Each file is
    // estimated at ~304 tokens: the first fits, the second waits ~0.2 s, the third ~0.6 s
    // more (~0.82 s in all); without the limit the three take a few milliseconds.
    run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "8", "--tpm", "30000"]))
    .success();
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(), 3);
}

#[test]
fn max_cost_stops_launching_and_the_summary_shows_the_cost() {
    let dir = tempfile::tempdir().unwrap();
    let docs = docs(dir.path(), 10);
    // $1,000 per 1M tokens either way. Each reply bills 15 tokens ($0.015); before it starts
    // an item is estimated at ~6 input + 5 output tokens ($0.011). With a $0.05 limit the
    // fourth item would take the run to 0.045 + 0.011: it is not started.
    crate::common::write_config(
        dir.path(),
        "[prices.\"qwen-plus\"]\ninput = 1000.0\noutput = 1000.0\n",
    );
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), dir.path())
        .arg("batch")
        .arg(&docs)
        .args(["-j", "1", "--max-tokens", "5", "--max-cost", "0.05"]))
    .code(7);
    assert_eq!(server.requests(), 3);
    let err = stderr(&assert);
    assert!(err.contains("--max-cost 0.0500"), "{err}");
    assert!(err.contains("cost 0.0450 USD"), "{err}");

    // Without a price the limit cannot be kept: nothing is sent.
    let other = tempfile::tempdir().unwrap();
    let other_docs = docs_at(other.path());
    let server = FaultServer::ok_after(Duration::ZERO);
    let assert = run(qwen(&server.uri(), other.path())
        .arg("batch")
        .arg(&other_docs)
        .args(["--max-cost", "5"]))
    .code(7);
    assert_eq!(server.requests(), 0);
    assert!(stderr(&assert).contains("needs a price"));
}
