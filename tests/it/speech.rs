//! Speech out (`--audio-out FILE.wav --voice NAME`): the request asked for, the WAV file
//! written (header parsed here) and only at the end, the checks made before anything is sent,
//! and the JSONL `audio` events.

use std::path::Path;

use base64::Engine as _;
use serde_json::{Value, json};
use wiremock::MockServer;

use crate::common::*;

/// Two pieces of sound (raw PCM s16le) as the server would send them.
const PCM: [&[u8]; 2] = [&[1, 0, 2, 0, 3, 0, 4, 0], &[5, 0, 6, 0]];

fn audio_frame(pcm: &[u8]) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(pcm);
    frame(&chunk(
        json!({"audio": {"data": data, "expires_at": 1_757_647_879, "id": "audio_1"}}),
        None,
    ))
}

/// An Omni reply: text, sound, text, sound, then the usual tail.
fn omni_stream() -> String {
    let mut frames = vec![text_frame("Hel"), audio_frame(PCM[0]), text_frame("lo")];
    frames.push(audio_frame(PCM[1]));
    frames.extend(tail_frames());
    frames.concat()
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn le16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(bytes[at..at + 2].try_into().unwrap())
}

/// Parses a PCM WAV file's header and returns its samples.
fn wav_samples(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(le32(&bytes, 4) as usize, bytes.len() - 8, "RIFF size");
    assert_eq!(&bytes[8..16], b"WAVEfmt ");
    assert_eq!(le32(&bytes, 16), 16);
    assert_eq!(le16(&bytes, 20), 1, "PCM");
    assert_eq!(le16(&bytes, 22), 1, "mono");
    assert_eq!(le32(&bytes, 24), 24_000, "rate");
    assert_eq!(le32(&bytes, 28), 48_000, "byte rate");
    assert_eq!(le16(&bytes, 32), 2, "block align");
    assert_eq!(le16(&bytes, 34), 16, "bits");
    assert_eq!(&bytes[36..40], b"data");
    let len = le32(&bytes, 40) as usize;
    assert_eq!(len, bytes.len() - 44, "data size");
    bytes[44..].to_vec()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_spoken_reply_is_a_valid_wav_and_the_text_streams_to_stdout() {
    let server = MockServer::start().await;
    chat()
        .respond_with(Answer::from_sse(omni_stream()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("reply.wav");
    let assert = run(qwen(&server.uri(), dir.path())
        .args([
            "chat",
            "-m",
            "qwen3-omni-flash",
            "--voice",
            "Ethan",
            "--audio-out",
        ])
        .arg(&file)
        .arg("Say hello"))
    .success();
    assert_eq!(stdout(&assert), "Hello\n");
    assert!(stderr(&assert).contains("reply.wav"), "{}", stderr(&assert));
    assert_eq!(wav_samples(&file), PCM.concat());
    assert_eq!(files_in(out.path()), ["reply.wav"]);
    let body = &bodies(&server).await[0];
    assert_eq!(body["modalities"], json!(["text", "audio"]));
    assert_eq!(body["audio"], json!({"voice": "Ethan", "format": "wav"}));
    assert_eq!(body["stream"], json!(true));
}

#[tokio::test]
async fn without_a_model_speech_goes_to_the_audio_model_with_the_default_voice() {
    let server = MockServer::start().await;
    chat()
        .respond_with(Answer::from_sse(omni_stream()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.wav");
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["chat", "--no-stream", "--audio-out"])
        .arg(&file)
        .arg("hi"))
    .success();
    assert!(
        stderr(&assert).contains("`qwen3-omni-flash`"),
        "{}",
        stderr(&assert)
    );
    let body = &bodies(&server).await[0];
    assert_eq!(body["model"], "qwen3-omni-flash");
    assert_eq!(body["audio"]["voice"], "Cherry");
    assert_eq!(body["stream"], json!(true), "speech is always streamed");
}

#[tokio::test]
async fn jsonl_gets_audio_events_with_sizes_and_json_a_summary() {
    let server = MockServer::start().await;
    chat()
        .respond_with(Answer::from_sse(omni_stream()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.wav");
    let assert = run(qwen(&server.uri(), dir.path())
        .args([
            "chat",
            "-m",
            "qwen3-omni-flash",
            "--format",
            "jsonl",
            "--audio-out",
        ])
        .arg(&file)
        .arg("hi"))
    .success();
    let lines = jsonl(&assert);
    let audio: Vec<&Value> = lines.iter().filter(|l| l["type"] == "audio").collect();
    assert_eq!(audio.len(), 2);
    assert_eq!(audio[0]["v"], 1);
    assert_eq!(audio[0]["bytes"], 8);
    assert_eq!(audio[0]["total"], 8);
    assert_eq!(audio[1]["bytes"], 4);
    assert_eq!(audio[1]["total"], 12);
    assert!(audio.iter().all(|a| a.get("data").is_none()));

    let assert = run(qwen(&server.uri(), dir.path())
        .args([
            "chat",
            "-m",
            "qwen3-omni-flash",
            "--format",
            "json",
            "--audio-out",
        ])
        .arg(&file)
        .arg("hi"))
    .success();
    let doc: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    assert_eq!(doc["text"], "Hello");
    assert_eq!(doc["audio"]["bytes"], 12);
    assert_eq!(doc["audio"]["file"], file.display().to_string());
    assert_eq!(doc["audio"]["duration_ms"], 0);
}

#[tokio::test]
async fn a_transcript_alone_is_the_text() {
    let server = MockServer::start().await;
    let data = base64::engine::general_purpose::STANDARD.encode(PCM[0]);
    let mut frames = vec![frame(&chunk(
        json!({"audio": {"transcript": "Hi there", "data": data}}),
        None,
    ))];
    frames.extend(tail_frames());
    chat()
        .respond_with(Answer::from_sse(frames.concat()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.wav");
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["chat", "-m", "qwen3-omni-flash", "--audio-out"])
        .arg(&file)
        .arg("hi"))
    .success();
    assert_eq!(stdout(&assert), "Hi there\n");
    assert_eq!(wav_samples(&file), PCM[0]);
}

#[tokio::test]
async fn a_failed_reply_leaves_no_file_and_an_old_one_untouched() {
    let server = MockServer::start().await;
    let error =
        json!({"error": {"message": "boom", "type": "internal_error", "code": "InternalError"}});
    let body = [text_frame("Hel"), audio_frame(PCM[0]), frame(&error)].concat();
    chat()
        .respond_with(Answer::from_sse(body))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let fresh = out.path().join("new.wav");
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "-m", "qwen3-omni-flash", "--audio-out"])
        .arg(&fresh)
        .arg("hi"))
    .failure();
    assert_eq!(files_in(out.path()), Vec::<String>::new());

    let old = out.path().join("old.wav");
    std::fs::write(&old, b"old sound").unwrap();
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "-m", "qwen3-omni-flash", "--audio-out"])
        .arg(&old)
        .arg("hi"))
    .failure();
    assert_eq!(std::fs::read(&old).unwrap(), b"old sound");
    assert_eq!(files_in(out.path()), ["old.wav"]);
}

