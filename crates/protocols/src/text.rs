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
