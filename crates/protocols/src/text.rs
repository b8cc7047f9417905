use clusterplay_sim::{Lang, NodeId};
use serde::Serialize;

/// A sentence in the two languages of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub const fn new(en: &'static str, zh: &'static str) -> Self {
        Text { en, zh }
    }

    /// The text in `lang` ("zh…" for Chinese, English otherwise).
    pub fn get(&self, lang: &str) -> &'static str {
        if lang.starts_with("zh") {
            self.zh
        } else {
            self.en
        }
    }
}

/// A fixed sentence is also a note: `out.note(Text::new("commits", "提交"))`.
impl clusterplay_sim::Words for Text {
    fn write(&self, lang: clusterplay_sim::Lang, out: &mut String) {
        out.push_str(match lang {
            clusterplay_sim::Lang::En => self.en,
            clusterplay_sim::Lang::Zh => self.zh,
        })
    }
}

/// Nodes as a sentence names them: "2", "2 and 3", "2, 3 and 4".
pub fn list<'a>(nodes: impl IntoIterator<Item = &'a NodeId>) -> String {
    list_in(Lang::En, nodes)
}

/// [`list`] in `lang`: "2、3 和 4" in Chinese.
pub fn list_in<'a>(lang: Lang, nodes: impl IntoIterator<Item = &'a NodeId>) -> String {
    let (comma, and) = match lang {
        Lang::En => (", ", " and "),
        Lang::Zh => ("、", " 和 "),
    };
    let names: Vec<String> = nodes.into_iter().map(|n| n.to_string()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(comma)),
    }
}
