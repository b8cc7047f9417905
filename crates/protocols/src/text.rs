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
