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
    /// The language the run's typed words render in.
    pub fn words(self) -> clusterplay_scenario::Lang {
        match self {
            Lang::En => clusterplay_scenario::Lang::En,
            Lang::Zh => clusterplay_scenario::Lang::Zh,
        }
    }

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

    /// One of the page's own words in this language.
    pub fn t(self, w: W) -> &'static str {
        let (en, zh) = w.pair();
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// A protocol command as a button says it; a command the page has no words for shows
    /// itself, so a new protocol's commands work before anyone translates them.
    pub fn command(self, command: &serde_json::Value) -> String {
        // A command is a word ("timeout") or a word with its argument ({"put": "x=1"}): read
        // as words, in the learner's language where the glossary has them.
        let english = match command {
            serde_json::Value::String(word) if word == "request" => {
                return self.t(W::WantCoffee).to_owned();
            }
            serde_json::Value::String(word) => word.replace('-', " "),
            serde_json::Value::Object(fields) if fields.len() == 1 => {
                let (word, arg) = fields.iter().next().expect("one field");
                let arg = arg.as_str().map_or_else(|| arg.to_string(), str::to_owned);
                format!("{} {arg}", word.replace('-', " "))
            }
            other => other.to_string(),
        };
        clusterplay_scenario::glossary::phrase(&english, self.tag()).into_owned()
    }

    /// A role's legend name from the protocol's (key, English, Chinese) list.
    pub fn role<'a>(
        self,
        roles: &'a [(&'static str, &'static str, &'static str)],
        key: &'a str,
    ) -> &'a str {
        roles
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, en, zh)| match self {
                Lang::En => *en,
                Lang::Zh => *zh,
            })
            .unwrap_or(key)
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

    /// Why a link or scenario was refused, in this language. In Chinese the parser's own
    /// detail (English, from serde or base64) is left out where the sentence says enough, and
    /// labelled as the parser's where it is the only clue.
    pub fn scenario_error(self, e: &clusterplay_scenario::ScenarioError) -> String {
        use clusterplay_scenario::ScenarioError as E;
        if self == Lang::En {
            return e.to_string();
        }
        match e {
            E::NotBase64(_) => {
                "链接已损坏：其中的场景部分不是有效的 base64url 编码（可能在复制时被截断或改动）。"
                    .to_owned()
            }
            E::NotCompressed(_) => {
                "链接已损坏：其中的场景数据无法解压（可能在复制时被截断或改动）。".to_owned()
            }
            E::TooLarge { limit } => format!("场景太大：解压后超过 {limit} 字节。"),
            E::NotJson(detail) => format!("场景无法读取（解析器的说明：{detail}）。"),
            E::UnknownVersion(v) => format!(
                "这个场景的格式版本是 {v}，而本演示场只能读取版本 {}。",
                clusterplay_scenario::model::VERSION
            ),
            E::UnknownProtocol { name, known } => {
                format!("没有名为“{name}”的算法；已有的算法：{known}。")
            }
            E::Invalid {
                what, problem_zh, ..
            } => format!("{what} {problem_zh}。"),
            E::UnknownPreset(id) => {
                format!("没有名为“{id}”的预设场景（`clusterplay presets` 可列出全部）。")
            }
            E::NoScenario => "链接里没有场景（应当形如 #s=…）。".to_owned(),
        }
    }

    /// Why a lesson cannot be taken, in this language.
    pub fn lesson_error(self, e: &clusterplay_scenario::lesson::LessonError) -> String {
        use clusterplay_scenario::lesson::LessonError as E;
        if self == Lang::En {
            return e.to_string();
        }
        match e {
            E::NotJson(detail) => format!("课程无法读取（解析器的说明：{detail}）。"),
            E::Scenario(e) => self.scenario_error(e),
            E::Invalid { what, problem } => format!("课程的 {what} 有误：{problem}"),
            E::NeverReached { stop, anchor } => {
                format!("第 {stop} 站（{anchor}）在这次运行中不会出现。")
            }
            E::NoChoice { stop, answer } => {
                format!("第 {stop} 站：运行给出的答案（{answer}）不在选项之中。")
            }
            E::CannotAct { stop, why } => format!("第 {stop} 站的任务在这里无法完成（{why}）。"),
            E::UnknownLesson(id) => {
                format!("没有名为“{id}”的课程（`clusterplay lessons` 可列出全部）。")
            }
        }
    }

    /// Why a comparison (a compare link, a compare preset, an action on both sides) was
    /// refused, in this language.
    pub fn compare_error(self, e: &clusterplay_scenario::compare::CompareError) -> String {
        use clusterplay_scenario::compare::CompareError as E;
        match (self, e) {
            (_, E::Link(e)) => self.scenario_error(e),
            (_, E::Side { side, label, error }) => self.side_error(*side, label, error),
            (Lang::En, e) => e.to_string(),
            (Lang::Zh, E::NoComparison) => "链接里没有对比（应当形如 #c=…）。".to_owned(),
            (Lang::Zh, E::NotJson(detail)) => format!("对比无法读取（解析器的说明：{detail}）。"),
            (Lang::Zh, E::UnknownVersion(v)) => format!(
                "这个对比的格式版本是 {v}，而本演示场只能读取版本 {}。",
                clusterplay_scenario::compare::VERSION
            ),
            (Lang::Zh, E::Families { left, right }) => format!(
                "两侧的算法属于不同的类别（{left} 和 {right}）；对比只能并排放同一类别的两种算法，\
                 或同一种算法的两组参数。"
            ),
            (Lang::Zh, E::Lengths { left, right }) => format!(
                "两侧的运行时长不同（{left} 毫秒和 {right} 毫秒）；两侧共用一个时钟，\
                 until_ms 必须相同。"
            ),
            (Lang::Zh, E::UnknownPreset(id)) => {
                format!("没有名为“{id}”的对比（`clusterplay compares` 可列出全部）。")
            }
        }
    }

    /// A scenario error of one side of a comparison, the side named first.
    pub fn side_error(
        self,
        side: clusterplay_scenario::compare::Which,
        label: &str,
        e: &clusterplay_scenario::ScenarioError,
    ) -> String {
        match self {
            Lang::En => format!("the {side} side ({label}): {}", self.scenario_error(e)),
            Lang::Zh => format!("{}（{label}）：{}", side.text().zh, self.scenario_error(e)),
        }
    }

    /// A preset's title as the picker lists it, marked when it goes beyond the course texts.
    pub fn preset_title(
        self,
        title: &clusterplay_scenario::presets::Words,
        beyond: bool,
    ) -> String {
        let title = title.get(self.key());
        match (beyond, self) {
            (false, _) => title.to_owned(),
            (true, Lang::En) => format!("{title} ({})", self.t(W::BeyondText)),
            (true, Lang::Zh) => format!("{title}（{}）", self.t(W::BeyondText)),
        }
    }

    pub fn nodes(self, n: u32) -> String {
        match self {
            Lang::En if n == 1 => "1 node".to_owned(),
            Lang::En => format!("{n} nodes"),
            Lang::Zh => format!("{n} 个节点"),
        }
    }

    /// A family key's heading, from the scenario crate's registry; an unknown family shows
    /// its key.
    pub fn family(self, key: &str) -> String {
        crate::catalogue::catalogue().family_name(key, self.key())
    }
}

