use crate::i18n::{Lang, W};
use crate::palette::{role_style, shape_points, CRASHED};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub lang: Lang,
    pub roles: Vec<(&'static str, &'static str, &'static str)>,
    /// Badges drawn at the moment, so the legend explains them.
    #[prop_or_default]
    pub badges: Vec<&'static str>,
}

/// What each colour and shape means, plus the crashed look and the badges.
#[component]
pub fn Legend(props: &LegendProps) -> Html {
    let lang = props.lang;
    let swatch = |fill: &'static str, shape| {
        let body = match shape_points(shape, 7.0) {
            Some(points) => html! { <polygon {points} fill={fill} /> },
            None => html! { <circle r="7" fill={fill} /> },
        };
        html! {
            <svg class="swatch" viewBox="-10 -10 20 20" width="18" height="18" aria-hidden="true">
                { body }
            </svg>
        }
    };
    let roles = props.roles.iter().map(|(key, _, _)| {
        let (colour, shape) = role_style(&props.roles, key);
        html! {
            <li data-role={*key}>
                { swatch(colour, shape) }
                { lang.role(&props.roles, key) }
            </li>
        }
    });
    html! {
        <section class="legend" aria-label={lang.t(W::Legend)}>
            <ul>
                { for roles }
                <li>{ swatch(CRASHED, crate::palette::Shape::Circle) }{ "✕ " }{ lang.t(W::Down) }</li>
                { for props.badges.iter().map(|badge| match *badge {
                    "cup" => html! {
                        <li><span aria-hidden="true">{ "☕ " }</span>{ lang.t(W::BadgeCup) }</li>
                    },
                    "crown" => html! {
                        <li><span aria-hidden="true">{ "♛ " }</span>{ lang.t(W::BadgeCrown) }</li>
                    },
                    "token" => html! {
                        <li><span class="token-dot" aria-hidden="true">{ "T" }</span>{ lang.t(W::BadgeToken) }</li>
                    },
                    "global-token" => html! {
                        <li><span class="token-dot" aria-hidden="true">{ "G" }</span>{ lang.t(W::BadgeGlobalToken) }</li>
                    },
                    "lock" => html! {
                        <li>
                            <svg class="swatch" width="16" height="16" viewBox="-8 -9 16 16" aria-hidden="true">
                                <path d="M -3 0 v -2 a 3 3 0 0 1 6 0 v 2" fill="none" stroke="#222" stroke-width="1.5" />
                                <rect x="-5" y="0" width="10" height="7" rx="1" fill={crate::palette::YELLOW} stroke="#222" />
                            </svg>
                            { lang.t(W::HoldsLocks) }
                        </li>
                    },
                    other => html! { <li>{ other }</li> },
                }) }
            </ul>
        </section>
    }
}
