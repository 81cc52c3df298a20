//! The one-way architecture: every module of `src/` imports only modules on a lower floor
//! of the house that ARCHITECTURE.md draws (the fenced `layers` block is the one source of
//! truth), plus the few arrows inside a floor that it declares.
//!
//! Reads every file under `src/`, outside `#[cfg(test)]` code and comments: `use crate::…`
//! (grouped too: `use crate::{a, b::c}`), inline `crate::x::` paths, and `super::` paths
//! that climb out of their top-level module. The crate root (`lib.rs`, `main.rs`) stands
//! above every floor.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floors and the declared arrows inside a floor, read from ARCHITECTURE.md.
struct House {
    /// Module → (floor number, floor name).
    floor: BTreeMap<String, (usize, String)>,
    /// Allowed arrows between modules of one floor.
    inside: BTreeSet<(String, String)>,
}

fn house(root: &Path) -> House {
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let block = text
        .split("```text layers\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```text layers block");
    let mut house = House {
        floor: BTreeMap::new(),
        inside: BTreeSet::new(),
    };
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            // `floor 3 settings: config`
            ["floor", n, name, modules @ ..] => {
                let n: usize = n.parse().expect("a floor number");
                let name = name.trim_end_matches(':').to_owned();
                for module in modules {
                    let old = house.floor.insert(module.to_string(), (n, name.clone()));
                    assert!(old.is_none(), "`{module}` is on two floors");
                }
            }
            // `inside ground: term -> secret`
            ["inside", _floor, from, "->", to] => {
                house.inside.insert((from.to_string(), to.to_string()));
            }
            _ => panic!("ARCHITECTURE.md layers block: cannot read `{line}`"),
        }
    }
    for (from, to) in &house.inside {
        let (a, b) = (&house.floor[from], &house.floor[to]);
        assert_eq!(a.0, b.0, "`inside` arrow {from} -> {to} crosses floors");
    }
    house
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/api/mod.rs` → `[api]`, `src/api/sse.rs` → `[api, sse]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut path: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if path.last().is_some_and(|p| p == "mod") {
        path.pop();
    }
    path
}

/// The code of a file with comments, string literals and `#[cfg(test)]` items blanked out
/// (newlines kept, so that byte offsets still give line numbers).
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"//") {
            let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if bytes[i..].starts_with(b"/*") {
            let end = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2);
            blank(&mut out, i, end);
            i = end;
        } else if bytes[i] == b'\''
            && (bytes.get(i + 2) == Some(&b'\'') || bytes.get(i + 1) == Some(&b'\\'))
        {
            // A character literal such as `'{'` or `'\"'`, which would upset the brace count
            // or look like the start of a string.
            let end = if bytes[i + 1] == b'\\' {
                text[i + 3..].find('\'').map_or(i + 3, |n| i + 3 + n)
            } else {
                i + 2
            };
            blank(&mut out, i + 1, end);
            i = end + 1;
        } else if bytes[i] == b'"' && (i == 0 || bytes[i - 1] != b'\'') {
            // A string literal (raw strings with `#` guards included).
            let hashes = text[..i].chars().rev().take_while(|c| *c == '#').count();
            let raw = text[..i - hashes].ends_with('r');
            let mut j = i + 1;
            loop {
                if j >= bytes.len() {
                    break;
                }
                if !raw && bytes[j] == b'\\' {
                    j += 2;
                    continue;
                }
                if bytes[j] == b'"' && bytes[j + 1..].iter().take(hashes).all(|b| *b == b'#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            blank(&mut out, i + 1, j.saturating_sub(1).max(i + 1));
            i = j;
        } else {
            i += 1;
        }
    }
    let code = String::from_utf8(out).expect("blanking keeps UTF-8 boundaries of ASCII");
    without_test_items(&code)
}

/// Blanks every item under `#[cfg(test)]`: a `mod tests { … }` block, or a declaration.
fn without_test_items(code: &str) -> String {
    let mut out = code.as_bytes().to_vec();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]") {
        let start = from + at;
        let rest = &code[start..];
        let brace = rest.find('{');
        let semi = rest.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => start + s + 1,
            (Some(b), _) => {
                let mut depth = 0;
                let mut end = code.len();
                for (k, c) in code[start + b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = start + b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => start + s + 1,
            (None, None) => code.len(),
        };
        for b in &mut out[start..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        from = end;
    }
    String::from_utf8(out).unwrap()
}