/// Every word of the page's own interface. `Lang::t` gives it in either language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum W {
    Play,
    Pause,
    Step,
    StepForwardHint,
    StepBack,
    StepBackHint,
    PlayHint,
    Reset,
    ResetHint,
    NewSeed,
    NewSeedHint,
    Speed,
    Clock,
    Timeline,
    Controls,
    CopyLink,
    CopyEmbed,
    Copied,
    CopyByHand,
    OpenInPlayground,
    Inspector,
    InspectorEmpty,
    Node,
    Message,
    Crash,
    Recover,
    WantCoffee,
    Timers,
    ReplicatedLog,
    Params,
    ParamsHelp,
    ParamsNotJson,
    Apply,
    PauseProcess,
    PauseHelp,
    ClockAhead,
    ClockBack,
    Paused,
    LocalClock,
    Chain,
    Height,
    OffChain,
    Steps,
    Replay,
    States,
    Depth,
    Exhausted,
    NotExhausted,
    NoViolationFound,
    BlockedStates,
    Explore,
    ExploreHelp,
    AllowCrash,
    AllowPartition,
    AllowLoss,
    AllowDuplicate,
    KeepScriptedFaults,
    Cancel,
    FindFailure,
    HistoryTitle,
    HistoryHelp,
    HistoryExamples,
    HistoryThisRun,
    HistoryPlaceholder,
    HistoryCheck,
    HistoryChecking,
    HistoryUpload,
    HistoryLink,
    HistoryUndecided,
    HistoryExplained,
    ModelStrong,
    ModelSequential,
    ModelEventual,
    HistoryOperations,
    HistoryClients,
    HistoryIndeterminate,
    HistoryClient,
    HistoryClientShort,
    ExploreStarting,
    ExploreStopping,
    ExploreCancelled,
    ExploreFailed,
    StatesPerSecond,
    ViolationsFound,
    NoViolationFoundYet,
    HoldsLocks,
    Term,
    Committed,
    Uncommitted,
    Drop,
    Delay20,
    DeliverNow,
    Duplicate,
    From,
    To,
    Sent,
    Due,
    Fate,
    InFlight,
    Delivered,
    Lost,
    Up,
    Down,
    State,
    Role,
    SelectForCut,
    Partition,
    PartitionHint,
    PartitionHintTouch,
    Close,
    CutOffSelected,
    Heal,
    ClearSelection,
    Metrics,
    MessagesTotal,
    ByType,
    CsOrder,
    MessagesPerEntry,
    Formula,
    ShowOnDiagram,
    Nobody,
    Violations,
    NoViolations,
    Jump,
    Log,
    LogEmpty,
    Legend,
    Scenario,
    HowItWorks,
    BeyondText,
    Dismiss,
    LinkError,
    ShowingDefault,
    KeptCurrent,
    ActionRefused,
    RunFull,
    PressPlay,
    QuietSkip,
    CrowdedBubbles,
    HowItGetsThere,
    HeldWaits,
    AllPresets,
    /// On a phone the caption shows its first lines until asked for the rest.
    WholeCaption,
    Lessons,
    LessonStop,
    LessonDone,
    LessonPlayOn,
    LessonLost,
    LessonRestart,
    LessonScore,
    LessonRight,
    LessonWrong,
    LessonYourTurn,
    LessonNext,
    LessonFinish,
    LessonExit,
    LessonBest,
    LessonStops,
    LessonStart,
    LessonDoIt,
    LessonBack,
    ShorterCaption,
    Open,
    Modified,
    Seed,
    Share,
    EventsSoFar,
    RunEnded,
    ClusterLabel,
    Island,
    BadgeCup,
    BadgeCrown,
    BadgeToken,
    BadgeGlobalToken,
    SpaceTime,
    Zoom,
    ZoomIn,
    ZoomOut,
    DiagramClipped,
    WholeRun,
    ZoomAuto,
    NotANumber,
    Settings,
    NodeCount,
    LatencyMin,
    LatencyMax,
    LossPct,
    DuplicatePct,
    HandDelivery,
    Chaos,
    ChaosRate,
    ChaosClocks,
    SettingsRefused,
    SettingsHint,
    Deliver,
    YouAreTheNetwork,
    NothingHeld,
    CutLinkTo,
    CutLink,
    Restore,
    CutLinks,
    Event,
    SentMessages,
    Held,
    Time,
    BreakARule,
    BreakARuleHelp,
    FoundByWalk,
    ThenWalks,
    Walking,
    Compare,
    CompareFigure,
    CompareDiffers,
    OpenAlone,
    Yes,
    No,
    NoneYet,
    CompareSides,
}

