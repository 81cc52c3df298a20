//! JSON parsing for tool arguments that refuses a key repeated within one object.
//!
//! `serde_json` keeps the last of two equal keys, so `{"cmd": "ls", …, "cmd": "rm -rf ~"}`
//! reads as `rm -rf ~`, while a person shown the start of the text sees `ls`. Arguments are
//! what a program runs with, so such text is refused, at any depth, rather than guessed at.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why text is not acceptable arguments.
#[derive(Debug)]
pub enum Error {
    /// Not JSON.
    Syntax(serde_json::Error),
    /// An object holds `key` twice; `at` is the object's JSON pointer (`/` for the top).
    Duplicate {
        /// The repeated key.
        key: String,
        /// Where the object is.
        at: String,
    },
}

/// Parses `text` as JSON like `serde_json::from_str`, but fails on a repeated key.
pub fn parse(text: &str) -> Result<Value, Error> {
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Seed {
        at: &Pointer::Root,
        found: &found,
    }
    .deserialize(&mut de)
    .and_then(|value| de.end().map(|()| value));
    match (parsed, found.into_inner()) {
        (Err(_), Some((key, at))) => Err(Error::Duplicate { key, at }),
        (Err(e), None) => Err(Error::Syntax(e)),
        (Ok(value), _) => Ok(value),
    }
}

/// Where a value sits, built on the stack as the parser descends and written out only for
/// an error.
enum Pointer<'a> {
    Root,
    Key(&'a Pointer<'a>, &'a str),
    Index(&'a Pointer<'a>, usize),
}

impl fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pointer::Root => Ok(()),
            Pointer::Key(parent, key) => {
                write!(f, "{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
            }
            Pointer::Index(parent, i) => write!(f, "{parent}/{i}"),
        }
    }
}

struct Seed<'a> {
    at: &'a Pointer<'a>,
    /// The first repeated key and where, set just before the parse is abandoned.
    found: &'a RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // As serde_json's own `Value` does: JSON text never holds a NaN or an infinity.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = Pointer::Index(self.at, items.len());
            let seed = Seed {
                at: &at,
                found: self.found,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let at = match self.at.to_string() {
                    top if top.is_empty() => "/".to_owned(),
                    at => at,
                };
                *self.found.borrow_mut() = Some((key, at));
                return Err(de::Error::custom("a repeated key"));
            }
            let at = Pointer::Key(self.at, &key);
            let value = map.next_value_seed(Seed {
                at: &at,
                found: self.found,
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn duplicate(text: &str) -> (String, String) {
        match parse(text) {
            Err(Error::Duplicate { key, at }) => (key, at),
            other => panic!("expected a duplicate in {text}: {other:?}"),
        }
    }

    #[test]
    fn parses_what_serde_json_parses() {
        for text in [
            r#"{"a": 1, "b": [1, -2, 3.5, 1e3, true, null, "x"], "c": {"d": {}}}"#,
            r#"{"big": 18446744073709551615, "neg": -9223372036854775808, "s": "\u00e9\n"}"#,
            "[]",
            "  \"text\"  ",
        ] {
            let ours = parse(text).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        let order = parse(r#"{"z": 1, "a": 2}"#).unwrap();
        assert_eq!(order.to_string(), r#"{"z":1,"a":2}"#, "key order is kept");
    }

    #[test]
    fn a_repeated_key_is_an_error_at_any_depth() {
        assert_eq!(
            duplicate(r#"{"cmd": "ls", "pad": "x", "cmd": "rm -rf ~"}"#),
            ("cmd".into(), "/".into())
        );
        assert_eq!(
            duplicate(r#"{"a": {"b": [0, {"c": 1, "c": 2}]}}"#),
            ("c".into(), "/a/b/1".into())
        );
        assert_eq!(
            duplicate(r#"{"x/y": {"t~": {"k": 1, "k": 1}}}"#),
            ("k".into(), "/x~1y/t~0".into())
        );
        // The same key in sibling objects is fine.
        assert_eq!(
            parse(r#"[{"k": 1}, {"k": 2}]"#).unwrap(),
            json!([{"k": 1}, {"k": 2}])
        );
    }

    #[test]
    fn bad_text_is_a_syntax_error() {
        for text in [r#"{"a": "#, "{} {}", r#"{"a": 1,}"#, ""] {
            assert!(matches!(parse(text), Err(Error::Syntax(_))), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(
            matches!(parse(&deep), Err(Error::Syntax(_))),
            "the recursion limit holds"
        );
    }
}