/// The first names of the paths in a use tree's braces: `{a, b::c, d::{e}}` → a, b, d.
fn group_heads(tree: &str) -> Vec<String> {
    let (mut depth, mut heads, mut current) = (0, Vec::new(), String::new());
    for c in tree.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        if depth == 0 || (depth == 1 && c != '{') {
            current.push(c);
        }
    }
    heads.push(current);
    heads
        .iter()
        .filter_map(|h| {
            let word: String = h
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!word.is_empty() && word != "self").then_some(word)
        })
        .collect()
}

/// Every top-level module `code` (the file of `module`) refers to, with its byte offset.
fn references(code: &str, module: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        // `$crate::` and `qwen::crate_x` are not ours; a word must not run into `crate`.
        if code[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            continue;
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(k, _)| k);
            for head in group_heads(&group[..end]) {
                found.push((start, head));
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.push((start, name));
            }
        }
    }
    // `super::` paths that climb out of the top-level module reach the crate root.
    let mut from = 0;
    while let Some(at) = code[from..].find("super::") {
        let start = from + at;
        if code[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        {
            from = start + 1;
            continue;
        }
        let mut rest = &code[start..];
        let mut climbs = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = r;
        }
        from = start + climbs * "super::".len();
        if climbs >= module.len() {
            let names = match rest.strip_prefix('{') {
                Some(group) => group_heads(&group[..group.find('}').unwrap_or(group.len())]),
                None => vec![ident(rest)],
            };
            found.extend(names.into_iter().map(|n| (start, n)));
        }
    }
    found
}

/// The upward (or undeclared sideways) imports of `src/`, one message each.
fn violations(root: &Path) -> Vec<String> {
    let house = house(root);
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // Files that exist only for tests (`#[cfg(test)] mod tests;`).
    let mut test_only = BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let dir = if file.file_name().is_some_and(|n| n == "mod.rs") {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0] == "#[cfg(test)]" && w[1] == "mod" && w[2].ends_with(';') {
                let name = w[2].trim_end_matches(';');
                test_only.insert(dir.join(format!("{name}.rs")));
                test_only.insert(dir.join(name).join("mod.rs"));
            }
        }
    }
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| !test_only.contains(*f)) {
        let module = module_path(&src, file);
        let Some(top) = module.first() else { continue };
        if top == "lib" || top == "main" {
            continue; // the crate root stands above every floor
        }
        let shown = file.strip_prefix(root).unwrap().display().to_string();
        let Some((floor, floor_name)) = house.floor.get(top) else {
            problems.push(format!(
                "{shown}: module `{top}` is on no floor of ARCHITECTURE.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let code = code_only(&text);
        for (at, target) in references(&code, &module) {
            if &target == top {
                continue;
            }
            let line = code[..at].matches('\n').count() + 1;
            let ok = match house.floor.get(&target) {
                Some((to, _)) if to < floor => true,
                Some((to, _)) if to == floor => {
                    house.inside.contains(&(top.clone(), target.clone()))
                }
                Some(_) => false,
                None => {
                    problems.push(format!(
                        "{shown}:{line}: `{top}` uses `crate::{target}`, which is on no floor"
                    ));
                    continue;
                }
            };
            if !ok {
                let (to, to_name) = &house.floor[&target];
                problems.push(format!(
                    "{shown}:{line}: `{top}` (floor {floor}, {floor_name}) imports `{target}` \
                     (floor {to}, {to_name}): imports point down only"
                ));
            }
        }
    }
    problems
}

#[test]
fn modules_import_only_lower_floors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let problems = violations(root);
    assert!(
        problems.is_empty(),
        "imports that break the layers of ARCHITECTURE.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_module_of_the_crate_root_is_on_a_floor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let house = house(root);
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect();
    let drawn: BTreeSet<String> = house.floor.keys().cloned().collect();
    assert_eq!(
        declared, drawn,
        "lib.rs and ARCHITECTURE.md list other modules"
    );
}

#[test]
fn the_reader_sees_grouped_inline_and_climbing_paths() {
    let module = ["api".to_owned(), "sse".to_owned()];
    let code = code_only(concat!(
        "use crate::{units::parse_size, term};\n",
        "// crate::config in a comment\n",
        "fn f() { crate::store::Store::open(); let s = \"crate::cli\"; }\n",
        "use super::super::exit::Exit;\n",
        "use super::types;\n",
        "#[cfg(test)]\nmod tests { use crate::error; }\n",
    ));
    let names: Vec<String> = references(&code, &module)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(names, ["units", "term", "store", "exit"]);
}