impl W {
    /// English and Simplified Chinese.
    pub fn pair(self) -> (&'static str, &'static str) {
        match self {
            W::Play => ("Play", "播放"),
            W::Pause => ("Pause", "暂停"),
            W::Step => ("Step", "单步"),
            W::StepForwardHint => ("One event forward (→)", "前进一个事件（→）"),
            W::StepBack => ("Step back", "后退"),
            W::StepBackHint => ("One event back (←)", "后退一个事件（←）"),
            W::PlayHint => ("Play or pause (space)", "播放或暂停（空格）"),
            W::Reset => ("Reset", "重来"),
            W::ResetHint => (
                "Run the scenario again from the start",
                "从头再运行这个场景",
            ),
            W::NewSeed => ("New seed", "换个随机种子"),
            W::NewSeedHint => (
                "Same scenario, new random choices",
                "同一场景，换一组随机选择",
            ),
            W::Speed => ("Speed", "速度"),
            W::Clock => ("Virtual time", "虚拟时间"),
            W::Timeline => ("Timeline", "时间轴"),
            W::Controls => ("Controls", "控制"),
            W::CopyLink => ("Copy link", "复制链接"),
            W::CopyEmbed => ("Copy embed code", "复制嵌入代码"),
            W::Copied => ("Copied to the clipboard.", "已复制到剪贴板。"),
            W::CopyByHand => ("Copy this by hand:", "请手动复制："),
            W::OpenInPlayground => ("Open in the playground", "在演练场中打开"),
            W::Inspector => ("Inspector", "检查器"),
            W::InspectorEmpty => (
                "Click a node or a message to see its state and act on it.",
                "点击节点或消息，查看状态并进行操作。",
            ),
            W::Node => ("Node", "节点"),
            W::Message => ("Message", "消息"),
            W::Crash => ("Crash", "使其崩溃"),
            W::Recover => ("Recover", "恢复"),
            W::WantCoffee => ("Want the coffee machine", "想用咖啡机"),
            W::Timers => ("Timers", "计时器"),
            W::ReplicatedLog => ("Log", "日志"),
            W::Params => ("Algorithm parameters", "算法参数"),
            W::ParamsHelp => ("The algorithm's own settings as JSON (leave out a key for its default). Apply makes them part of the scenario and its link.", "算法自身的参数，JSON 格式（省略的键取默认值）。应用后它们成为场景及其链接的一部分。"),
            W::ParamsNotJson => ("the parameters are not a JSON object", "参数不是一个 JSON 对象"),
            W::Apply => ("Apply", "应用"),
            W::PauseProcess => ("Pause 200 ms", "暂停 200 毫秒"),
            W::PauseHelp => ("The process stops handling anything, then resumes as if no time had passed", "进程停止处理任何事情，之后恢复，仿佛时间没有流逝"),
            W::ClockAhead => ("Clock +100 ms", "时钟 +100 毫秒"),
            W::ClockBack => ("Clock −100 ms", "时钟 −100 毫秒"),
            W::Paused => ("Paused", "已暂停"),
            W::LocalClock => ("Local clock", "本地时钟"),
            W::Chain => ("Chain", "区块链"),
            W::Height => ("height", "高度"),
            W::OffChain => ("off its chain (forks)", "不在其链上（分叉）"),
            W::Steps => ("steps", "步"),
            W::Replay => ("Replay", "重放"),
            W::States => ("states", "个状态"),
            W::Depth => ("depth", "深度"),
            W::Exhausted => ("every reachable state explored", "已穷尽所有可达状态"),
            W::NotExhausted => ("stopped by a bound: not every state was explored", "受限停止：并未穷尽所有状态"),
            W::NoViolationFound => ("No invariant can be broken with these faults.", "在这些故障下，没有任何不变量会被破坏。"),
            W::BlockedStates => ("states where nodes wait and only a fault could help; the nearest", "个状态中节点在等待，只有故障才能改变局面；最近的一个"),
            W::Explore => ("Find me a failure", "帮我找出故障"),
            W::ExploreHelp => ("Tries every order in which messages, timers and the allowed faults could happen (at most one of each fault), and shows the shortest run that breaks an invariant; where there are too many orders to try them all, it then takes random walks through them, which reach deeper failures, and shortens what it finds.", "尝试消息、计时器和所允许故障的所有可能发生顺序（每种故障至多一次），并给出破坏不变量的最短过程；顺序多到无法全部尝试时，再在其中随机游走，以找到更深处的故障，并把找到的过程缩短。"),
            W::AllowCrash => ("a crash", "一次节点故障"),
            W::AllowPartition => ("a partition", "一次网络分区"),
            W::AllowLoss => ("a lost message", "一条消息丢失"),
            W::AllowDuplicate => ("a duplicated message", "一条消息重复"),
            W::KeepScriptedFaults => ("keep the timeline's own faults", "保留时间线中已有的故障"),
            W::Cancel => ("Cancel", "取消"),
            W::FindFailure => ("Explore", "开始探索"),
            W::HistoryTitle => ("Check a history", "检查一段历史"),
            W::HistoryHelp => ("Paste or upload a history of one register — Jepsen's log lines (:invoke, :ok, :fail, :info of :read, :write, :cas) or JSON as clusterplay run prints it — pick an example, or take this run's. Each operation is a bar from its invocation to its answer; the dots are one order that explains the longest prefix that can be explained.", "粘贴或上传一个寄存器上的操作历史——Jepsen 的日志行（:read、:write、:cas 的 :invoke、:ok、:fail、:info），或 clusterplay run 输出的 JSON——也可以选一个示例，或者取当前这次运行的历史。每个操作是一根从调用到答复的时间条；圆点连成的是一种能解释最长可解释前缀的顺序。"),
            W::HistoryExamples => ("Examples…", "示例…"),
            W::HistoryThisRun => ("This run's history", "当前运行的历史"),
            W::HistoryPlaceholder => ("INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1", "INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1"),
            W::HistoryCheck => ("Check", "检查"),
            W::HistoryChecking => ("Checking in the background; the page stays yours", "正在后台检查，页面照常可用"),
            W::HistoryUpload => ("Upload a file…", "上传文件…"),
            W::HistoryLink => ("Link to this history", "这段历史的链接"),
            W::HistoryUndecided => ("The search stopped at its bound: too many operations overlap to decide.", "搜索达到上限而停止：重叠的操作太多，无法判定。"),
            W::HistoryExplained => ("One order of all operations, each at an instant inside its bar, explains every answer.", "存在一种全部操作的顺序，每个操作落在自己时间条内的某一时刻，能解释每一个答复。"),
            W::ModelStrong => ("strong consistency (linearizable)", "强一致性（线性一致）"),
            W::ModelSequential => ("sequential consistency", "顺序一致性"),
            W::ModelEventual => ("reads settle (eventual consistency)", "读取收敛（最终一致性）"),
            W::HistoryOperations => ("operations", "个操作"),
            W::HistoryClients => ("clients", "个客户端"),
            W::HistoryIndeterminate => ("without an answer", "个没有答复"),
            W::HistoryClient => ("client", "客户端"),
            W::HistoryClientShort => ("c", "客户端"),
            W::ExploreStarting => ("Starting the explorer…", "正在启动探索器……"),
            W::ExploreStopping => ("Stopping after this slice…", "本轮结束后停止……"),
            W::ExploreCancelled => ("cancelled: what was found until then", "已取消：以下是取消前的发现"),
            W::ExploreFailed => ("The explorer could not run", "探索器无法运行"),
            W::StatesPerSecond => ("states/s", "个状态/秒"),
            W::ViolationsFound => ("invariant violations", "处不变式被违反"),
            W::NoViolationFoundYet => ("No invariant is broken in the states explored.", "在已探索的状态中，没有不变式被破坏。"),
            W::HoldsLocks => ("holds locks", "持有锁"),
            W::Term => ("term", "任期"),
            W::Committed => ("committed", "已提交"),
            W::Uncommitted => ("not committed", "未提交"),
            W::Drop => ("Drop", "丢弃"),
            W::Delay20 => ("Delay 20 ms", "延迟 20 毫秒"),
            W::DeliverNow => ("Deliver now", "立即送达"),
            W::Duplicate => ("Duplicate", "复制一份"),
            W::From => ("From", "发送方"),
            W::To => ("To", "接收方"),
            W::Sent => ("Sent at", "发送时间"),
            W::Due => ("Due at", "预计到达"),
            W::Fate => ("Fate", "去向"),
            W::InFlight => ("in flight", "传输中"),
            W::Delivered => ("delivered", "已送达"),
            W::Lost => ("lost", "已丢失"),
            W::Up => ("up", "运行中"),
            W::Down => ("crashed", "已崩溃"),
            W::State => ("Running", "运行情况"),
            W::Role => ("Role", "角色"),
            W::SelectForCut => ("Selected for a partition", "选入分区"),
            W::Partition => ("Partition", "网络分区"),
            W::PartitionHint => (
                "Shift-click nodes (or tick them in the inspector), then cut them off.",
                "按住 Shift 点击节点（或在检查器中勾选），再把它们隔离。",
            ),
            W::PartitionHintTouch => (
                "Tap nodes and tick them in the inspector, then cut them off.",
                "点按节点，在检查器中勾选，再把它们隔离。",
            ),
            W::Close => ("Close", "关闭"),
            W::CutOffSelected => ("Cut off selected", "隔离所选节点"),
            W::Heal => ("Heal", "修复网络"),
            W::ClearSelection => ("Clear selection", "清除选择"),
            W::Metrics => ("Metrics", "指标"),
            W::MessagesTotal => ("Messages sent", "已发送消息"),
            W::ByType => ("By type", "按类型"),
            W::CsOrder => ("Order of entry", "进入顺序"),
            W::MessagesPerEntry => ("Messages per entry", "每次进入的消息数"),
            W::Formula => ("The texts say", "教材公式"),
            W::ShowOnDiagram => (
                "Show the offending operations on the diagram",
                "在时空图上标出冲突的操作",
            ),
            W::Nobody => ("nobody yet", "尚无"),
            W::Violations => ("Invariants", "不变式"),
            W::NoViolations => ("No invariant broken so far.", "目前没有违反任何不变式。"),
            W::Jump => ("Jump there", "跳到该处"),
            W::Log => ("Event log", "事件日志"),
            W::LogEmpty => (
                "Nothing has happened yet. Press Play or Step.",
                "还什么都没发生。请按播放或单步。",
            ),
            W::Legend => ("Roles", "角色"),
            W::Scenario => ("Scenario", "场景"),
            W::HowItWorks => ("How it works", "原理"),
            W::BeyondText => ("beyond the texts", "原文之外"),
            W::Dismiss => ("Dismiss", "关闭"),
            W::LinkError => ("This link could not be opened:", "无法打开这个链接："),
            W::ShowingDefault => (
                "You are looking at the default scenario instead.",
                "现在显示的是默认场景。",
            ),
            W::KeptCurrent => (
                "Your scenario is still here, as it was.",
                "你原来的场景仍在，没有改变。",
            ),
            W::ActionRefused => ("That did not work:", "操作未成功："),
            W::PressPlay => (
                "Press Play (or the space bar) to start.",
                "按“播放”（或空格键）开始。",
            ),
            W::HeldWaits => (
                "A message waits for you: deliver or drop it below. Time stands still meanwhile.",
                "有消息在等你：请在下方投递或丢弃。在此期间时间暂停。",
            ),
            W::HowItGetsThere => ("How it gets there", "怎样走到这一步"),
            W::CrowdedBubbles => ("{n} messages in flight: shown as dots; click one to read it", "{n} 条消息在途，以圆点显示；点击可查看内容"),
            W::QuietSkip => ("nothing in flight: skipping ahead", "暂无消息在途，快进"),
            W::RunFull => (
                "This run has reached 120 000 events, as many as the page keeps in memory, and stops \
                 here. Everything up to here stays: step back, seek, inspect, and share the link, \
                 which replays it exactly. To watch longer, run fewer nodes or less chaos.",
                "本次运行已达到 120 000 个事件，这是页面在内存中最多保留的数量，运行到此为止。\
                 此前的一切都还在：可以后退、拖动时间轴、查看节点，也可以分享链接，链接会原样重放到这里。\
                 想看更久，请减少节点数或降低混沌强度。",
            ),
            W::AllPresets => ("Browse all {n} scenarios", "浏览全部 {n} 个场景"),
            W::WholeCaption => ("Read the whole story", "展开全文"),
            W::BreakARule => ("Break a rule on purpose", "故意破坏一条规则"),
            W::FoundByWalk => (
                "found by a random walk of {n} steps, shortened",
                "由一次 {n} 步的随机游走找到，已缩短",
            ),
            W::ThenWalks => ("then {n} random walks", "随后随机游走 {n} 次"),
            W::Walking => (
                "every state up to the bound searched; random walks {n} of {of}",
                "已搜索到上限内的全部状态；随机游走 {n} / {of}",
            ),
            W::BreakARuleHelp => (
                "Each is a mistake real implementations have made. Switch one on, then \
                 “Find me a failure” to see what the rule is for.",
                "每一条都是真实实现中犯过的错误。打开其中一条，再点“帮我找出故障”，\
                 看看这条规则是为了防止什么。",
            ),
            W::Compare => ("Compare side by side", "并排对比"),
            W::CompareFigure => ("Figure", "指标"),
            W::CompareDiffers => ("differs", "不同"),
            W::OpenAlone => ("Open this side alone", "单独打开这一侧"),
            W::Yes => ("yes", "是"),
            W::No => ("no", "否"),
            W::NoneYet => ("none", "无"),
            W::CompareSides => (
                "Both sides run one scenario on one clock; crashing a node or cutting the network \
                 happens on both, dropping a message on the side you picked it.",
                "两侧运行同一个场景，共用一个时钟；使节点崩溃或切断网络会同时作用于两侧，\
                 丢弃消息只作用于你选中它的那一侧。",
            ),
            W::Lessons => (
                "Lessons: the texts' examples, step by step ({n})",
                "课程：原文的例子，一步一步来（{n} 课）",
            ),
            W::LessonStop => ("Stop {k} of {n}", "第 {k} 站，共 {n} 站"),
            W::LessonDone => ("Finished", "已完成"),
            W::LessonPlayOn => (
                "Play on: the run stops by itself at the next stop.",
                "继续播放：运行会在下一站自动停下。",
            ),
            W::LessonLost => (
                "The next stop ({what}) does not happen in the run you made. Restart the lesson, or carry on exploring this run.",
                "下一站（{what}）在你改变后的这次运行中不会出现。可以重新开始本课，也可以继续探索这次运行。",
            ),
            W::LessonRestart => ("Restart the lesson", "重新开始本课"),
            W::LessonScore => (
                "Lesson finished: {right} of {asked} questions right.",
                "本课完成：{asked} 道题答对 {right} 道。",
            ),
            W::LessonRight => ("Right.", "答对了。"),
            W::LessonWrong => (
                "Not quite. Play on to see it happen.",
                "不对。继续播放，看看实际发生了什么。",
            ),
            W::LessonYourTurn => ("Your turn:", "轮到你了："),
            W::LessonNext => ("Next", "下一步"),
            W::LessonFinish => ("Finish", "完成"),
            W::LessonExit => ("Leave the lesson", "退出课程"),
            W::LessonBest => ("done, {right}/{asked}", "已完成，{right}/{asked}"),
            W::LessonStops => ("{n} stops", "{n} 站"),
            W::LessonStart => ("Start the lesson", "开始学习"),
            W::LessonDoIt => ("Do it for me", "替我执行"),
            W::LessonBack => ("Back", "上一步"),
            W::ShorterCaption => ("Shorter", "收起"),
            W::Open => ("Open", "打开"),
            W::Modified => ("changed", "已修改"),
            W::Seed => ("seed", "种子"),
            W::Share => ("Share", "分享"),
            W::EventsSoFar => ("events", "个事件"),
            W::RunEnded => ("end of the run", "运行结束"),
            W::ClusterLabel => ("The cluster", "集群"),
            W::Island => ("island", "分区"),
            W::BadgeCup => ("has the coffee machine", "正在用咖啡机"),
            W::BadgeCrown => ("acts as leader", "充当主节点"),
            W::BadgeToken => ("holds the token", "持有令牌"),
            W::BadgeGlobalToken => ("holds the global token", "持有全局令牌"),
            W::SpaceTime => ("Space-time diagram", "时空图"),
            W::Zoom => ("Zoom", "缩放"),
            W::ZoomIn => ("Show less time", "显示更短的时间"),
            W::ZoomOut => ("Show more time", "显示更长的时间"),
            W::WholeRun => ("whole run", "全程"),
            W::ZoomAuto => ("Auto", "自动"),
            W::DiagramClipped => ("Only the latest events of this window are drawn.", "此窗口中只画出了最近的事件。"),
            W::NotANumber => ("is not a number", "不是数字"),
            W::Settings => ("Settings", "设置"),
            W::NodeCount => ("Nodes", "节点数"),
            W::LatencyMin => ("Latency min (ms)", "最小延迟（毫秒）"),
            W::LatencyMax => ("Latency max (ms)", "最大延迟（毫秒）"),
            W::LossPct => ("Loss (%)", "丢包率（%）"),
            W::DuplicatePct => ("Duplication (%)", "重复率（%）"),
            W::HandDelivery => ("You are the network: deliver every message by hand", "你就是网络：每条消息都由你亲手投递"),
            W::Chaos => ("Chaos: random faults", "混沌模式：随机故障"),
            W::ChaosRate => ("Faults per second", "每秒故障数"),
            W::ChaosClocks => (
                "Also pause processes and make clocks jump",
                "也让进程暂停、让时钟跳变",
            ),
            W::SettingsRefused => ("Not applied:", "未应用："),
            W::SettingsHint => ("Each change restarts the run from the start of the scenario and becomes part of the link.", "每次修改都会让场景从头重新运行，并写入链接。"),
            W::Deliver => ("Deliver", "投递"),
            W::YouAreTheNetwork => ("You are the network", "你就是网络"),
            W::NothingHeld => ("No message is waiting. Play on until a node sends one.", "没有等待投递的消息。继续播放，直到有节点发送消息。"),
            W::CutLinkTo => ("Cut the link to node", "切断到该节点的链路"),
            W::CutLink => ("Cut", "切断"),
            W::Restore => ("Restore", "恢复"),
            W::CutLinks => ("Cut links", "已切断的链路"),
            W::Event => ("Event", "事件"),
            W::SentMessages => ("Messages sent", "发出的消息"),
            W::Held => ("held by you", "由你扣留"),
            W::Time => ("Time", "时间"),
        }
    }
}

