//! Renders Markdown with `qwen::render`, to try it by hand or to time it.
//!
//! ```text
//! cargo run --release --example render -- [--color] [--width N] [--chunk N] [--delay-ms N] < reply.md
//! cargo run --release --example render -- --bench [REPLIES]
//! ```
//!
//! The first form renders stdin to stdout, pushed `--chunk` bytes at a time (default: all
//! at once) with `--delay-ms` between pieces, as a model's stream would arrive, and reports
//! on stderr the longest time one push took (what a reader would see as a stall). The second times the renderer on a
//! 1,900-token reply with prose, lists, quotes, two tables and six code blocks
//! (`tests/fixtures/render/bench.md`), split into tokens the size a model streams, and
//! prints the cost per token: once cold (the first reply of a process, which loads the
//! highlighter) and then averaged over REPLIES more (default 200). Output goes to a buffer,
//! so terminal time is not counted. bench/render.sh runs it.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a standalone tool

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use qwen::render::{MarkdownStream, Style};

const BENCH: &str = include_str!("../tests/fixtures/render/bench.md");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bench") {
        let replies = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(200);
        bench(replies);
        return;
    }
    let mut style = Style {
        width: 80,
        ..Style::default()
    };
    let mut chunk = usize::MAX;
    let mut delay = Duration::ZERO;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut number = || {
            args.next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| usage())
        };
        match arg.as_str() {
            "--color" => style.color = true,
            "--hyperlinks" => style.hyperlinks = true,
            "--width" => style.width = number(),
            "--chunk" => chunk = number(),
            "--delay-ms" => delay = Duration::from_millis(number().try_into().unwrap_or(u64::MAX)),
            _ => usage(),
        }
    }
    let mut input = Vec::new();
    io::stdin().read_to_end(&mut input).expect("stdin");
    let mut stream = MarkdownStream::new(io::stdout().lock(), style);
    let mut longest = Duration::ZERO;
    for piece in input.chunks(chunk.max(1)) {
        std::thread::sleep(delay);
        let started = Instant::now();
        stream.push_bytes(piece).expect("stdout");
        longest = longest.max(started.elapsed());
    }
    stream.finish().expect("stdout");
    eprintln!("longest push: {:.1} ms", longest.as_secs_f64() * 1e3);
}

fn usage() -> ! {
    eprintln!(
        "usage: render [--color] [--hyperlinks] [--width N] [--chunk N] < FILE | render --bench [REPLIES]"
    );
    std::process::exit(2);
}

/// Splits text into pieces the size of model tokens: a word with its leading space, at
/// most four characters at a time, punctuation and newlines on their own.
fn tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut count = 0;
    for (i, c) in text.char_indices() {
        let boundary = c == '\n'
            || (c == ' ' && count > 0)
            || (c.is_ascii_punctuation() && count > 0)
            || count == 4;
        if boundary && i > start {
            tokens.push(&text[start..i]);
            start = i;
            count = 0;
        }
        count += 1;
    }
    tokens.push(&text[start..]);
    tokens
}

/// Returns the CPU time (user + system) this process has used so far.
fn cpu_time() -> Duration {
    // Fields 14 and 15 of /proc/self/stat are utime and stime in clock ticks (100 Hz on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn render(tokens: &[&str], style: Style, out: &mut Vec<u8>) {
    out.clear();
    let mut stream = MarkdownStream::new(out, style);
    for token in tokens {
        stream.push(token).expect("a Vec never fails");
    }
    stream.finish().expect("a Vec never fails");
}

fn bench(replies: u32) {
    let tokens = tokens(BENCH);
    let style = Style {
        color: true,
        width: 100,
        ..Style::default()
    };
    let mut out = Vec::with_capacity(64 * 1024);
    // Per model token: replies average about four bytes per token (less in code), and the
    // pieces pushed here are smaller than that, so this errs on the costly side.
    let model_tokens = BENCH.len() as f64 / 4.0;
    let per_token =
        |d: Duration, replies: u32| d.as_secs_f64() * 1e6 / f64::from(replies) / model_tokens;

    let started = Instant::now();
    render(&tokens, style, &mut out);
    let cold = started.elapsed();

    let (cpu, started) = (cpu_time(), Instant::now());
    for _ in 0..replies {
        render(&tokens, style, &mut out);
    }
    let (wall, cpu) = (started.elapsed(), cpu_time() - cpu);

    let plain = Style {
        color: false,
        ..style
    };
    let started = Instant::now();
    for _ in 0..replies {
        render(&tokens, plain, &mut out);
    }
    let wall_plain = started.elapsed();

    let mut stdout = io::stdout().lock();
    let _ = writeln!(
        stdout,
        "reply: {} bytes = {model_tokens:.0} tokens at 4 bytes/token, {} lines, pushed in {} pieces",
        BENCH.len(),
        BENCH.lines().count(),
        tokens.len()
    );
    let _ = writeln!(
        stdout,
        "cold (first reply, loads the highlighter): {:.1} ms = {:.2} µs/token",
        cold.as_secs_f64() * 1e3,
        per_token(cold, 1)
    );
    let _ = writeln!(
        stdout,
        "warm, colour, {replies} replies: {:.2} µs/token wall, {:.2} µs/token CPU",
        per_token(wall, replies),
        per_token(cpu, replies)
    );
    let _ = writeln!(
        stdout,
        "warm, no colour, {replies} replies: {:.2} µs/token wall",
        per_token(wall_plain, replies)
    );
}
