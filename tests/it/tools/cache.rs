//! `tools run --cache-prompt`: the markers stay on every step, and `-u` says what the
//! prompt cache did.

use super::*;

#[tokio::test]
async fn cache_prompt_marks_the_system_prompt_and_files_at_every_step() {
    let s = weather_setup(WEATHER);
    // The service's usage: the first step writes the cache, the second hits it.
    let usage = |details: &str| {
        format!(
            r#""total_tokens":39,"prompt_tokens_details":{{{details},"cache_type":"ephemeral"}}"#
        )
    };
    let server = model(vec![
        calls_sse(&[("call_a", "get_weather", r#"{"city": "Paris"}"#)]).replace(
            r#""total_tokens":39"#,
            &usage(r#""cache_creation_input_tokens":20"#),
        ),
        sse(&["Sunny."]).replace(r#""total_tokens":39"#, &usage(r#""cached_tokens":20"#)),
    ])
    .await;
    std::fs::create_dir_all(s.path("config")).unwrap();
    std::fs::write(
        s.path("config/config.toml"),
        "[prices.\"qwen-plus\"]\ninput = 1000\noutput = 0\ncurrency = \"USD\"\n",
    )
    .unwrap();
    let doc = s.path("doc.txt");
    std::fs::write(&doc, "abcd".repeat(1100)).unwrap();
    let system = "Answer briefly.";
    let a = run(s
        .qwen(&server)
        .args(["--cache-prompt", "-u", "-s", system, "-f"])
        .arg(&doc)
        .arg("Weather in Paris?"))
    .success();
    // 20 written at +25 % of $1,000 per 1M, then 20 hit at −90 %: (−5 + 18) × 20 / 1M.
    let err = stderr(&a);
    assert!(
        err.contains(" · cache: wrote 20, hit 20 tokens, saved $0.0130 net\n"),
        "{err}"
    );
    for step in 0..2 {
        let m = messages(&server, step).await;
        assert_eq!(m[0]["content"], system, "the system prompt alone is short");
        let parts = m[1]["content"].as_array().expect("array content");
        assert_eq!(parts[0]["cache_control"], json!({"type": "ephemeral"}));
        assert!(
            parts[0]["text"]
                .as_str()
                .unwrap()
                .starts_with("<file path=")
        );
        assert_eq!(
            parts[1],
            json!({"type": "text", "text": "Weather in Paris?"})
        );
    }
}
