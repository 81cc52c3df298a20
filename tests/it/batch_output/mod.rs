//! `qwen batch` outputs: what `-o`, `--out-dir`, the journal and `--resume` must never lose,
//! overwrite or send twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{assert_no_key, jsonl, qwen, run, std_qwen, stderr};
use crate::fault::{FaultServer, Reply};

mod files;
mod refusals;

/// Writes `docs/f0.md`… with `doc N` in each and returns the docs dir.
fn docs(dir: &Path, n: usize) -> PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..n {
        std::fs::write(docs.join(format!("f{i}.md")), format!("doc {i}")).unwrap();
    }
    docs
}

/// Writes a JSONL input with one `{"id", "prompt"}` line per pair.
fn requests(dir: &Path, items: &[(&str, &str)]) -> PathBuf {
    let path = dir.join("in.jsonl");
    let text: String = items
        .iter()
        .map(|(id, prompt)| format!("{}\n", serde_json::json!({"id": id, "prompt": prompt})))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn lines_of(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A child process killed when the test ends, even by a failed assertion: a `qwen` left
/// behind would hold its server's connections and any file descriptor it inherited.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Result lines by id.
fn by_id(lines: &[Value]) -> HashMap<String, Vec<Value>> {
    let mut map: HashMap<String, Vec<Value>> = HashMap::new();
    for line in lines {
        map.entry(line["id"].as_str().unwrap().to_owned())
            .or_default()
            .push(line.clone());
    }
    map
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}
