//! Every ledger preset does what its caption says, as `clusterplay run` reports it: chain
//! length, forks, orphaned blocks and double spends, plus the figures each caption names.

use clusterplay_scenario::{preset, run, Report};
use serde_json::{json, Value};

fn report(id: &str) -> Report {
    let r = run(&preset(id).unwrap().scenario).unwrap();
    assert!(r.violations.is_empty(), "{id}: {:?}", r.violations);
    r
}

fn on_chain(r: &Report) -> Vec<u64> {
    r.outcome["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["on_chain"].as_u64().unwrap())
        .collect()
}

#[test]
fn pow_seed_transfer_the_payment_is_mined_and_accepted_everywhere() {
    let r = report("pow-seed-transfer");
    let o = &r.outcome;
    assert_eq!(o["chain_length"], json!(8));
    // The last block is still on its way to one server.
    assert_eq!(o["agreed_length"], json!(7));
    assert_eq!(o["forks"], json!(0));
    assert_eq!(o["orphaned"], json!(0));
    assert_eq!(o["double_spends"], json!(0));
    let txs = o["transactions"].as_array().unwrap();
    assert_eq!(txs.len(), 1);
    let tx = &txs[0];
    assert_eq!(tx["from"], json!("Washington"));
    assert_eq!(tx["to"], json!("London"));
    assert_eq!(tx["amount"], json!(100.0));
    assert_eq!(tx["block"], json!("5.1"));
    assert_eq!(tx["height"], json!(2));
    assert_eq!(tx["on_every_chain"], json!(true));
    assert_eq!(o["balances"]["London"], json!(202.0));
    assert_eq!(o["balances"]["Washington"], json!(2.0));
}

#[test]
fn pow_easy_puzzle_forks_often_and_orphans_blocks() {
    let r = report("pow-easy-puzzle-forks");
    let o = &r.outcome;
    assert_eq!(o["chain_length"], json!(36));
    assert_eq!(o["blocks_made"], json!(68));
    assert_eq!(o["forks"], json!(22));
    assert_eq!(o["orphaned"], json!(32));
    assert_eq!(o["double_spends"], json!(0));
    // The knob: the same run with the seed-transfer difficulty makes no fork at all.
    let mut s = preset("pow-easy-puzzle-forks").unwrap().scenario.clone();
    s.params.insert("difficulty".into(), json!(500));
    let hard = run(&s).unwrap();
    assert!(hard.violations.is_empty());
    assert_eq!(hard.outcome["forks"], json!(0));
    assert!(hard.outcome["chain_length"].as_u64().unwrap() < 36);
}

#[test]
fn pow_51_percent_rewrites_recent_history_and_spends_twice() {
    let r = report("pow-51-percent");
    let o = &r.outcome;
    assert_eq!(o["double_spends"], json!(1));
    assert_eq!(o["secret_blocks_published"], json!(3));
    assert_eq!(o["deepest_reorg"], json!(3));
    assert!(o["deepest_reorg"].as_u64().unwrap() < o["k"].as_u64().unwrap());
    assert_eq!(o["chain_length"], json!(23));
    assert_eq!(o["forks"], json!(5));
    assert_eq!(o["orphaned"], json!(7));
    // The payment to Washington is on no chain; Shanghai's payment to itself is on all.
    let txs = o["transactions"].as_array().unwrap();
    let to = |name: &str| txs.iter().find(|t| t["to"] == name).unwrap();
    assert_eq!(to("Washington")["block"], Value::Null);
    assert_eq!(to("Washington")["on_every_chain"], json!(false));
    assert_eq!(to("Shanghai")["on_every_chain"], json!(true));
    assert_eq!(to("Washington")["nonce"], to("Shanghai")["nonce"]);
}

#[test]
fn pos_coin_age_reproduces_the_seeds_figures() {
    let r = report("pos-coin-age");
    let o = &r.outcome;
    assert_eq!(o["chain_length"], json!(1));
    assert_eq!(o["forks"], json!(0));
    assert_eq!(o["orphaned"], json!(0));
    assert_eq!(o["double_spends"], json!(0));
    let stakes = o["stakes"].as_array().unwrap();
    assert_eq!(stakes.len(), 1);
    let s = &stakes[0];
    assert_eq!(s["name"], json!("A"));
    assert_eq!(s["block"], json!("1.1"));
    assert_eq!(s["day"], json!(50));
    assert_eq!(s["coin_days_before"], json!(5000.0));
    assert_eq!(s["consumed"], json!(365.0));
    assert_eq!(s["coin_days_after"], json!(4635.0));
    assert_eq!(s["interest"], json!(0.05));
    assert_eq!(s["balance_after"], json!(100.05));
    assert_eq!(o["balances"]["A"], json!(100.05));
    // Ten days later the age has risen again by 100.05 a day.
    assert_eq!(o["nodes"][0]["coin_days"], json!(5635.5));
}

#[test]
fn pos_rich_get_richer_the_largest_holder_makes_most_blocks() {
    let r = report("pos-rich-get-richer");
    let o = &r.outcome;
    assert_eq!(o["chain_length"], json!(290));
    assert_eq!(o["forks"], json!(42));
    assert_eq!(o["orphaned"], json!(42));
    assert_eq!(o["double_spends"], json!(0));
    let blocks = on_chain(&r);
    assert_eq!(blocks, vec![256, 15, 11, 6, 2]);
    // 1000 of 1270 coins is 79% of the stake; 256 of 290 blocks is 88%.
    let share = blocks[0] as f64 / 290.0;
    assert!(share > 1000.0 / 1270.0 + 0.05, "{share}");
}

#[test]
fn dpos_rounds_replace_the_delegate_that_missed_its_slot() {
    let r = report("dpos-rounds");
    let o = &r.outcome;
    assert_eq!(o["forks"], json!(0));
    assert_eq!(o["orphaned"], json!(0));
    assert_eq!(o["double_spends"], json!(0));
    assert_eq!(o["chain_length"], json!(59));
    assert_eq!(o["delegates_first"], json!(["1", "2", "3", "4", "5"]));
    assert_eq!(o["delegates_last"], json!(["1", "2", "4", "5", "6"]));
    assert_eq!(o["voted_out"], json!(["3"]));
    assert_eq!(o["voted_in"], json!(["6"]));
    assert_eq!(o["missed_slots"], json!([{"delegate": "3", "slot": 22}]));
    // Only delegates produce: holders 7 to 21 make nothing.
    assert!(on_chain(&r)[6..].iter().all(|b| *b == 0));
}

#[test]
fn every_ledger_preset_reports_the_four_figures() {
    for id in [
        "pow-seed-transfer",
        "pow-easy-puzzle-forks",
        "pow-51-percent",
        "pos-coin-age",
        "pos-rich-get-richer",
        "dpos-rounds",
    ] {
        let r = report(id);
        for key in ["chain_length", "forks", "orphaned", "double_spends"] {
            assert!(r.outcome[key].is_u64(), "{id}: {key}");
        }
    }
}
