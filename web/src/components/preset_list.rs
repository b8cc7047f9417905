use crate::i18n::Lang;
use clusterplay_scenario::{algorithm, presets, Preset};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PresetListProps {
    pub lang: Lang,
    /// Open a preset by id; without it the list only describes.
    #[prop_or_default]
    pub on_open: Option<Callback<String>>,
}

/// The catalogue's presets, grouped by family in catalogue order.
#[component]
pub fn PresetList(props: &PresetListProps) -> Html {
    let lang = props.lang;
    let families = by_family(presets()).into_iter().map(|(family, members)| {
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

fn preset_card(preset: &Preset, lang: Lang, on_open: Option<&Callback<String>>) -> Html {
    let key = lang.key();
    let algorithm = algorithm(&preset.scenario.protocol)
        .map(|a| a.name.get(key).to_owned())
        .unwrap_or_else(|| preset.scenario.protocol.clone());
    html! {
        <li class="preset" data-preset={preset.id.clone()}>
            <h4 class="preset-title">{ preset.title.get(key) }</h4>
            <p class="preset-meta">
                <span>{ algorithm }</span>
                <span>{ lang.nodes(preset.scenario.nodes) }</span>
            </p>
            <p class="preset-caption">{ preset.caption.get(key) }</p>
            if let Some(on_open) = on_open {
                <button type="button" class="ctl small" data-testid={format!("open-{}", preset.id)}
                    onclick={on_open.reform({
                        let id = preset.id.clone();
                        move |_: MouseEvent| id.clone()
                    })}>
                    { lang.t(crate::i18n::W::Open) }
                </button>
            }
        </li>
    }
}

/// Group presets by family, keeping the order in which families and presets first appear.
pub(crate) fn by_family(all: &[Preset]) -> Vec<(&str, Vec<&Preset>)> {
    let mut groups: Vec<(&str, Vec<&Preset>)> = Vec::new();
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
