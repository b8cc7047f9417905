use thiserror::Error;

/// Why a scenario, a share link or a parameter was refused. Every message names what is wrong
/// in words a learner can act on.
#[derive(Debug, Clone, PartialEq, Error)]
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
    #[error("{what} {problem}")]
    Invalid { what: String, problem: String },
    #[error("no preset is called \"{0}\" (`clusterplay presets` lists them)")]
    UnknownPreset(String),
    #[error("the link has no scenario in it (expected a fragment like #s=…)")]
    NoScenario,
}

impl ScenarioError {
    pub fn invalid(what: impl Into<String>, problem: impl Into<String>) -> Self {
        ScenarioError::Invalid {
            what: what.into(),
            problem: problem.into(),
        }
    }
}

impl From<clusterplay_protocols::ParamError> for ScenarioError {
    fn from(e: clusterplay_protocols::ParamError) -> Self {
        ScenarioError::Invalid {
            what: e.what,
            problem: e.problem,
        }
    }
}
