//! The committed completions and man pages must match what the clap tree generates.
//!
//! Run with `QWEN_UPDATE_ASSETS=1` to rewrite them after changing the CLI.

use std::path::Path;

#[test]
fn completions_and_man_pages_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("QWEN_UPDATE_ASSETS").is_some();
    let mut stale = Vec::new();
    for (path, content) in qwen::cli::assets() {
        let full = root.join(&path);
        if update {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, &content).unwrap();
        } else if std::fs::read(&full).ok().as_deref() != Some(&content[..]) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}; run `QWEN_UPDATE_ASSETS=1 cargo test --test it assets`"
    );
}

#[test]
fn no_stray_generated_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected: Vec<_> = qwen::cli::assets().into_iter().map(|(p, _)| p).collect();
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let rel = Path::new(dir).join(entry.unwrap().file_name());
            assert!(
                expected.contains(&rel),
                "{} is not generated any more",
                rel.display()
            );
        }
    }
}
