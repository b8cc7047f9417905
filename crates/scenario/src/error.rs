use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a scenario, a share link or a parameter was refused. Every message names what is wrong
/// in words a learner can act on.
///
/// It travels as JSON from the explorer's web worker, so that the page words it in its own
/// language.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioError {
    #[error("the link is damaged: its scenario part is not valid base64url ({0})")]
    NotBase64(String),
    #[error("the link is damaged: its scenario data does not unpack ({0})")]
    NotCompressed(String),
    #[error("the scenario is too large: it unpacks to more than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the scenario is not valid: {0}")]
    NotJson(String),
    #[error("the scenario has version {0}, but this playground reads version {ver}", ver = crate::model::VERSION)]
    UnknownVersion(u32),
    #[error("unknown protocol \"{name}\"; known protocols: {known}")]
    UnknownProtocol { name: String, known: String },
    /// `what` is where in the scenario (`network.links[0]`), as written in either language;
    /// `problem_zh` says `problem` in Simplified Chinese, without the final full stop.
    #[error("{what} {problem}")]
    Invalid {
        what: String,
        problem: String,
        problem_zh: String,
    },
    #[error("no preset is called \"{0}\" (`clusterplay presets` lists them)")]
    UnknownPreset(String),
    #[error("the link has no scenario in it (expected a fragment like #s=…)")]
    NoScenario,
}

impl ScenarioError {
    pub fn invalid(
        what: impl Into<String>,
        problem: impl Into<String>,
        problem_zh: impl Into<String>,
    ) -> Self {
        ScenarioError::Invalid {
            what: what.into(),
            problem: problem.into(),
            problem_zh: problem_zh.into(),
        }
    }
}

impl From<clusterplay_protocols::ParamError> for ScenarioError {
    fn from(e: clusterplay_protocols::ParamError) -> Self {
        ScenarioError::Invalid {
            what: e.what,
            problem: e.problem,
            problem_zh: e.problem_zh,
        }
    }
}
