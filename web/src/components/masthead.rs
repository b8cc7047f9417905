use crate::i18n::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MastheadProps {
    pub lang: Lang,
}

/// The name of the playground and what it is for, in one line.
#[component]
pub fn Masthead(props: &MastheadProps) -> Html {
    html! {
        <div class="brand">
            <h1 class="title">{ "clusterplay" }</h1>
            <p class="tagline">{ props.lang.tagline() }</p>
        </div>
    }
}
