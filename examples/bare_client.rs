//! A yardstick for `qwen batch`'s benchmark: the same HTTP stack doing nothing else.
//!
//! ```text
//! cargo run --release --example bare_client -- URL ITEMS CONCURRENCY
//! ```
//!
//! Sends ITEMS copies of one fixed chat request to `URL/chat/completions` with at most
//! CONCURRENCY in flight (reqwest on one current-thread runtime, as in `qwen`), reads each
//! reply whole, and prints the elapsed seconds. No files, templates, JSON parsing, output
//! or ledger: what it reaches is what this machine, this server and this stack allow, so
//! bench/batch.sh shows `qwen batch` beside it.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a standalone fixture

use futures_util::StreamExt;

const BODY: &str = r#"{"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]}"#;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, items, concurrency] = args.as_slice() else {
        eprintln!("usage: bare_client URL ITEMS CONCURRENCY");
        std::process::exit(2);
    };
    let (Ok(items), Ok(concurrency)) = (items.parse::<usize>(), concurrency.parse::<usize>())
    else {
        eprintln!("bare_client: ITEMS and CONCURRENCY are numbers");
        std::process::exit(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let started = std::time::Instant::now();
    let failed = runtime.block_on(async {
        // Plain http, as qwen: no root certificates to load.
        let client = reqwest::Client::builder()
            .tls_certs_only(Vec::<reqwest::Certificate>::new())
            .build()
            .expect("a client");
        let url = format!("{url}/chat/completions");
        futures_util::stream::iter(0..items)
            .map(|_| {
                let request = client
                    .post(&url)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk-bench")
                    .body(BODY);
                async move {
                    match request.send().await {
                        Ok(reply) if reply.status().is_success() => reply.bytes().await.is_err(),
                        Ok(_) => true,
                        Err(_) => true,
                    }
                }
            })
            .buffer_unordered(concurrency.max(1))
            .filter(|failed| std::future::ready(*failed))
            .count()
            .await
    });
    println!("{:.3}", started.elapsed().as_secs_f64());
    if failed > 0 {
        eprintln!("bare_client: {failed} request(s) failed");
        std::process::exit(1);
    }
}
