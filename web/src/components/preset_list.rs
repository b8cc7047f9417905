use crate::catalogue::catalogue;
use crate::i18n::Lang;
use clusterplay_scenario::catalogue::PresetEntry;
use clusterplay_scenario::preset;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PresetListProps {
    pub lang: Lang,
    /// Open a preset by id; without it the list only describes.
    #[prop_or_default]
    pub on_open: Option<Callback<String>>,
}

/// Every preset of the playground, grouped by family in catalogue order. A preset of a family
/// this page's module does not carry shows its title, algorithm and size; opening it loads
/// its family (`crate::catalogue`), where its caption is.
#[component]
pub fn PresetList(props: &PresetListProps) -> Html {
    let lang = props.lang;
    // Another family's captions arrive after the page has started; redraw when they do.
    let captions_here = use_state(|| crate::catalogue::captions().is_some());
    {
        let captions_here = captions_here.clone();
        use_effect_with((), move |_| {
            if !*captions_here {
                wasm_bindgen_futures::spawn_local(async move {
                    if crate::catalogue::fetch_captions().await {
                        captions_here.set(true);
                    }
                });
            }
        });
    }
    let families = by_family(&catalogue().presets)
        .into_iter()
        .map(|(family, members)| {
            let heading_id = format!("family-{family}");
            html! {
                <section class="family" aria-labelledby={heading_id.clone()}>
                    <h3 class="family-name" id={heading_id}>{ lang.family(family) }</h3>
                    <ul class="presets">
                        { for members.into_iter().map(|p| preset_card(p, lang, props.on_open.as_ref())) }
                    </ul>
                </section>
            }
        });

    html! {
        <section class="catalogue">
            <h2 class="catalogue-heading">{ lang.presets_heading() }</h2>
            { for families }
        </section>
    }
}

fn preset_card(entry: &PresetEntry, lang: Lang, on_open: Option<&Callback<String>>) -> Html {
    let key = lang.key();
    let algorithm = catalogue()
        .algorithm(&entry.protocol)
        .map_or_else(|| entry.protocol.clone(), |a| a.name.get(key).to_owned());
    let caption = preset(&entry.id)
        .ok()
        .map(|p| &p.caption)
        .or_else(|| crate::catalogue::captions()?.get(&entry.id))
        .map(|words| words.get(key).to_owned());
    html! {
        <li class="preset" data-preset={entry.id.clone()}>
            <h4 class="preset-title">{ entry.title.get(key) }</h4>
            <p class="preset-meta">
                <span>{ algorithm }</span>
                <span>{ lang.nodes(entry.nodes) }</span>
                if entry.beyond_text {
                    <span class="beyond">{ lang.t(crate::i18n::W::BeyondText) }</span>
                }
            </p>
            if let Some(caption) = caption {
                <p class="preset-caption">{ caption }</p>
            }
            if let Some(on_open) = on_open {
                <button type="button" class="ctl small" data-testid={format!("open-{}", entry.id)}
                    onclick={on_open.reform({
                        let id = entry.id.clone();
                        move |_: MouseEvent| id.clone()
                    })}>
                    { lang.t(crate::i18n::W::Open) }
                </button>
            }
        </li>
    }
}

/// Group presets by family, keeping the order in which families and presets first appear.
pub(crate) fn by_family(all: &[PresetEntry]) -> Vec<(&str, Vec<&PresetEntry>)> {
    let mut groups: Vec<(&str, Vec<&PresetEntry>)> = Vec::new();
    for preset in all {
        match groups
            .iter_mut()
            .find(|(family, _)| *family == preset.family)
        {
            Some((_, members)) => members.push(preset),
            None => groups.push((&preset.family, vec![preset])),
        }
    }
    groups
}
