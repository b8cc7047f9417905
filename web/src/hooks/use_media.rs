use gloo_events::EventListener;
use yew::prelude::*;

/// Whether the media query `query` matches, following the browser as it changes (a phone
/// turned on its side, a window made narrower).
#[hook]
pub fn use_media(query: &'static str) -> bool {
    let matches = use_state(|| media_matches(query));
    {
        let matches = matches.clone();
        use_effect_with(query, move |query| {
            let list = web_sys::window().and_then(|w| w.match_media(query).ok().flatten());
            let listener = list.map(|list| {
                let target = list.clone();
                EventListener::new(&target, "change", move |_| matches.set(list.matches()))
            });
            move || drop(listener)
        });
    }
    *matches
}

fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|q| q.matches())
}
