//! The page's two languages, the words the page itself needs (presets and algorithms carry
//! their own), and where the choice comes from and goes to: `navigator.language` at first,
//! `localStorage` once the learner has picked one.

/// Where the learner's choice is remembered.
pub const STORAGE_KEY: &str = "clusterplay.lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The key the scenario crate's `Words::get` and `Text::get` take.
    pub fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The BCP 47 tag for `lang` attributes, so the browser picks fitting fonts.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The language's name in itself, as the switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    /// Read a language tag such as `zh-CN`, `zh` or `en-GB`; anything not Chinese is English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The remembered choice, else the browser's language, else English.
    pub fn initial() -> Lang {
        remembered()
            .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
            .map(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }

    /// Remember an explicit choice; a page without storage (private mode, file://) just forgets.
    pub fn remember(self) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, self.key());
        }
    }

    pub fn tagline(self) -> &'static str {
        match self {
            Lang::En => {
                "Watch distributed algorithms run, fail and recover, step by step, in your browser."
            }
            Lang::Zh => "在浏览器里一步步观看分布式算法如何运行、出错和恢复。",
        }
    }

    pub fn switch_label(self) -> &'static str {
        match self {
            Lang::En => "Language",
            Lang::Zh => "语言",
        }
    }

    pub fn presets_heading(self) -> &'static str {
        match self {
            Lang::En => "Presets",
            Lang::Zh => "预设场景",
        }
    }

    pub fn nodes(self, n: u32) -> String {
        match self {
            Lang::En if n == 1 => "1 node".to_owned(),
            Lang::En => format!("{n} nodes"),
            Lang::Zh => format!("{n} 个节点"),
        }
    }

    /// A family key's heading; an unknown family shows its key.
    pub fn family(self, key: &str) -> String {
        let words = match key {
            "mutex" => Some(("Mutual exclusion", "互斥")),
            _ => None,
        };
        match (words, self) {
            (Some((en, _)), Lang::En) => en.to_owned(),
            (Some((_, zh)), Lang::Zh) => zh.to_owned(),
            (None, _) => key.to_owned(),
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn remembered() -> Option<String> {
    local_storage()?.get_item(STORAGE_KEY).ok()?
}

/// Set `<html lang>` so that screen readers and font fallback follow the page's language.
pub fn set_document_lang(lang: Lang) {
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.tag());
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn tags_map_to_languages() {
        assert_eq!(Lang::from_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_tag("ZH-tw"), Lang::Zh);
        assert_eq!(Lang::from_tag("zh"), Lang::Zh);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn keys_select_the_right_words() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.key()), lang);
            assert_eq!(Lang::from_tag(lang.tag()), lang);
        }
    }
}
