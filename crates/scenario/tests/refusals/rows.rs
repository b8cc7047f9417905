//! Hostile scenarios, one or more for every way a scenario or an algorithm's parameters are
//! refused, each with the English the refusal reads as.

use clusterplay_scenario::model::VERSION;
use clusterplay_scenario::{load, Act, Scenario, ScenarioError};
use serde_json::{json, Value};

pub struct Row {
    pub name: String,
    pub refused: Result<(), ScenarioError>,
    pub en: English,
}

/// What the refusal reads as in English.
pub enum English {
    Is(&'static str),
    /// serde's messages go on to list what it expected, which differs by algorithm.
    StartsWith(&'static str),
}

fn row(name: &str, refused: Result<(), ScenarioError>, en: &'static str) -> Row {
    Row {
        name: name.to_owned(),
        refused,
        en: English::Is(en),
    }
}

/// `fields` (`protocol`, `nodes`, …) as a scenario of this version.
fn scenario(mut fields: Value) -> Scenario {
    fields["v"] = VERSION.into();
    serde_json::from_value(fields).expect("a scenario the model reads")
}

fn loaded(s: &Scenario) -> Result<(), ScenarioError> {
    load(s).map(|_| ())
}

fn with_params(protocol: &str, nodes: u32, params: Value) -> Result<(), ScenarioError> {
    loaded(&scenario(
        json!({ "protocol": protocol, "nodes": nodes, "params": params }),
    ))
}

fn on_three(protocol: &str, params: Value) -> Result<(), ScenarioError> {
    with_params(protocol, 3, params)
}

fn names(longest: usize) -> Value {
    json!(["a", "b".repeat(longest)])
}

/// Parameters each algorithm refuses, with the English of each refusal.
pub fn parameter_rows() -> Vec<Row> {
    vec![
        row(
            "a parameter of the wrong type",
            on_three("mutex-token-ring", json!({ "use_ms": "long" })),
            "params invalid type: string \"long\", expected f64",
        ),
        row(
            "a negative span",
            on_three("mutex-ra", json!({ "use_ms": -5 })),
            "params.use_ms is -5 ms; it cannot be negative",
        ),
        row(
            "an absurdly long span",
            on_three("mutex-ra", json!({ "use_ms": 1e300 })),
            "params.use_ms is 1e300 ms; at most 60000 ms is allowed",
        ),
        row(
            "a span of 0 ms",
            on_three("zab", json!({ "heartbeat_ms": 0 })),
            "params.heartbeat_ms must be above 0 ms",
        ),
        row(
            "more start clocks than nodes",
            on_three("mutex-ra", json!({ "start_clocks": [1, 2, 3, 4] })),
            "params.start_clocks has 4 clocks for 3 nodes",
        ),
        row(
            "a start clock beyond 32 bits",
            on_three("mutex-ra", json!({ "start_clocks": [5_000_000_000u64] })),
            "params.start_clocks holds a clock beyond 4294967295",
        ),
        row(
            "a coordinator outside the cluster",
            on_three("mutex-central", json!({ "coordinator": 9 })),
            "params.coordinator is node 9, but the cluster has 3 nodes",
        ),
        row(
            "more local rings than pairs of nodes",
            with_params("mutex-two-layer", 6, json!({ "groups": 7 })),
            "params.groups is 7; 6 nodes make 1 to 3 local rings of at least two",
        ),
        row(
            "an election timeout starting at 0",
            on_three("raft", json!({ "election_timeout_ms": [0, 10] })),
            "params.election_timeout_ms must be a range [min, max] with 0 < min ≤ max",
        ),
        row(
            "a Raft heartbeat of 0 ms",
            on_three("raft-log", json!({ "heartbeat_ms": 0 })),
            "params.heartbeat_ms must be above 0",
        ),
        row(
            "more data ids than nodes",
            on_three("zab", json!({ "data_ids": [1, 2, 3, 4] })),
            "params.data_ids has 4 data ids for 3 nodes",
        ),
        row(
            "more bully ids than nodes",
            on_three("bully", json!({ "ids": [1, 2, 3, 4] })),
            "params.ids has 4 ids for 3 nodes",
        ),
        row(
            "a bully timeout of 0 ms",
            on_three("bully", json!({ "answer_timeout_ms": 0 })),
            "params timeouts must be above 0 ms",
        ),
        row(
            "more paxos names than nodes",
            on_three("paxos", json!({ "names": ["a", "b", "c", "d"] })),
            "params.names has 4 names for 3 nodes",
        ),
        row(
            "a paxos name too long to draw",
            on_three("paxos", json!({ "names": names(13) })),
            "params.names holds \"bbbbbbbbbbbb…\"; a name has at most 12 characters",
        ),
        row(
            "an acceptor outside the cluster",
            on_three("paxos", json!({ "acceptors": [1, 9] })),
            "params.acceptors[1] names node 9, but the cluster has 3 nodes",
        ),
        row(
            "an acceptor listed twice",
            on_three("paxos", json!({ "acceptors": [1, 2, 1] })),
            "params.acceptors lists node 1 twice",
        ),
        row(
            "no acceptors",
            on_three("paxos", json!({ "acceptors": [] })),
            "params.acceptors is empty; Paxos needs at least one acceptor",
        ),
        row(
            "a stride of 1",
            on_three("paxos", json!({ "stride": 1 })),
            "params.stride is 1; it must be 2 to 1000000000",
        ),
        row(
            "no proposers",
            on_three("paxos", json!({ "proposers": [] })),
            "params.proposers is empty; somebody has to propose",
        ),
        row(
            "a proposal number of 0",
            on_three(
                "paxos",
                json!({ "proposers": [{ "node": 1, "value": 5, "n": 0 }] }),
            ),
            "params.proposers[0].n is 0; a proposal number is 1 to 1000000000",
        ),
        row(
            "one node proposing twice",
            on_three(
                "paxos",
                json!({ "proposers": [
                    { "node": 1, "value": 5, "n": 1 },
                    { "node": 1, "value": 6, "n": 2 }
                ] }),
            ),
            "params.proposers[1] makes node 1 a proposer twice",
        ),
        row(
            "proposal numbers that could collide",
            on_three(
                "paxos",
                json!({ "stride": 10, "proposers": [
                    { "node": 1, "value": 5, "n": 1 },
                    { "node": 2, "value": 6, "n": 11 }
                ] }),
            ),
            "params.proposers[1].n is 11, which leaves the same remainder modulo the stride 10 as node 1's 1: their proposal numbers could collide",
        ),
        row(
            "a backoff range reversed",
            on_three("paxos", json!({ "backoff_ms": [10, 5] })),
            "params.backoff_ms must be a range [min, max] with 0 ≤ min ≤ max and max above 0",
        ),
        row(
            "a leader outside the cluster",
            on_three("multi-paxos", json!({ "leader": 9 })),
            "params.leader names node 9, but the cluster has 3 nodes",
        ),
        row(
            "a leader timeout starting at 0",
            on_three("multi-paxos", json!({ "leader_timeout_ms": [0, 10] })),
            "params.leader_timeout_ms must start above 0 ms",
        ),
        row(
            "more votes than participants",
            on_three("2pc", json!({ "votes": ["yes", "yes", "yes"] })),
            "params.votes has 3 entries, but 3 nodes have 2 participants (node 1 coordinates)",
        ),
        row(
            "a participant name too long to draw",
            on_three("3pc", json!({ "names": names(25) })),
            "params.names holds \"bbbbbbbbbbbbbbbbbbbbbbbb…\"; a name has at most 24 characters",
        ),
        row(
            "an absurd amount to reserve",
            on_three("tcc", json!({ "amounts": [2_000_000_000u64] })),
            "params.amounts holds a value above 1000000000",
        ),
        row(
            "as many saga names as nodes",
            on_three("saga", json!({ "names": ["a", "b", "c"] })),
            "params.names has 3 names for 2 participants",
        ),
        row(
            "the saga's coordinator made to fail",
            on_three("saga", json!({ "fails": 1 })),
            "params.fails is node 1; the participants are nodes 2 to 3",
        ),
        row(
            "a shop without a warehouse",
            on_three("mq", json!({})),
            "nodes is 3; the shop has exactly 4 systems: order (1), message queue (2), payment (3), warehouse (4)",
        ),
        row(
            "an absurd balance",
            with_params("mq-local-table", 4, json!({ "balance": 2_000_000_000u64 })),
            "params.balance is 2000000000; at most 1000000000",
        ),
        row(
            "an unknown way to handle a lost acknowledgement",
            with_params("mq", 4, json!({ "lost_ack": "shrug" })),
            "params.lost_ack is \"shrug\"; it is \"redeliver\" (deliver again) or \"roll-back\" (the text's way)",
        ),
        row(
            "a lock service with no room for a client",
            with_params("redis-lock", 2, json!({})),
            "nodes is 2; node 1 is the resource, nodes 2 to 2 the lock service, and at least one client must follow",
        ),
        row(
            "a lock row both inserted and selected for update",
            with_params(
                "db-lock",
                5,
                json!({ "mode": "insert", "for_update": true }),
            ),
            "params.for_update is true but params.mode is \"insert\"; give only \"mode\": \"for-update\"",
        ),
        row(
            "a connection timeout too short for keep-alives",
            with_params("db-lock", 5, json!({ "connection_timeout_ms": 0.002 })),
            "params.connection_timeout_ms must be at least 0.003 ms (keep-alives go every third of it)",
        ),
        row(
            "more RedLock instances than the nodes hold",
            with_params("redlock", 5, json!({ "instances": 9 })),
            "params.instances is 9; 5 nodes leave room for 1 to 3 instances besides the resource and a client",
        ),
        row(
            "a lock time to live too short",
            with_params("redis-lock", 5, json!({ "ttl_ms": 0.002 })),
            "params.ttl_ms must be at least 0.003 ms",
        ),
        row(
            "a ZooKeeper session timeout too short",
            with_params("zk-lock", 5, json!({ "session_timeout_ms": 0.002 })),
            "params.session_timeout_ms must be at least 0.003 ms",
        ),
        row(
            "no delegates",
            on_three("dpos", json!({ "delegates": 0 })),
            "params.delegates is 0; it must be 1 to 3 (the nodes)",
        ),
        row(
            "more votes than holders",
            on_three("dpos", json!({ "votes": [1, 1, 1, 1] })),
            "params.votes has 4 votes for 3 holders",
        ),
        row(
            "a vote for a node outside the cluster",
            on_three("dpos", json!({ "votes": [9] })),
            "params.votes[0] names node 9, but the cluster has 3 nodes",
        ),
        row(
            "a negative reward",
            on_three("dpos", json!({ "reward": -1 })),
            "params.reward must be 0 to 1000000 coins",
        ),
        row(
            "a reward in thousandths of a coin",
            on_three("pow", json!({ "reward": 0.001 })),
            "params.reward has more than two decimals; amounts are in hundredths of a coin",
        ),
        row(
            "more genesis coins than nodes",
            on_three("pos", json!({ "coins": [1, 1, 1, 1] })),
            "params.coins has 4 entries for 3 nodes",
        ),
        row(
            "a server name too long to draw",
            on_three("pow", json!({ "names": names(13) })),
            "params.names holds \"bbbbbbbbbbbb…\"; a name has at most 12 characters",
        ),
        row(
            "k of 0",
            on_three("pow", json!({ "k": 0 })),
            "params.k is 0; it must be 1 to 1000",
        ),
        row(
            "blocks of no transactions",
            on_three("dpos", json!({ "max_txs": 0 })),
            "params.max_txs is 0; it must be 1 to 100",
        ),
        row(
            "an absurd hash power",
            on_three("pow", json!({ "hash_power": [1, 2_000_000_000u64] })),
            "params.hash_power holds 2000000000; hash power is 0 to 1000000000 attempts per ms",
        ),
        row(
            "a difficulty of 0",
            on_three("pow", json!({ "difficulty": 0 })),
            "params.difficulty is 0; it must be 1 to 1000000000 attempts",
        ),
        row(
            "an attacker robbing itself",
            on_three(
                "pow",
                json!({ "attack": { "node": 2, "at_ms": 10, "victim": 2, "amount": 1 } }),
            ),
            "params.attack.victim is the attacker itself",
        ),
        row(
            "a day too short",
            on_three("pos", json!({ "day_ms": 0.005 })),
            "params.day_ms must be at least 0.01 ms",
        ),
        row(
            "a target of 0 coin-days",
            on_three("pos", json!({ "target_coin_days": 0 })),
            "params.target_coin_days must be above 0",
        ),
        row(
            "an absurd minimum coin age",
            on_three("pos", json!({ "min_age_days": 2_000_000 })),
            "params.min_age_days must be at most 1000000 days",
        ),
        row(
            "a maximum coin age of 0 days",
            on_three("pos", json!({ "max_age_days": 0 })),
            "params.max_age_days must be at least 1 day",
        ),
        row(
            "a read quorum larger than the replicas",
            with_params("quorum", 5, json!({ "r": 4 })),
            "params.r is 4; with N = 3 replicas a quorum has 1 to 3",
        ),
        row(
            "more quorum levels than clients",
            with_params("quorum", 5, json!({ "levels": [[1, 1], [1, 1], [1, 1]] })),
            "params.levels has 3 entries for 2 clients",
        ),
        row(
            "replicas leaving no client",
            on_three("quorum", json!({ "servers": 3 })),
            "params.servers is 3; 3 nodes hold 1 to 2 replicas and leave at least one client",
        ),
        row(
            "a primary asked to run quorums",
            on_three("primary-backup", json!({ "mode": "quorum" })),
            "params.mode is \"quorum\"; the leaderless variant is the protocol \"quorum\"",
        ),
        row(
            "a primary without a backup",
            on_three("primary-backup", json!({ "servers": 1 })),
            "params.servers is 1; a primary needs at least one backup",
        ),
        row(
            "an absurd workload",
            with_params(
                "primary-backup",
                5,
                json!({ "workload": { "ops": 20_000, "every_ms": [1, 2] } }),
            ),
            "params.workload.ops is 20000; at most 10000 operations per client",
        ),
        row(
            "a workload's pauses reversed",
            with_params(
                "quorum",
                5,
                json!({ "workload": { "ops": 2, "every_ms": [10, 5] } }),
            ),
            "params.workload.every_ms must be a range [min, max] with min ≤ max",
        ),
        row(
            "no id generators",
            on_three("snowflake", json!({ "generators": 0 })),
            "params.generators is 0; 3 nodes hold 1 to 2 generators and leave at least one client",
        ),
        row(
            "more machine ids than generators",
            on_three("snowflake", json!({ "machines": [[1, 1], [1, 2]] })),
            "params.machines has 2 entries for 1 generators",
        ),
        row(
            "a worker id beyond 5 bits",
            on_three("snowflake", json!({ "machines": [[1, 32]] })),
            "params.machines holds an id above 31: datacenter and worker ids have 5 bits",
        ),
        row(
            "an auto-increment step of 0",
            on_three("auto-increment", json!({ "step": 0 })),
            "params the step must be 1 to 1000000000, and offsets at most 1000000000",
        ),
        row(
            "snapshots every 0 ms",
            on_three("redis-incr", json!({ "snapshot_ms": 0 })),
            "params snapshot_ms must be above 0, and every_ms a range [min, max] with 0 < min ≤ max",
        ),
    ]
}

/// Every algorithm of the catalogue reads its parameters through serde and refuses a key it
/// does not know; serde's English names what it expected.
pub fn unknown_parameter_rows() -> Vec<Row> {
    clusterplay_scenario::algorithms()
        .iter()
        .map(|a| Row {
            name: format!("an unknown parameter of {}", a.id),
            refused: with_params(a.id, 4, json!({ "warp_factor": 9 })),
            en: English::StartsWith("params unknown field `warp_factor`"),
        })
        .collect()
}

/// What the scenario itself gets wrong, whatever its algorithm.
pub fn scenario_rows() -> Vec<Row> {
    let base = || json!({ "protocol": "mutex-ra", "nodes": 3 });
    let with = |extra: Value| {
        let mut s = base();
        for (k, v) in extra.as_object().expect("fields") {
            s[k] = v.clone();
        }
        loaded(&scenario(s))
    };
    let mut not_a_number = scenario(base());
    not_a_number.until_ms = f64::NAN;
    let heals = vec![json!({ "at_ms": 1, "do": "heal" }); 10_001];
    let schedule = vec![0; 100_001];
    vec![
        row(
            "a cluster of one node",
            with(json!({ "nodes": 1 })),
            "nodes is 1; a cluster has 2 to 101 nodes",
        ),
        row(
            "a cluster of 500 nodes",
            with(json!({ "nodes": 500 })),
            "nodes is 500; a cluster has 2 to 101 nodes",
        ),
        row(
            "a duration that is not a number",
            loaded(&not_a_number),
            "until_ms must be a number",
        ),
        row(
            "a latency range reversed",
            with(json!({ "network": { "latency_ms": [10, 5] } })),
            "network.latency_ms [10, 5]: the minimum is above the maximum",
        ),
        row(
            "a latency faster than a message can go",
            with(json!({ "network": { "latency_ms": [0.001, 5] } })),
            "network.latency_ms starts at 0.001 ms; a message takes at least 0.01 ms",
        ),
        row(
            "a link naming a missing node",
            with(json!({ "network": { "links": [{ "from": 1, "to": 9, "latency_ms": [1, 2] }] } })),
            "network.links[0] names node 9, but the cluster has 3 nodes",
        ),
        row(
            "a loss probability above 1",
            with(json!({ "network": { "loss": 1.5 } })),
            "network.loss is 1.5; a probability is between 0 and 1",
        ),
        row(
            "a negative duplication probability",
            with(json!({ "network": { "duplicate": -0.5 } })),
            "network.duplicate is -0.5; a probability is between 0 and 1",
        ),
        row(
            "a negative chaos rate",
            with(json!({ "chaos": { "rate_per_s": -1 } })),
            "chaos.rate_per_s is -1; it must be a number of faults per second, 0 or more",
        ),
        row(
            "an absurd chaos rate",
            with(json!({ "chaos": { "rate_per_s": 5000 } })),
            "chaos.rate_per_s is 5000; at most 1000 faults per second are allowed",
        ),
        row(
            "a timeline too long",
            with(json!({ "timeline": heals })),
            "timeline has 10001 steps; at most 10000 are allowed",
        ),
        row(
            "a crash of a missing node",
            with(json!({ "timeline": [{ "at_ms": 1, "do": "crash", "node": 9 }] })),
            "timeline[0] names node 9, but the cluster has 3 nodes",
        ),
        row(
            "a command the protocol lacks",
            with(json!({ "timeline": [
                { "at_ms": 1, "do": "command", "node": 1, "command": "fly" }
            ] })),
            "timeline[0].command \"fly\" is not a command of mutex-ra",
        ),
        row(
            "more clocks than nodes",
            with(json!({ "clocks": [{}, {}, {}, {}] })),
            "clocks has 4 clocks for 3 nodes",
        ),
        row(
            "a clock drifting absurdly",
            with(json!({ "clocks": [{ "drift_ppm": 1e6 }] })),
            "clocks[0].drift_ppm is 1000000; a clock drifts at most 500000 ppm either way",
        ),
        row(
            "a schedule too long",
            with(json!({ "schedule": schedule })),
            "schedule has 100001 steps; at most 100000 are allowed",
        ),
        row(
            "an action in the past",
            action_in_the_past(),
            "action time 1000 µs is in the past (the run is at 28229 µs)",
        ),
    ]
}

/// The learner acts at a moment the run has already passed.
fn action_in_the_past() -> Result<(), ScenarioError> {
    let seed = clusterplay_scenario::preset("mutex-ra-seed").expect("preset");
    let mut sim = load(&seed.scenario)?;
    sim.run_until(clusterplay_sim::ms(50), 1_000_000);
    sim.act(clusterplay_sim::ms(1), Act::Heal)
}

/// What the explorer refuses: its options as the command line writes them, and scenarios it
/// cannot follow.
#[cfg(feature = "explore")]
pub fn explore_rows() -> Vec<Row> {
    use clusterplay_scenario::explore::{explore, parse_faults, parse_network, ExploreOptions};
    let explored = |s: Scenario, options: ExploreOptions| explore(&s, options).map(|_| ());
    let preset = |id: &str| {
        clusterplay_scenario::preset(id)
            .expect("preset")
            .scenario
            .clone()
    };
    let symmetric = ExploreOptions {
        symmetry: true,
        ..ExploreOptions::default()
    };
    let mut rms_told_apart = preset("2pc-tla-twophase");
    for rm in [2, 3] {
        rms_told_apart.timeline.push(
            serde_json::from_value(json!({ "at_ms": 1, "do": "crash", "node": rm }))
                .expect("a step"),
        );
    }
    let mut dropped = preset("2pc-commit");
    dropped.timeline.push(
        serde_json::from_value(json!({ "at_ms": 1, "do": "drop", "msg": 1 })).expect("a step"),
    );
    vec![
        row(
            "a fault budget that is not a number",
            parse_faults("crash:many").map(|_| ()),
            "faults \"crash:many\": a budget is a whole number, as in crash:1",
        ),
        row(
            "a fault that does not exist",
            parse_faults("loss,meteor").map(|_| ()),
            "faults \"meteor\" is not a fault; choose from loss, dup, crash, partition",
        ),
        row(
            "a network that does not exist",
            parse_network("telepathic").map(|_| ()),
            "network \"telepathic\" is not a network; choose ordered, unordered or unordered-dup",
        ),
        row(
            "an algorithm that reads its clock",
            explored(preset("redlock-majority"), ExploreOptions::default()),
            "protocol \"redlock\" decides by its clock (leases, deadlines, timestamps), which exploration (where time is abstracted away) cannot follow: it would explore another algorithm; play it instead",
        ),
        row(
            "a timeline step naming a message",
            explored(dropped, ExploreOptions::default()),
            "timeline[1] names a message by its number or moves a clock, which exploration (where time is abstracted away) cannot follow: remove it to explore",
        ),
        row(
            "a search of depth 0",
            explored(
                preset("2pc-commit"),
                ExploreOptions {
                    max_depth: 0,
                    ..ExploreOptions::default()
                },
            ),
            "explore the depth and the number of states must be at least 1",
        ),
        row(
            "symmetry where no nodes are interchangeable",
            explored(preset("2pc-commit"), symmetric),
            "2pc has no interchangeable nodes in this scenario, so symmetry reduction could merge states that differ: explore it without symmetry",
        ),
        row(
            "symmetry where the timeline tells every node apart",
            explored(rms_told_apart, symmetric),
            "the timeline tells apart every node 2pc-tla could treat as interchangeable, so symmetry reduction has nothing to merge: explore it without symmetry",
        ),
    ]
}
