//! Dedupe at scale: a `MatchIndex` of 1,000,000 generated candidates, queried
//! by email, by LinkedIn URL, by a misspelled name and for a stranger.
//! Prints build time, memory and p50/p99 query latency, then runs criterion.
//!
//! `cargo bench -p sourcebar-core --bench dedupe` (or `./build.sh bench`);
//! `SOURCEBAR_BENCH_N` changes the size.

// A measuring tool, not product code: seeds and counts become indices and
// ratios, all far from the limits of the types.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use criterion::{black_box, Criterion};
use sourcebar_core::index::MatchIndex;
use sourcebar_core::{Candidate, Profile};
use std::time::{Duration, Instant};

/// A small deterministic generator (no dependency needed for a benchmark).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const SYLLABLES: &[&str] = &[
    "ma", "ri", "jo", "an", "el", "sa", "ko", "lu", "ben", "der", "son", "ber", "gar", "cia",
    "mül", "ler", "ro", "ssi", "van", "dam", "nov", "ak", "ski", "li", "wei", "zhang", "ta", "na",
    "ka", "mo", "to", "ha", "ne", "sen", "berg", "ström", "dí", "az", "fer", "nán", "dez", "ló",
    "pez", "mar", "tin", "du", "bois", "le", "fè", "vre", "o", "bri", "en", "mc", "car",
];
const GIVEN: &[&str] = &[
    "Jane",
    "John",
    "William",
    "Katherine",
    "Robert",
    "Élodie",
    "François",
    "Zoë",
    "José",
    "María",
    "Søren",
    "Łukasz",
    "Agnieszka",
    "Amélie",
    "Mohammed",
    "Fatima",
    "Ingrid",
    "Björn",
    "Giulia",
    "Marco",
    "Anaïs",
    "Jürgen",
    "Siobhán",
    "Priya",
    "Rahul",
    "Mei",
    "Hiroshi",
    "Olusegun",
    "Ngozi",
    "Camille",
    "Léa",
    "Hugo",
    "Lucía",
    "Álvaro",
    "Inês",
    "João",
    "Elif",
    "Mehmet",
    "Sanna",
    "Mikko",
    "Zoltán",
    "Alexander",
    "Elizabeth",
    "Michael",
    "Christopher",
    "Samantha",
    "Daniel",
];

fn family(rng: &mut Rng) -> String {
    let n = 2 + (rng.next() % 2) as usize;
    let mut name: String = (0..n).map(|_| rng.pick(SYLLABLES)).collect();
    if let Some(first) = name.get(..1) {
        name = first.to_uppercase() + &name[1..];
    }
    name
}

fn candidate(rng: &mut Rng, i: usize) -> Candidate {
    let first = rng.pick(GIVEN).to_string();
    let last = family(rng);
    Candidate {
        id: format!("prospect_{i}"),
        email: Some(format!(
            "{}.{}{}@mail{}.example",
            first.to_lowercase(),
            last.to_lowercase(),
            i,
            i % 7
        )),
        profile_url: i
            .is_multiple_of(3)
            .then(|| format!("https://www.linkedin.com/in/person-{i}/")),
        location: Some("Lyon, France".into()),
        first_name: first,
        last_name: last,
        ..Candidate::default()
    }
}

fn typo(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() > 3 {
        c.swap(2, 3);
    }
    c.into_iter().collect()
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<f64>().ok())
        })
        .map_or(0.0, |pages| pages * 4096.0 / 1_048_576.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: usize = std::env::var("SOURCEBAR_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let people: Vec<Candidate> = (0..n).map(|i| candidate(&mut rng, i)).collect();
    let before = rss_mb();
    let started = Instant::now();
    let mut index = MatchIndex::new();
    for c in people.iter().cloned() {
        index.insert("conn", c);
    }
    let build = started.elapsed();
    let memory = rss_mb() - before;

    // 10,000 queries, a quarter of each kind.
    let mut queries = Vec::new();
    for q in 0..10_000usize {
        let c = &people[(rng.next() % n as u64) as usize];
        let mut p = Profile::default();
        match q % 4 {
            0 => {
                p.first_name = Some("Someone".into());
                p.last_name = Some("Else".into());
                p.emails = vec![c.email.clone().unwrap_or_default().to_uppercase()];
            }
            1 => {
                let i = (rng.next() % (n as u64 / 3)) * 3;
                p.first_name = Some("X".into());
                p.last_name = Some("Y".into());
                p.profile_url = Some(format!("https://fr.linkedin.com/in/person-{i}?trk=x"));
            }
            2 => {
                p.first_name = Some(c.first_name.clone());
                p.last_name = Some(typo(&c.last_name));
            }
            _ => {
                p.first_name = Some(rng.pick(GIVEN).into());
                p.last_name = Some(format!("Zq{}", family(&mut rng)));
            }
        }
        queries.push(p);
    }
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut found = 0;
    for p in &queries {
        let t = Instant::now();
        let m = index.query(p, 10);
        times.push(t.elapsed());
        found += usize::from(!m.is_empty());
    }
    times.sort();
    println!(
        "dedupe index: {n} candidates, built in {:.1} s, ~{memory:.0} MB",
        build.as_secs_f64()
    );
    println!(
        "dedupe query over {} mixed queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({found} with matches)",
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    );

    let mut criterion = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let (by_email, by_url, by_name, stranger) =
        (&queries[0], &queries[1], &queries[2], &queries[3]);
    criterion.bench_function("dedupe/email", |b| {
        b.iter(|| index.query(black_box(by_email), 10));
    });
    criterion.bench_function("dedupe/linkedin_url", |b| {
        b.iter(|| index.query(black_box(by_url), 10));
    });
    criterion.bench_function("dedupe/misspelled_name", |b| {
        b.iter(|| index.query(black_box(by_name), 10));
    });
    criterion.bench_function("dedupe/stranger", |b| {
        b.iter(|| index.query(black_box(stranger), 10));
    });
    criterion.final_summary();
}
