//! The `--prompt` template for file items, with `{path}`, `{name}` and `{content}`.

use std::path::Path;

/// A prompt template with `{path}`, `{name}` and `{content}` placeholders.
#[derive(Debug, Clone, Default)]
pub struct Template {
    text: Option<String>,
}

impl Template {
    /// Wraps the `--prompt` text, if any.
    pub fn new(text: Option<String>) -> Self {
        Self { text }
    }

    /// The length of the text every rendered prompt starts with: the template up to its
    /// first placeholder (all of it when it has none: the file is then appended after it).
    /// This is the stable head the explicit prompt cache can mark; `None` when empty.
    pub fn stable_head(&self) -> Option<usize> {
        let t = self.text.as_deref()?;
        let end = ["{path}", "{name}", "{content}"]
            .iter()
            .filter_map(|p| t.find(p))
            .min()
            .unwrap_or(t.len());
        (end > 0).then_some(end)
    }

    /// The text of a media file's item: the template with `{path}` and `{name}` filled, or
    /// nothing without a template; `None` when the template wants `{content}`, which a
    /// media file does not have.
    pub fn render_media(&self, path: &Path) -> Option<String> {
        let shown = path.display().to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        match &self.text {
            None => Some(String::new()),
            Some(t) if t.contains("{content}") => None,
            Some(t) => Some(t.replace("{path}", &shown).replace("{name}", &name)),
        }
    }

    /// Fills the template for one file. Without `{content}` the file is appended as
    /// context, the way `qwen chat --file` attaches it; without a template the file is the
    /// whole prompt.
    pub fn render(&self, path: &Path, content: &str) -> String {
        let shown = path.display().to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        match &self.text {
            None => content.to_owned(),
            Some(t) if t.contains("{content}") => t
                .replace("{path}", &shown)
                .replace("{name}", &name)
                .replace("{content}", content),
            Some(t) => {
                let head = t.replace("{path}", &shown).replace("{name}", &name);
                let body = content.trim_end_matches(['\n', '\r']);
                format!("{head}\n\n<file path=\"{shown}\">\n{body}\n</file>")
            }
        }
    }
}
