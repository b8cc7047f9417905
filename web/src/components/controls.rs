use crate::geometry::{clock, slider_from_speed, speed_from_slider};
use crate::i18n::{Lang, W};
use crate::state::{Action, AppState};
use clusterplay_sim::Time;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub lang: Lang,
    pub playing: bool,
    pub playhead: Time,
    pub until: Time,
    pub speed: f64,
    pub can_step: bool,
    pub can_step_back: bool,
    pub dispatch: UseReducerDispatcher<AppState>,
    /// Embed mode: play, step and the clock only.
    #[prop_or_default]
    pub minimal: bool,
    /// A lesson is taken: its own panel says what to press.
    #[prop_or_default]
    pub lesson: bool,
}

/// The timeline moves in steps of [`TIMELINE_STEP`] µs, so its last step can fall short of a
/// run that does not end on one (a replay ends at its violation, 39.491 ms): the thumb at its
/// end means the end, or the last events would never be seen by dragging.
fn to_the_end(t: Time, until: Time) -> Time {
    if t.saturating_add(TIMELINE_STEP) > until {
        until
    } else {
        t
    }
}

/// The timeline's step, in engine time (µs).
const TIMELINE_STEP: Time = 100;

fn input_value(e: &Event) -> Option<f64> {
    e.target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .value()
        .parse()
        .ok()
}

/// A small icon drawn from one SVG path (fonts often lack the media-control symbols).
fn icon(d: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
            focusable="false">
            <path {d} fill="currentColor" />
        </svg>
    }
}

/// Play, step, step back, the clock, the timeline, speed, reset and a new seed.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let lang = props.lang;
    let send = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
    };
    let play_word = lang.t(if props.playing { W::Pause } else { W::Play });
    // A run that has not started yet: say what to press.
    let invite = !props.playing && props.playhead == 0 && props.can_step && !props.lesson;
    let on_seek = {
        let dispatch = props.dispatch.clone();
        let until = props.until;
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                if v.is_finite() && v >= 0.0 {
                    dispatch.dispatch(Action::Seek(to_the_end(v as Time, until)));
                }
            }
        })
    };
    let on_speed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                dispatch.dispatch(Action::SetSpeed(speed_from_slider(v)));
            }
        })
    };
    let on_seed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::NewSeed(crate::browser::random_seed()))
        })
    };
    let speed = props.speed;
    let speed_text = if speed < 1.0 {
        format!("{speed:.2}×")
    } else {
        format!("{speed:.1}×")
    };

    html! {
        <div class={classes!("controls", props.minimal.then_some("minimal"))}
            role="group" aria-label={lang.t(W::Controls)}>
            <div class="buttons">
                <button type="button" class="ctl" data-testid="step-back"
                    title={lang.t(W::StepBackHint)} aria-label={lang.t(W::StepBack)}
                    disabled={!props.can_step_back} onclick={send(Action::StepBack)}>
                    { icon("M5 5h3v14H5zM19 5v14L9 12z") }
                    <span class="ctl-text">{ lang.t(W::StepBack) }</span>
                </button>
                <button type="button" class={classes!("ctl", "primary", props.playing.then_some("playing"), invite.then_some("invite"))}
                    data-testid="play" title={lang.t(W::PlayHint)} aria-label={play_word}
                    onclick={send(Action::TogglePlay)}>
                    { icon(if props.playing { "M6 5h4v14H6zM14 5h4v14h-4z" } else { "M7 4v16l13-8z" }) }
                    <span class="ctl-text">{ play_word }</span>
                </button>
                <button type="button" class="ctl" data-testid="step"
                    title={lang.t(W::StepForwardHint)} aria-label={lang.t(W::Step)}
                    disabled={!props.can_step} onclick={send(Action::Step)}>
                    { icon("M5 5v14l10-7zM16 5h3v14h-3z") }
                    <span class="ctl-text">{ lang.t(W::Step) }</span>
                </button>
                if invite {
                    <span class="play-hint" data-testid="play-hint">{ lang.t(W::PressPlay) }</span>
                }
                <output class="clock" aria-label={lang.t(W::Clock)} title={lang.t(W::Clock)}>
                    <span data-testid="clock" data-clock="">{ clock(props.playhead) }</span>
                    <span class="clock-end">{ format!(" / {}", clock(props.until)) }</span>
                </output>
            </div>
            if !props.minimal {
                <label class="timeline">
                    <span class="visually-hidden">{ lang.t(W::Timeline) }</span>
                    <input type="range" data-testid="timeline" data-timeline="" min="0"
                        max={props.until.to_string()} step={TIMELINE_STEP.to_string()}
                        value={props.playhead.to_string()}
                        aria-valuetext={clock(props.playhead)}
                        oninput={on_seek} />
                </label>
                <div class="buttons secondary">
                    <label class="speed">
                        <span>{ lang.t(W::Speed) }</span>
                        <input type="range" data-testid="speed" min="-1" max="1" step="0.05"
                            value={format!("{:.2}", slider_from_speed(speed))}
                            aria-valuetext={speed_text.clone()}
                            oninput={on_speed} />
                        <output>{ speed_text }</output>
                    </label>
                    <button type="button" class="ctl" data-testid="reset"
                        title={lang.t(W::ResetHint)} onclick={send(Action::Reset)}>
                        { lang.t(W::Reset) }
                    </button>
                    <button type="button" class="ctl" data-testid="new-seed"
                        title={lang.t(W::NewSeedHint)} onclick={on_seed}>
                        { lang.t(W::NewSeed) }
                    </button>
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_the_timeline_is_the_end_of_the_run() {
        assert_eq!(to_the_end(39_400, 39_491), 39_491);
        assert_eq!(to_the_end(39_300, 39_491), 39_300);
        assert_eq!(to_the_end(40_000, 40_000), 40_000);
    }
}
