//! `tools run --attach`: media ride on the prompt of every step, and a text model refuses
//! them before the loop.

use super::*;

#[tokio::test]
async fn attached_images_ride_on_the_prompt_of_every_step() {
    let s = weather_setup(WEATHER);
    let server = model(vec![
        calls_sse(&[("call_a", "get_weather", r#"{"city": "Paris"}"#)]),
        sse(&["Sunny."]),
    ])
    .await;
    let mut img = b"\x89PNG\r\n\x1a\n".to_vec();
    img.extend([5u8; 40]);
    std::fs::write(s.path("sky.png"), &img).unwrap();
    let sky = s.path("sky.png");
    let a = run(s
        .qwen(&server)
        .args(["-a", sky.to_str().unwrap(), "Weather like this?"]));
    let err = stderr(&a.success().stdout("Sunny.\n"));
    assert!(err.contains("using `qwen3-vl-plus`"), "{err}");
    for n in 0..2 {
        let body = &bodies(&server).await[n];
        assert_eq!(body["model"], "qwen3-vl-plus");
        let content = &body["messages"][0]["content"];
        assert_eq!(
            content[0],
            json!({"type": "text", "text": "Weather like this?"})
        );
        assert_eq!(content[1]["type"], "image_url", "step {n}: {content}");
        let url = content[1]["image_url"]["url"].as_str().unwrap();
        assert!(
            url.starts_with("data:image/png;base64,iVBORw0KGgo"),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_text_model_refuses_attachments_before_the_loop() {
    let s = weather_setup(WEATHER);
    let server = model(vec![sse(&["never"])]).await;
    std::fs::write(s.path("x.png"), b"\x89PNG\r\n\x1a\n0000").unwrap();
    let x = s.path("x.png");
    let a = run(s
        .qwen(&server)
        .args(["-m", "qwen-max", "-a", x.to_str().unwrap(), "hi"]));
    let err = stderr(&a.code(2));
    assert!(err.contains("`qwen-max` takes no images"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