pub fn local_storage() -> Option<web_sys::Storage> {
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
    use clusterplay_scenario::{glossary, load, presets, Preset, Simulation};

    /// Run every preset and hand `look` its simulation at each of `quarters` of its run (0 is
    /// the start, 4 the end), with the quarter.
    fn every_preset_at(quarters: &[u64], mut look: impl FnMut(&Preset, u64, &dyn Simulation)) {
        for p in presets() {
            let mut sim = load(&p.scenario).expect("a preset loads");
            let end = clusterplay_sim::ms(p.scenario.until_ms as u64);
            for quarter in quarters {
                sim.run_until(end * quarter / 4, 1_000_000);
                look(p, *quarter, sim.as_ref());
            }
        }
    }

    /// Issue 17: in Chinese, the inspector's command buttons read as Chinese words, for every
    /// command a node of a preset offers at its start or at its end.
    #[test]
    fn every_command_reads_in_chinese() {
        let mut missing = std::collections::BTreeSet::new();
        every_preset_at(&[0, 4], |p, _, sim| {
            for node in sim.cluster().nodes {
                for command in &node.commands {
                    let words = Lang::Zh.command(command);
                    for w in glossary::untranslated(&words) {
                        missing.insert(format!("{}: {w} ({command})", p.scenario.protocol));
                    }
                }
            }
        });
        assert!(missing.is_empty(), "{missing:#?}");
    }

    /// Issue 17: in Chinese, what flies and what ticks reads as Chinese: every message's label
    /// and kind in every preset's run, and every timer a node has at its start, middle or end.
    #[test]
    fn every_message_and_timer_reads_in_chinese() {
        let mut missing = std::collections::BTreeSet::new();
        every_preset_at(&[0, 1, 2, 4], |p, quarter, sim| {
            for node in sim.cluster().nodes {
                for timer in &node.timers {
                    for w in glossary::untranslated(&glossary::phrase(&timer.name, "zh")) {
                        missing.insert(format!(
                            "{}: timer {w} ({})",
                            p.scenario.protocol, timer.name
                        ));
                    }
                }
            }
            if quarter < 4 {
                return;
            }
            for m in sim.messages_since(0) {
                for text in [m.label.as_str(), m.kind] {
                    for w in glossary::untranslated(&glossary::phrase(text, "zh")) {
                        missing.insert(format!("{}: message {w} ({text})", p.scenario.protocol));
                    }
                }
            }
        });
        assert!(
            missing.is_empty(),
            "{} missing: {missing:#?}",
            missing.len()
        );
    }

    /// Issue 17: no two rows of a node's inspector carry the same name in Chinese (the row
    /// that says whether the node runs included).
    #[test]
    fn inspector_rows_have_distinct_chinese_names() {
        let mut twins = std::collections::BTreeSet::new();
        every_preset_at(&[0, 4], |p, _, sim| {
            for node in sim.cluster().nodes {
                let mut seen = std::collections::BTreeMap::new();
                seen.insert(Lang::Zh.t(super::W::State), "(running)");
                for (k, _) in &node.fields {
                    if let Some(other) = seen.insert(glossary::field(k, "zh"), *k) {
                        if other != *k {
                            twins.insert(format!("{}: {other} / {k}", p.scenario.protocol));
                        }
                    }
                }
            }
        });
        assert!(twins.is_empty(), "{twins:#?}");
    }

    /// Issue 18: the picker marks what goes beyond the course texts, in both languages.
    #[test]
    fn presets_beyond_the_texts_are_marked() {
        let figure_8 = clusterplay_scenario::preset("raft-figure-8").expect("preset");
        assert!(figure_8.beyond_text);
        assert!(Lang::En
            .preset_title(&figure_8.title, figure_8.beyond_text)
            .ends_with("(beyond the texts)"));
        assert!(Lang::Zh
            .preset_title(&figure_8.title, figure_8.beyond_text)
            .ends_with("（原文之外）"));
        let seed = clusterplay_scenario::preset("mutex-ra-seed").expect("preset");
        assert_eq!(
            Lang::En.preset_title(&seed.title, seed.beyond_text),
            seed.title.en
        );
    }

    /// A refused parameter reads in Chinese on the Chinese page, its path as written.
    #[test]
    fn refused_parameters_read_in_chinese() {
        let mut s = clusterplay_scenario::Scenario::new("mutex-two-layer", 6);
        s.params.insert("groups".into(), 7.into());
        let Err(e) = load(&s) else {
            panic!("7 rings of 6 nodes were accepted")
        };
        assert_eq!(
            Lang::En.scenario_error(&e),
            "params.groups is 7; 6 nodes make 1 to 3 local rings of at least two"
        );
        assert_eq!(
            Lang::Zh.scenario_error(&e),
            "params.groups 为 7；6 个节点只能组成 1 到 3 个本地环，每个环至少两个节点。"
        );
    }

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
