//! Symmetry reduction checked against brute force: a lock server (node 1) and interchangeable
//! clients, explored without symmetry; every state found is renamed by every permutation of
//! the clients to count the orbits by hand, and the explorer with symmetry must find exactly
//! one state per orbit. The server's state and the Grant message name clients, so renaming
//! reaches inside states, messages and the partition. A broken server that grants everyone
//! breaks mutual exclusion, which symmetry must still find, on a path the engine replays.

use clusterplay_sim::explore::{
    replay, symmetry_groups, ExploreOptions, Explorer, Faults, Semantics, Snapshot, UNLIMITED,
};
use clusterplay_sim::*;
use std::collections::BTreeSet;

const SERVER: NodeId = NodeId::from_index(0);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Lock {
    /// Grant every request at once, holder or not.
    broken: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum St {
    Server {
        holder: Option<NodeId>,
        queue: Vec<NodeId>,
    },
    Client(Client),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Client {
    Idle,
    Waiting,
    Holding,
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Msg {
    Request,
    Grant { to: NodeId },
    Release,
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Request => "request",
            Msg::Grant { .. } => "grant",
            Msg::Release => "release",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Timer {
    Want,
    Release,
}

impl Protocol for Lock {
    type State = St;
    type Msg = Msg;
    type Timer = Timer;
    type Command = u8;
    type Observation = ();

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> St {
        if id == SERVER {
            return St::Server {
                holder: None,
                queue: Vec::new(),
            };
        }
        out.set_timer(Timer::Want, ms(1), ms(10));
        St::Client(Client::Idle)
    }

    fn on_msg(&self, id: NodeId, s: &mut St, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (s, msg) {
            (St::Server { holder, .. }, Msg::Request) if holder.is_none() || self.broken => {
                *holder = Some(src);
                out.send(src, Msg::Grant { to: src });
            }
            // A repeated request waits once.
            (St::Server { holder, queue }, Msg::Request)
                if *holder != Some(src) && !queue.contains(&src) =>
            {
                queue.push(src)
            }
            (St::Server { holder, queue }, Msg::Release) if *holder == Some(src) => {
                *holder = None;
                if !queue.is_empty() {
                    let next = queue.remove(0);
                    *holder = Some(next);
                    out.send(next, Msg::Grant { to: next });
                }
            }
            (St::Client(c @ Client::Waiting), Msg::Grant { to }) if to == id => {
                *c = Client::Holding;
                out.set_timer(Timer::Release, ms(1), ms(10));
            }
            _ => {}
        }
    }

    fn on_timer(&self, _: NodeId, s: &mut St, timer: Timer, out: &mut Out<Self>) {
        match (s, timer) {
            (St::Client(c @ Client::Idle), Timer::Want) => {
                *c = Client::Waiting;
                out.send(SERVER, Msg::Request);
            }
            (St::Client(c @ Client::Holding), Timer::Release) => {
                *c = Client::Done;
                out.send(SERVER, Msg::Release);
            }
            _ => {}
        }
    }

    fn on_command(&self, _: NodeId, _: &mut St, _: u8, _: &mut Out<Self>) {}

    fn on_crash(&self, _: NodeId, s: &St) -> St {
        s.clone()
    }

    fn on_recover(&self, _: NodeId, s: &mut St, out: &mut Out<Self>) {
        match s {
            St::Client(Client::Idle) => out.set_timer(Timer::Want, ms(1), ms(10)),
            St::Client(Client::Holding) => out.set_timer(Timer::Release, ms(1), ms(10)),
            _ => {}
        }
    }

    fn check(&self, nodes: &[NodeSlot<St>]) -> Vec<Violation> {
        let holders: Vec<NodeId> = nodes
            .iter()
            .filter(|n| n.state == St::Client(Client::Holding))
            .map(|n| n.id)
            .collect();
        if holders.len() < 2 {
            return Vec::new();
        }
        vec![Violation {
            invariant: "mutual-exclusion",
            text: format!("{holders:?} hold the lock"),
            nodes: holders,
        }]
    }

    fn symmetry(&self, nodes: usize) -> Vec<Vec<NodeId>> {
        vec![(1..nodes).map(NodeId::from_index).collect()]
    }

    fn rename_state(&self, s: &St, map: &Permutation) -> St {
        match s {
            St::Server { holder, queue } => St::Server {
                holder: holder.map(|h| map.apply(h)),
                queue: queue.iter().map(|n| map.apply(*n)).collect(),
            },
            client => client.clone(),
        }
    }

    fn rename_msg(&self, msg: &Msg, map: &Permutation) -> Msg {
        match msg {
            Msg::Grant { to } => Msg::Grant { to: map.apply(*to) },
            other => other.clone(),
        }
    }
}

fn explorer(lock: Lock, clients: usize, options: ExploreOptions) -> Explorer<Lock> {
    let mut e = Explorer::new(lock, clients + 1, Vec::new(), options);
    e.run();
    e
}

/// A state in a form that compares equal exactly when the explorer counts two states as one:
/// nodes in order, the network as a multiset (or per link in order, for FIFO links), timers,
/// and which links are blocked.
type Key = (
    Vec<(bool, St)>,
    Vec<(NodeId, NodeId, Vec<Msg>)>,
    Vec<(NodeId, Timer)>,
    Vec<(NodeId, NodeId)>,
);

fn key(s: &Snapshot<Lock>, semantics: Semantics) -> Key {
    let nodes = s.nodes.iter().map(|n| (n.up, n.state.clone())).collect();
    let mut net: Vec<(NodeId, NodeId, Vec<Msg>)> = Vec::new();
    for (from, to, msg) in &s.messages {
        match semantics {
            Semantics::Ordered => match net.iter_mut().find(|l| l.0 == *from && l.1 == *to) {
                Some(link) => link.2.push(msg.clone()),
                None => net.push((*from, *to, vec![msg.clone()])),
            },
            _ => net.push((*from, *to, vec![msg.clone()])),
        }
    }
    net.sort();
    let mut timers = s.timers.clone();
    timers.sort();
    let n = s.nodes.len();
    let blocked = (0..n)
        .flat_map(|a| (0..n).map(move |b| (NodeId::from_index(a), NodeId::from_index(b))))
        .filter(|(a, b)| s.links.blocked(*a, *b))
        .collect();
    (nodes, net, timers, blocked)
}

/// `s` with the clients renamed by `p` (node `i` becomes `p[i]`), done by hand.
fn renamed(lock: &Lock, s: &Snapshot<Lock>, p: &[usize]) -> Snapshot<Lock> {
    let perm = Permutation::from_images(p.iter().map(|i| NodeId::from_index(*i)).collect())
        .expect("a permutation");
    let map = |n: NodeId| NodeId::from_index(p[n.index()]);
    let mut nodes = s.nodes.clone();
    for slot in &s.nodes {
        let to = map(slot.id);
        nodes[to.index()] = NodeSlot {
            id: to,
            up: slot.up,
            state: lock.rename_state(&slot.state, &perm),
        };
    }
    let mut links = LinkState::default();
    let groups = s.links.groups();
    if !groups.is_empty() {
        let mut moved = groups.to_vec();
        for (i, g) in groups.iter().enumerate() {
            moved[p[i]] = *g;
        }
        let islands: Vec<Vec<NodeId>> = (0..=*moved.iter().max().expect("nodes"))
            .map(|g| {
                (0..moved.len())
                    .filter(|i| moved[*i] == g)
                    .map(NodeId::from_index)
                    .collect()
            })
            .collect();
        links.partition(moved.len(), &islands);
    }
    for (a, b) in s.links.cuts() {
        links.cut(map(a), map(b));
    }
    Snapshot {
        nodes,
        messages: s
            .messages
            .iter()
            .map(|(f, t, m)| (map(*f), map(*t), lock.rename_msg(m, &perm)))
            .collect(),
        timers: s.timers.iter().map(|(n, t)| (map(*n), t.clone())).collect(),
        links,
    }
}

/// Every permutation of `items`.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, *first);
            out.push(tail);
        }
    }
    out
}

/// Explore without symmetry, then count the orbits of every state found by brute force.
fn orbits(lock: &Lock, clients: usize, options: ExploreOptions) -> (u64, usize) {
    let e = explorer(lock.clone(), clients, options);
    let p = e.progress();
    assert!(p.exhausted, "{p:?}");
    let states: Vec<Snapshot<Lock>> = (0..p.unique_states as u32)
        .map(|id| {
            e.state_along(&e.path(id))
                .expect("a path the explorer took")
        })
        .collect();
    let distinct: BTreeSet<Key> = states.iter().map(|s| key(s, options.semantics)).collect();
    assert_eq!(distinct.len(), states.len(), "one key per state found");
    let perms: Vec<Vec<usize>> = permutations(&(1..=clients).collect::<Vec<_>>())
        .into_iter()
        .map(|tail| std::iter::once(0).chain(tail).collect())
        .collect();
    let orbits: BTreeSet<Key> = states
        .iter()
        .map(|s| {
            perms
                .iter()
                .map(|p| key(&renamed(lock, s, p), options.semantics))
                .min()
                .expect("the identity at least")
        })
        .collect();
    (p.unique_states, orbits.len())
}

fn options(semantics: Semantics, faults: Faults, symmetry: bool) -> ExploreOptions {
    ExploreOptions {
        semantics,
        faults,
        symmetry,
        ..ExploreOptions::default()
    }
}

fn check_one_state_per_orbit(clients: usize, semantics: Semantics, faults: Faults) {
    let lock = Lock { broken: false };
    let (states, orbits) = orbits(&lock, clients, options(semantics, faults, false));
    let reduced = explorer(lock, clients, options(semantics, faults, true));
    let p = reduced.progress();
    assert!(p.exhausted, "{p:?}");
    assert!(
        (orbits as u64) < states,
        "{states} states, {orbits} orbits: the test would show nothing"
    );
    assert_eq!(
        p.unique_states, orbits as u64,
        "{states} states without symmetry"
    );
    assert!(p.violations == 0);
    println!("{states} states, {orbits} orbits");
}

#[test]
fn four_clients_on_a_set_network_keep_one_state_per_orbit() {
    check_one_state_per_orbit(4, Semantics::UnorderedDup, Faults::default());
}

#[test]
fn fifo_links_keep_one_state_per_orbit() {
    check_one_state_per_orbit(3, Semantics::Ordered, Faults::default());
}

#[test]
fn crashes_and_partitions_keep_one_state_per_orbit() {
    let faults = Faults {
        crash: Some(UNLIMITED),
        partition: Some(UNLIMITED),
        ..Faults::default()
    };
    check_one_state_per_orbit(3, Semantics::Unordered, faults);
}

#[test]
fn a_broken_server_is_caught_with_symmetry_and_the_engine_replays_the_path() {
    let lock = Lock { broken: true };
    let e = explorer(
        lock.clone(),
        3,
        options(Semantics::Unordered, Faults::default(), true),
    );
    assert_eq!(
        e.symmetry(),
        [(1..4).map(NodeId::from_index).collect::<Vec<_>>()]
    );
    let found = e
        .violations()
        .iter()
        .find(|f| f.violation.invariant == "mutual-exclusion")
        .unwrap_or_else(|| panic!("not found: {:?}", e.violations()));
    // Two requests, two grants, both arrive: the shortest path.
    assert_eq!(found.depth, 6);
    let network = NetworkConfig::default();
    let path = e.path(found.state);
    let r = replay(&e, &network, 3, &path).expect("replays");
    let mut engine = Engine::new(
        lock,
        4,
        network,
        SeededScheduler::with_schedule(3, r.schedule),
    );
    for (at, action) in r.timeline {
        engine.schedule(at, action).expect("schedules");
    }
    engine.run_until(r.until, 1000);
    assert!(
        engine
            .trace()
            .violations
            .iter()
            .any(|v| v.invariant == "mutual-exclusion"),
        "{path:?}"
    );
}

#[test]
fn the_nodes_a_script_names_are_not_interchangeable() {
    let lock = Lock { broken: false };
    let n = NodeId::from_index;
    assert_eq!(
        symmetry_groups(&lock, 5, &[]),
        [vec![n(1), n(2), n(3), n(4)]]
    );
    let script = [
        Action::Command {
            node: n(2),
            command: 0,
        },
        Action::Cut {
            from: n(0),
            to: n(4),
        },
    ];
    assert_eq!(symmetry_groups(&lock, 5, &script), [vec![n(1), n(3)]]);
    assert!(
        symmetry_groups(&lock, 3, &script[..1]).is_empty(),
        "one left"
    );
    // Symmetry off, or nothing to reduce: the explorer counts every state.
    let plain = explorer(
        lock.clone(),
        2,
        options(Semantics::Unordered, Faults::default(), false),
    );
    assert!(plain.symmetry().is_empty());
    let mut e = Explorer::new(
        lock,
        3,
        script[..1].to_vec(),
        options(Semantics::Unordered, Faults::default(), true),
    );
    e.run();
    assert!(e.symmetry().is_empty());
}
