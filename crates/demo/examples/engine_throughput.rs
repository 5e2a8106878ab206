//! Rule-engine throughput in memory on one core: generates N dossiers (realistic histories,
//! 10% with one planted fault), evaluates them all, and prints dossiers per second and the
//! faults found beside the faults planted. Run by `bench/dossiers.sh`.

#![expect(clippy::unwrap_used, reason = "a benchmark program")]

use pioneer_demo::dossier_gen::{DossierGen, expected_findings};
use pioneer_domain::calendar::WorkCalendar;
use pioneer_domain::development::dev_settings::DevSettings;
use pioneer_domain::development::engine::{RuleBook, evaluate};
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).map_or(1_000_000, |a| a.parse().unwrap());
    let today = jiff::civil::Date::constant(2026, 11, 29);
    let cal = WorkCalendar::shipped();
    let mut g = DossierGen::new(42, today, &cal);
    let started = Instant::now();
    let mut planted: BTreeMap<&str, u64> = BTreeMap::new();
    let dossiers: Vec<_> = (0..n)
        .map(|_| {
            let d = g.next_dossier();
            if let Some(f) = d.fault {
                for code in expected_findings(f) {
                    *planted.entry(code).or_default() += 1;
                }
            }
            d.dossier
        })
        .collect();
    // Lay each dossier out the way a screening run reads it: allocated in one go, not
    // interleaved with the generator's scratch work.
    let dossiers: Vec<_> = dossiers.iter().map(Clone::clone).collect();
    let events: usize = dossiers.iter().map(|d| d.events.len()).sum();
    println!("generated {n} dossiers ({events} events) in {:.1} s", started.elapsed().as_secs_f64());
    let book = RuleBook::standard();
    let settings = DevSettings::default();
    let mut best = f64::MAX;
    let mut found: BTreeMap<&str, u64> = BTreeMap::new();
    let rounds: usize = std::env::args().nth(2).map_or(3, |a| a.parse().unwrap());
    for round in 0..rounds {
        let t = Instant::now();
        let mut with = 0u64;
        for d in &dossiers {
            let e = evaluate(&book, d, &settings, today);
            if round == 0 {
                for f in &e.findings {
                    *found.entry(f.check.code).or_default() += 1;
                }
            }
            with += u64::from(!e.findings.is_empty());
        }
        let secs = t.elapsed().as_secs_f64();
        best = best.min(secs);
        println!("round {round}: {:.3} s, {with} dossiers with findings", secs);
    }
    println!(
        "engine throughput (one core, best of {rounds}): {:.0} dossiers/s (goal >= 1,000,000)",
        n as f64 / best
    );
    let planted_total: u64 = planted.values().sum();
    let found_total: u64 = found.values().sum();
    println!("faults planted {planted_total}, findings {found_total}, equal per rule: {}", planted == found);
    for (code, p) in &planted {
        println!("  {code:28} planted {p:7}  found {:7}", found.get(code).copied().unwrap_or(0));
    }
}