#[tokio::test]
async fn checks_before_sending_are_usage_errors_and_send_nothing() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.wav");
    let cases: [(&[&str], &str); 4] = [
        (&["-m", "qwen-plus"], "qwen3-omni-flash"),
        (&["-m", "qwen3-omni-flash", "--voice", "Nobody"], "Nobody"),
        (&["-m", "qwen3-omni-flash", "--think"], "--think"),
        (
            &["-m", "qwen3-omni-flash", "--api", "native"],
            "--api native",
        ),
    ];
    for (flags, needle) in cases {
        let assert = run(qwen(&server.uri(), dir.path())
            .arg("chat")
            .args(flags)
            .arg("--audio-out")
            .arg(&file)
            .arg("hi"))
        .code(2);
        let err = stderr(&assert);
        assert!(err.contains(needle), "{flags:?}: {err}");
        assert!(err.starts_with("qwen: error: "), "{err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(!file.exists());
}

#[tokio::test]
async fn unknown_models_take_any_voice() {
    let server = MockServer::start().await;
    chat()
        .respond_with(Answer::from_sse(omni_stream()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.wav");
    run(qwen(&server.uri(), dir.path())
        .args(["chat", "-m", "my-omni", "--voice", "Zed", "--audio-out"])
        .arg(&file)
        .arg("hi"))
    .success();
    assert_eq!(bodies(&server).await[0]["audio"]["voice"], "Zed");
    assert_eq!(wav_samples(&file), PCM.concat());
}

#[tokio::test]
async fn sound_that_is_not_base64_is_a_malformed_reply() {
    let server = MockServer::start().await;
    let bad = frame(&chunk(json!({"audio": {"data": "not base64!"}}), None));
    let body = [text_frame("Hel"), bad].concat() + &tail_frames().concat();
    chat()
        .respond_with(Answer::from_sse(body))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = run(qwen(&server.uri(), dir.path())
        .args(["chat", "-m", "qwen3-omni-flash", "--audio-out"])
        .arg(out.path().join("a.wav"))
        .arg("hi"))
    .failure();
    assert!(stderr(&assert).contains("base64"), "{}", stderr(&assert));
    assert_eq!(files_in(out.path()), Vec::<String>::new());
}

#[tokio::test]
async fn output_audio_tokens_reach_the_usage_event_the_ledger_and_the_cost() {
    let server = MockServer::start().await;
    let mut frames = vec![text_frame("Hi"), audio_frame(PCM[0])];
    frames.push(frame(&json!({"choices": [], "usage": {
        "prompt_tokens": 207, "completion_tokens": 103, "total_tokens": 310,
        "completion_tokens_details": {"audio_tokens": 83, "text_tokens": 20},
        "prompt_tokens_details": {"text_tokens": 207}}})));
    frames.push("data: [DONE]\n\n".into());
    chat()
        .respond_with(Answer::from_sse(frames.concat()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "[prices.\"qwen3-omni-flash\"]\ninput = 1.0\noutput = 2.0\naudio_output = 10.0\ncurrency = \"USD\"\n",
    );
    let file = dir.path().join("reply.wav");
    let a = run(qwen(&server.uri(), dir.path()).args([
        "--format",
        "jsonl",
        "chat",
        "-m",
        "qwen3-omni-flash",
        "--audio-out",
        file.to_str().unwrap(),
        "hi",
    ]))
    .success();
    let usage = jsonl(&a)
        .into_iter()
        .find(|v| v["type"] == "usage")
        .expect("a usage event");
    assert_eq!(usage["output_audio_tokens"], 83, "{usage}");
    assert_eq!(usage["completion_tokens"], 103);
    let a =
        run(qwen(&server.uri(), dir.path()).args(["usage", "log", "--format", "json"])).success();
    let log: Value = serde_json::from_str(&stdout(&a)).unwrap();
    let call = log["calls"]
        .as_array()
        .and_then(|c| c.last())
        .cloned()
        .unwrap_or(log.clone());
    assert_eq!(call["output_audio_tokens"], 83, "{log}");
    // 207 × 1 + 20 text × 2 + 83 spoken × 10, per 1M tokens.
    let cost = call["cost"].as_f64().unwrap_or_else(|| panic!("{log}"));
    assert!((cost - 1077e-6).abs() < 1e-12, "{cost} in {log}");
}
