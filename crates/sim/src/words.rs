//! Words the run writes for people: typed values rendered in each language where they are
//! shown, never English sentences parsed back into another language.
//!
//! An algorithm says what happened as a value of its own type (an enum of its notes, each
//! variant with its arguments) and implements [`Words`] for it with [`say!`](crate::say),
//! which takes the English and the Simplified Chinese sentence side by side: a variant without
//! both does not compile, and each language puts the values where its grammar wants them
//! (`"votes for {to} in term {term}"`, `"任期 {term} 投票给 {to}"`). The engine keeps the value
//! in the trace as a [`Text`] and renders it only when someone reads it, so a run that nobody
//! reads (the explorer, a benchmark) formats nothing.
//!
//! Equality, hashing and serialisation of a [`Text`] go by its English rendering:
//! that is what the trace hashes pinned before typed words existed, so they did not change.

use serde::{Serialize, Serializer};
use std::fmt::{self, Debug, Write};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A language the page speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

/// Something that can say itself in every [`Lang`].
pub trait Words: Debug + Send + Sync + 'static {
    /// Append the rendering in `lang` to `out`.
    fn write(&self, lang: Lang, out: &mut String);
}

/// Write one of two sentences into a `String`, by language, with Rust's inline format
/// arguments: `say!(lang, out, "agrees to {to} (ts {ts})", "同意 {to}（ts {ts}）")`.
/// Both sentences are checked by the compiler like any `format!`.
#[macro_export]
macro_rules! say {
    ($lang:expr, $out:expr, $en:literal, $zh:literal $(,)?) => {{
        use ::std::fmt::Write as _;
        // Writing into a String cannot fail.
        let _ = match $lang {
            $crate::Lang::En => ::std::write!($out, $en),
            $crate::Lang::Zh => ::std::write!($out, $zh),
        };
    }};
}

/// A piece of typed words kept in the trace: cheap to clone, rendered on demand.
#[derive(Clone)]
pub struct Text(Arc<dyn Words>);

impl Text {
    pub fn new(words: impl Words) -> Text {
        Text(Arc::new(words))
    }

    /// The words in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.0.write(lang, &mut out);
        out
    }

    /// The words in English: what tests and the command line read.
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }

    /// The value behind the words, for a test that asks which note was written.
    pub fn words(&self) -> &dyn Words {
        &*self.0
    }
}

impl<W: Words> From<W> for Text {
    fn from(words: W) -> Text {
        Text::new(words)
    }
}

impl Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Debug::fmt(&self.en(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.en() == other.en()
    }
}

impl Eq for Text {}

/// A test or a command-line reader compares with the English.
impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.en() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.en() == *other
    }
}

/// Hashes exactly as the English `String` would, so trace hashes pinned before typed words
/// are unchanged.
impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.en().hash(state)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.en())
    }
}

/// Words that are the same in every language: a name, a number, a code term such as `SET NX`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verbatim(pub String);

impl Words for Verbatim {
    fn write(&self, _lang: Lang, out: &mut String) {
        out.push_str(&self.0)
    }
}

/// What the engine itself writes: the cause of an event and the learner's actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EngineNote {
    Waited { count: usize },
    DownIgnores { node: crate::NodeId },
    AlreadyDown { node: crate::NodeId },
    AlreadyUp { node: crate::NodeId },
    DownCannotPause { node: crate::NodeId },
    MissingNode { to: crate::NodeId },
    NotInFlight { msg: crate::MsgId },
}

impl Words for EngineNote {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            EngineNote::Waited { count } => say!(
                lang,
                out,
                "{count} event(s) waited for it and happen now",
                "{count} 个等待它的事件现在发生"
            ),
            EngineNote::DownIgnores { node } => say!(
                lang,
                out,
                "node {node} is down and ignores it",
                "节点 {node} 已宕机，忽略它"
            ),
            EngineNote::AlreadyDown { node } => {
                say!(
                    lang,
                    out,
                    "node {node} is already down",
                    "节点 {node} 已经宕机"
                )
            }
            EngineNote::AlreadyUp { node } => {
                say!(
                    lang,
                    out,
                    "node {node} is already up",
                    "节点 {node} 已经在运行"
                )
            }
            EngineNote::DownCannotPause { node } => say!(
                lang,
                out,
                "node {node} is down and cannot pause",
                "节点 {node} 已宕机，无法暂停"
            ),
            EngineNote::MissingNode { to } => say!(
                lang,
                out,
                "message to missing node {to} not sent",
                "目标节点 {to} 不存在，消息未发送"
            ),
            EngineNote::NotInFlight { msg } => say!(
                lang,
                out,
                "message {msg} is not in flight any more",
                "消息 {msg} 已不在途中"
            ),
        }
    }
}

/// Writes `items` joined by `sep` (the same in both languages: ids, numbers).
pub fn join<T: fmt::Display>(out: &mut String, items: impl IntoIterator<Item = T>, sep: &str) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        let _ = write!(out, "{item}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    #[derive(Debug)]
    struct Vote {
        to: u32,
        term: u64,
    }

    impl Words for Vote {
        fn write(&self, lang: Lang, out: &mut String) {
            let Vote { to, term } = self;
            say!(
                lang,
                out,
                "votes for {to} in term {term}",
                "任期 {term} 投票给 {to}"
            )
        }
    }

    fn hash_of(h: &impl Hash) -> u64 {
        let mut s = DefaultHasher::new();
        h.hash(&mut s);
        s.finish()
    }

    #[test]
    fn each_language_puts_the_values_where_its_grammar_wants_them() {
        let t = Text::new(Vote { to: 2, term: 3 });
        assert_eq!(t.render(Lang::En), "votes for 2 in term 3");
        assert_eq!(t.render(Lang::Zh), "任期 3 投票给 2");
    }

    #[test]
    fn a_text_hashes_compares_and_serialises_as_its_english() {
        let t = Text::new(Vote { to: 2, term: 3 });
        let s = "votes for 2 in term 3".to_owned();
        assert_eq!(hash_of(&t), hash_of(&s));
        assert_eq!(hash_of(&vec![t.clone()]), hash_of(&vec![s.clone()]));
        assert_eq!(t, Text::new(Verbatim(s)));
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"votes for 2 in term 3\""
        );
    }

    #[test]
    fn engine_notes_speak_both_languages() {
        let t = Text::new(EngineNote::NotInFlight { msg: 7 });
        assert_eq!(t.en(), "message 7 is not in flight any more");
        assert_eq!(t.render(Lang::Zh), "消息 7 已不在途中");
    }
}
