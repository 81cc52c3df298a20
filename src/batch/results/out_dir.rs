//! `--out-dir` reply files of a run: one per answered item, never over another item's file
//! (two inputs may map to one name, in one run or across resumed runs) nor over an input.

use std::path::{Path, PathBuf};

use super::Run;
use crate::batch::inputs;
use crate::batch::item::{self, ItemResult, Outcome};
use crate::batch::journal;

impl Run<'_> {
    /// Writes an `ok` item's reply to its `--out-dir` file and returns the file; a file
    /// that cannot be written fails that item alone, with the OS error and the path.
    pub(super) fn write_out_file(&mut self, result: &mut ItemResult) -> Option<PathBuf> {
        let Outcome::Ok(completion) = &result.outcome else {
            return None;
        };
        let file = self.out_file(result)?;
        let written = if result
            .path
            .as_deref()
            .is_some_and(|input| journal::same_file(&file, input))
        {
            Err(format!(
                "cannot write `{}`: it is the item's input",
                file.display()
            ))
        } else {
            journal::write_atomic(&file, completion.text.as_bytes())
                .map_err(|e| format!("cannot write `{}`: {e}", file.display()))
        };
        match written {
            Ok(()) => Some(file),
            Err(message) => {
                result.outcome = Outcome::Failed(item::ItemError {
                    status: None,
                    code: Some("write_error".into()),
                    message,
                    request_id: completion.request_id.clone(),
                    fatal: None,
                });
                None
            }
        }
    }

    /// Picks the `--out-dir` file for an item. Two inputs can map to one name (`../d/a.md`
    /// and `d/a.md`, or JSONL ids `x/y` and `x_y`), in one run or across resumed runs: the
    /// later one gets `~2`, never overwriting a file another item owns. Names longer than
    /// the file system takes are shortened with a hash.
    fn out_file(&mut self, r: &ItemResult) -> Option<PathBuf> {
        let dir = self.output.out_dir.clone()?;
        let input = match &r.path {
            Some(path) => path.clone(),
            // JSONL items have no path: their id names the file.
            None => PathBuf::from(r.id.replace(['/', '\\', '\0'], "_")),
        };
        // An id with no usable name (``, `..`, `/`) still gets a visible file.
        let input = if inputs::relative_for_output(&input).as_os_str().is_empty() {
            PathBuf::from("item")
        } else {
            input
        };
        let target = journal::out_path(&dir, &input, &self.output.ext);
        let rel = target.strip_prefix(&dir).unwrap_or(&target).to_path_buf();
        let max = *self.name_max.get_or_insert_with(|| journal::name_max(&dir));
        let mut n = 1;
        loop {
            let mut name = rel.clone().into_os_string();
            if n > 1 {
                name.push(format!("~{n}"));
            }
            let candidate = dir.join(journal::fit_name(Path::new(&name), max));
            let key = inputs::normalize(&candidate);
            let owner = self.out_files.get(&key);
            if self.written.contains(&key) || owner.is_some_and(|id| *id != r.id) {
                n += 1;
                continue;
            }
            self.out_files.insert(key.clone(), r.id.clone());
            self.written.insert(key);
            return Some(candidate);
        }
    }
}
