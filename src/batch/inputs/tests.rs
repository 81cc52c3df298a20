//! Tests of the batch inputs: walks, stdin lists, JSONL and templates.

use super::*;
use futures_util::StreamExt;

fn collect(source: Source, walk: WalkOptions) -> Vec<Input> {
    let (inputs, error) = collect_all(source, walk);
    assert!(error.is_none(), "{error:?}");
    inputs
}

/// Every input, and the error that ended the stream, if any.
fn collect_all(source: Source, walk: WalkOptions) -> (Vec<Input>, Option<String>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (stream, listing) = spawn(source, walk).unwrap();
    let all: Vec<Next> = rt.block_on(stream.collect());
    let mut inputs = Vec::new();
    let mut error = None;
    for next in all {
        assert!(error.is_none(), "nothing follows the error");
        match next {
            Ok(input) => inputs.push(input),
            Err(err) => error = Some(err.message),
        }
    }
    assert_eq!(listing.total(), Some(inputs.len() as u64));
    (inputs, error)
}

#[test]
fn walk_respects_gitignore_hidden_and_globs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(".gitignore"), "skip.md\n").unwrap();
    for f in ["a.md", "b.txt", "skip.md", ".hidden.md", "sub/c.md"] {
        std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
        std::fs::write(d.join(f), "x").unwrap();
    }
    let names = |inputs: Vec<Input>| -> Vec<String> {
        inputs
            .into_iter()
            .map(|i| match i {
                Input::File { path } => path.strip_prefix(d).unwrap().display().to_string(),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let all = names(collect(
        Source::Paths(vec![d.into()]),
        WalkOptions::default(),
    ));
    assert_eq!(all, ["a.md", "b.txt", "sub/c.md"]);
    let md = WalkOptions {
        globs: vec!["*.md".into()],
        hidden: true,
        ..Default::default()
    };
    let got = names(collect(Source::Paths(vec![d.into()]), md));
    assert_eq!(got, [".hidden.md", "a.md", "sub/c.md"]);
    let shallow = WalkOptions {
        max_depth: Some(1),
        globs: vec!["!b.txt".into()],
        ..Default::default()
    };
    assert_eq!(
        names(collect(Source::Paths(vec![d.into()]), shallow)),
        ["a.md"]
    );
}

#[test]
fn missing_paths_are_reported_not_dropped() {
    let got = collect(
        Source::Paths(vec!["/nonexistent/x.md".into()]),
        WalkOptions::default(),
    );
    assert!(matches!(&got[..], [Input::Broken { message, .. }] if message.contains("x.md")));
}

#[test]
fn a_source_that_cannot_be_read_ends_the_stream_once() {
    let dir = tempfile::tempdir().unwrap();
    let (inputs, error) = collect_all(Source::Jsonl(dir.path().into()), Default::default());
    assert!(inputs.is_empty(), "{inputs:?}");
    let error = error.expect("an error");
    assert!(error.contains("Is a directory"), "{error}");

    let missing = dir.path().join("missing.jsonl");
    let (_, error) = collect_all(Source::Jsonl(missing), Default::default());
    assert!(error.unwrap().contains("missing.jsonl"));
}

#[test]
fn jsonl_lines_keep_their_numbers_and_a_bad_one_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, b"{\"id\": 1}\r\n\n\xff\n{\"id\": 2}").unwrap();
    let got = collect(Source::Jsonl(file), Default::default());
    assert!(matches!(&got[0], Input::Line { number: 1, text } if text == "{\"id\": 1}"));
    assert!(
        matches!(&got[1], Input::Broken { id, message } if id == "line 3" && message.contains("UTF-8"))
    );
    assert!(matches!(&got[2], Input::Line { number: 4, .. }));
}

#[test]
fn a_duplicate_id_ends_the_stream_after_the_lines_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    std::fs::write(
        &file,
        "{\"custom_id\": \"a\", \"id\": \"z\"}\n{\"id\": 5}\nnot json\n{\"id\": \"5\"}\n{\"id\": \"c\"}\n",
    )
    .unwrap();
    let (inputs, error) = collect_all(Source::Jsonl(file), Default::default());
    assert_eq!(
        inputs.len(),
        3,
        "the duplicate and what follows are never read"
    );
    let error = error.unwrap();
    assert!(
        error.contains("duplicate id `5` on lines 2 and 4 of `"),
        "{error}"
    );
}

#[test]
fn line_ids_follow_the_items() {
    assert_eq!(
        line_id(r#"{"custom_id": "a", "id": "b"}"#).as_deref(),
        Some("a")
    );
    assert_eq!(line_id(r#"{"id": 7, "prompt": "x"}"#).as_deref(), Some("7"));
    assert_eq!(line_id(r#"{"id": null, "custom_id": true}"#), None);
    assert_eq!(line_id("[1]"), None);
}

#[cfg(unix)]
#[test]
fn special_files_found_by_a_walk_are_skipped_but_a_named_one_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), "x").unwrap();
    let fifo = d.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    std::os::unix::fs::symlink(&fifo, d.join("link")).unwrap();
    std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
    let got = collect(Source::Paths(vec![d.into()]), WalkOptions::default());
    let kinds: Vec<(String, String)> = got
        .iter()
        .map(|i| match i {
            Input::File { path } => (name(path), "file".to_owned()),
            Input::Skipped { path, reason } => (name(path), reason.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds[0], ("a.md".to_owned(), "file".to_owned()));
    assert!(kinds[1].0 == "link" && kinds[1].1.starts_with("a named pipe"));
    assert!(kinds[2].0 == "pipe" && kinds[2].1.starts_with("a named pipe"));
    assert!(kinds[3].0 == "sock" && kinds[3].1.starts_with("a socket"));

    let named = collect(Source::Paths(vec![fifo.clone()]), WalkOptions::default());
    assert_eq!(named, [Input::File { path: fifo }]);
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn templates() {
    let p = Path::new("docs/a.md");
    let t = Template::new(Some("Summarise {name} ({path}):\n{content}".into()));
    assert_eq!(t.render(p, "hi"), "Summarise a.md (docs/a.md):\nhi");
    let t = Template::new(Some("Summarise {name}".into()));
    assert_eq!(
        t.render(p, "hi\n"),
        "Summarise a.md\n\n<file path=\"docs/a.md\">\nhi\n</file>"
    );
    assert_eq!(Template::new(None).render(p, "hi"), "hi");
}

#[test]
fn output_paths_stay_inside() {
    assert_eq!(
        relative_for_output(Path::new("../../etc/x")),
        PathBuf::from("etc/x")
    );
    assert_eq!(
        relative_for_output(Path::new("/abs/y.md")),
        PathBuf::from("abs/y.md")
    );
    assert_eq!(
        relative_for_output(Path::new("./docs/a.md")),
        PathBuf::from("docs/a.md")
    );
}
