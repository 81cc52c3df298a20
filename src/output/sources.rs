//! The web sources of a searched reply (`--sources`): JSON objects for JSONL `source`
//! events, the `sources` array of `--format json` and batch lines, and the numbered list a
//! person reads on stderr in text mode.

use serde_json::{Map, Value, json};

use crate::api::types::Source;
use crate::term::printable;

/// One source as JSON fields: `index`, `title`, `url`, `site`.
pub fn fields(source: &Source) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("index".into(), json!(source.index));
    map.insert("title".into(), json!(source.title));
    map.insert("url".into(), json!(source.url));
    map.insert("site".into(), json!(source.site));
    map
}

/// The `sources` array.
pub fn array(sources: &[Source]) -> Value {
    Value::Array(sources.iter().map(|s| Value::Object(fields(s))).collect())
}

/// The numbered list for stderr, one source per line: `[N] title (site) url`. Titles and
/// site names come from the web, so control characters are escaped; an empty site or the
/// placeholder `无` ("none") is left out.
pub fn list(sources: &[Source]) -> String {
    let mut out = String::new();
    for s in sources {
        let site = match s.site.trim() {
            "" | "无" => String::new(),
            site => format!(" ({})", printable(site)),
        };
        out.push_str(&format!(
            "[{}] {}{site} {}\n",
            s.index,
            printable(s.title.trim()),
            printable(&s.url)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_escapes_what_the_web_sent() {
        let sources = [
            Source {
                index: 1,
                title: "Evil \u{1b}]0;pwned\u{7} title".into(),
                url: "https://a.example/x".into(),
                site: "百家号".into(),
            },
            Source {
                index: 6,
                title: "B".into(),
                url: "http://b.example/".into(),
                site: "无".into(),
            },
        ];
        assert_eq!(
            list(&sources),
            "[1] Evil \\u{1b}]0;pwned\\u{7} title (百家号) https://a.example/x\n\
             [6] B http://b.example/\n"
        );
        assert_eq!(array(&sources)[1]["site"], "无");
    }
}
