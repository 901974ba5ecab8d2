//! Matching quality and speed on a labelled set, the figures of
//! `./build.sh bench`: `SOURCEBAR_BENCH_N` generated candidates (default
//! 1,000,000) with names drawn from real frequency lists across several
//! locales, then 5,000 corrupted duplicates of indexed people and 5,000
//! strangers, each queried with name and location only, as the sidebar does.
//!
//! Prints recall@1, recall@5 and the false-possible rate (strangers that come
//! back as a possible duplicate), recall per kind of corruption, per-query
//! p50/p99, index bytes per candidate and build time, and writes them to
//! `$SOURCEBAR_BENCH_OUT/report.json` (`target/bench` by default) in the
//! shape `API.md` gives; figures this run does not measure are `null`.
//! The labelled queries and the candidates are also written as TSV there,
//! and, when `$SOURCEBAR_BENCH_PYTHON` names a Python with rapidfuzz and
//! psycopg2 (`./build.sh bench` makes one under `target/`), the same run
//! measures rapidfuzz `token_sort_ratio` and PostgreSQL `pg_trgm` over them
//! (`tools/other_matchers.py`) and reports the three side by side.

// A measuring tool, not product code: counts become f64 ratios and times
// become indices into sorted samples, all far from the limits of the types;
// the report is one long function that reads like the report it writes.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::too_many_lines,
    clippy::single_match_else
)]

use sourcebar_core::index::MatchIndex;
use sourcebar_core::{Candidate, Profile};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
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
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Names in rank order; drawn with Zipf weights (rank⁻¹), so the first
/// names of a list are far more common than the last, as in real life.
struct Locale {
    country: &'static str,
    given: &'static [&'static str],
    family: &'static [&'static str],
    cities: &'static [&'static str],
    /// Share of people, in percent.
    share: u64,
}

const LOCALES: &[Locale] = &[
    Locale {
        country: "United Kingdom",
        share: 22,
        given: &[
            "James",
            "Oliver",
            "Sarah",
            "David",
            "Emma",
            "John",
            "Michael",
            "Laura",
            "Daniel",
            "Sophie",
            "Thomas",
            "Charlotte",
            "William",
            "Jessica",
            "Robert",
            "Hannah",
            "Matthew",
            "Emily",
            "Christopher",
            "Lucy",
            "Andrew",
            "Rebecca",
            "Samuel",
            "Katherine",
            "Liam",
            "Elizabeth",
            "Joseph",
            "Amelia",
            "Alexander",
            "Siobhán",
            "Niamh",
            "Rhys",
            "Callum",
        ],
        family: &[
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Johnson",
            "Davies",
            "Robinson",
            "Wright",
            "Thompson",
            "Evans",
            "Walker",
            "White",
            "Roberts",
            "Green",
            "Hall",
            "Wood",
            "Jackson",
            "Clarke",
            "Patel",
            "Khan",
            "Lewis",
            "Harris",
            "Turner",
            "Hughes",
            "Edwards",
            "O'Brien",
            "Murphy",
            "Satterley",
            "Ní Bhriain",
            "McCarthy",
            "Fitzgerald",
            "Ashworth",
            "Blake",
        ],
        cities: &[
            "London",
            "Manchester",
            "Birmingham",
            "Leeds",
            "Glasgow",
            "Bristol",
            "Edinburgh",
            "Liverpool",
            "Cardiff",
            "Belfast",
            "Galway",
            "Cambridge",
        ],
    },
    Locale {
        country: "France",
        share: 18,
        given: &[
            "Marie",
            "Jean",
            "Pierre",
            "Camille",
            "Nicolas",
            "Julie",
            "Thomas",
            "Léa",
            "Antoine",
            "Manon",
            "Julien",
            "Chloé",
            "François",
            "Élodie",
            "Mathieu",
            "Amélie",
            "Sébastien",
            "Céline",
            "Hugo",
            "Anaïs",
            "Jean-Pierre",
            "Marie-Claire",
            "Benoît",
            "Hélène",
            "Loïc",
        ],
        family: &[
            "Martin",
            "Bernard",
            "Dubois",
            "Thomas",
            "Robert",
            "Richard",
            "Petit",
            "Durand",
            "Leroy",
            "Moreau",
            "Simon",
            "Laurent",
            "Lefèvre",
            "Michel",
            "Garcia",
            "David",
            "Bertrand",
            "Roux",
            "Vincent",
            "Fournier",
            "Morel",
            "Girard",
            "André",
            "Mercier",
            "Du",
            "Le Gall",
            "de la Fontaine",
            "Bonnefoy",
            "Chevalier",
            "Faure",
        ],
        cities: &[
            "Paris",
            "Lyon",
            "Marseille",
            "Toulouse",
            "Nantes",
            "Bordeaux",
            "Lille",
            "Rennes",
            "Strasbourg",
            "Grenoble",
            "Nice",
            "Montpellier",
        ],
    },
    Locale {
        country: "Germany",
        share: 15,
        given: &[
            "Thomas",
            "Michael",
            "Andreas",
            "Stefan",
            "Anna",
            "Julia",
            "Katharina",
            "Jürgen",
            "Lukas",
            "Lena",
            "Sabine",
            "Markus",
            "Jan",
            "Laura",
            "Sebastian",
            "Monika",
            "Tobias",
            "Johanna",
            "Florian",
            "Björn",
            "Uwe",
            "Ursula",
            "Maximilian",
            "Lea",
            "Jörg",
        ],
        family: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Schäfer",
            "Koch",
            "Bauer",
            "Richter",
            "Klein",
            "Wolf",
            "Schröder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Braun",
            "Krüger",
            "Hofmann",
            "Hartmann",
            "Lange",
            "von der Heide",
            "Groß",
            "Köhler",
            "Ng",
            "Öztürk",
        ],
        cities: &[
            "Berlin",
            "Hamburg",
            "München",
            "Köln",
            "Frankfurt",
            "Stuttgart",
            "Düsseldorf",
            "Leipzig",
            "Dresden",
            "Bremen",
        ],
    },
    Locale {
        country: "Spain",
        share: 12,
        given: &[
            "María",
            "José",
            "Antonio",
            "Carmen",
            "Manuel",
            "Ana",
            "Francisco",
            "Laura",
            "David",
            "Lucía",
            "Javier",
            "Marta",
            "Álvaro",
            "Sofía",
            "Pablo",
            "Elena",
            "Sergio",
            "Paula",
            "Alejandro",
            "Cristina",
            "Juan Carlos",
            "María José",
            "Iñaki",
            "Nuria",
        ],
        family: &[
            "García",
            "Rodríguez",
            "González",
            "Fernández",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Martín",
            "Jiménez",
            "Ruiz",
            "Hernández",
            "Díaz",
            "Moreno",
            "Muñoz",
            "Álvarez",
            "Romero",
            "Alonso",
            "Gutiérrez",
            "de la Cruz",
            "Navarro",
            "Torres",
            "Domínguez",
            "Vázquez",
            "Ramos",
            "Ibáñez",
            "Etxeberria",
        ],
        cities: &[
            "Madrid",
            "Barcelona",
            "Valencia",
            "Sevilla",
            "Bilbao",
            "Málaga",
            "Zaragoza",
            "Granada",
            "Alicante",
            "Valladolid",
        ],
    },
    Locale {
        country: "India",
        share: 13,
        given: &[
            "Rahul",
            "Priya",
            "Amit",
            "Anjali",
            "Rohit",
            "Neha",
            "Vikram",
            "Pooja",
            "Arjun",
            "Sneha",
            "Suresh",
            "Kavya",
            "Rajesh",
            "Divya",
            "Sanjay",
            "Lakshmi",
            "Karthik",
            "Meera",
            "Aditya",
            "Ananya",
            "Venkatesh",
            "Shreya",
            "Mohammed",
            "Fatima",
        ],
        family: &[
            "Sharma",
            "Kumar",
            "Singh",
            "Patel",
            "Gupta",
            "Reddy",
            "Iyer",
            "Nair",
            "Rao",
            "Verma",
            "Joshi",
            "Mehta",
            "Shah",
            "Das",
            "Chatterjee",
            "Banerjee",
            "Mukherjee",
            "Pillai",
            "Menon",
            "Krishnan",
            "Agarwal",
            "Desai",
            "Kulkarni",
            "Subramanian",
            "Venkataraman",
            "Bhattacharya",
        ],
        cities: &[
            "Bangalore",
            "Mumbai",
            "Delhi",
            "Hyderabad",
            "Chennai",
            "Pune",
            "Kolkata",
            "Ahmedabad",
            "Noida",
            "Gurgaon",
        ],
    },
    Locale {
        country: "United States",
        share: 20,
        given: &[
            "Michael",
            "Jennifer",
            "David",
            "Jessica",
            "Chris",
            "Ashley",
            "Matthew",
            "Amanda",
            "Joshua",
            "Sarah",
            "Daniel",
            "Stephanie",
            "James",
            "Nicole",
            "Robert",
            "Elizabeth",
            "John",
            "Megan",
            "Brian",
            "Lauren",
            "Kevin",
            "Rachel",
            "Wei",
            "Mei",
            "Nguyen Van",
            "Kimberly",
            "Tyler",
            "Brittany",
            "Olusegun",
            "Ngozi",
        ],
        family: &[
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Garcia",
            "Miller",
            "Davis",
            "Rodriguez",
            "Martinez",
            "Hernandez",
            "Lopez",
            "Gonzalez",
            "Wilson",
            "Anderson",
            "Thomas",
            "Taylor",
            "Moore",
            "Jackson",
            "Lee",
            "Nguyen",
            "Kim",
            "Chen",
            "Wang",
            "Li",
            "Park",
            "O'Connor",
            "Van Buren",
            "Washington",
            "Okafor",
            "Adeyemi",
        ],
        cities: &[
            "New York",
            "San Francisco",
            "Seattle",
            "Austin",
            "Chicago",
            "Boston",
            "Los Angeles",
            "Denver",
            "Atlanta",
            "Miami",
            "Portland",
            "San Diego",
        ],
    },
];

/// Syllables for the long tail of rarer family names.
const SYLLABLES: &[&str] = &[
    "ma", "ri", "jo", "an", "el", "sa", "ko", "lu", "ben", "der", "son", "ber", "gar", "cia",
    "mül", "ler", "ro", "ssi", "dam", "nov", "ak", "ski", "li", "wei", "ta", "na", "ka", "mo",
    "to", "ha", "ne", "sen", "berg", "ström", "dí", "az", "fer", "nán", "dez", "ló", "pez", "mar",
    "tin", "bois", "fè", "vre", "bri", "en", "car", "wick", "ton", "ley", "ham", "ford",
];

/// Nicknames a person may go by (first the formal name).
const NICKNAMES: &[(&str, &str)] = &[
    ("William", "Bill"),
    ("Robert", "Bob"),
    ("Katherine", "Kate"),
    ("Elizabeth", "Liz"),
    ("James", "Jim"),
    ("Michael", "Mike"),
    ("Alexander", "Alex"),
    ("Christopher", "Chris"),
    ("Matthew", "Matt"),
    ("Daniel", "Dan"),
    ("Thomas", "Tom"),
    ("Andrew", "Andy"),
    ("Joseph", "Joe"),
    ("Samuel", "Sam"),
    ("Jennifer", "Jenny"),
    ("Rebecca", "Becky"),
    ("Francisco", "Paco"),
    ("José", "Pepe"),
    ("Maximilian", "Max"),
    ("Katharina", "Kathi"),
    ("Nicolas", "Nico"),
    ("Alejandro", "Alex"),
];

/// Index of a Zipf-distributed rank in `0..n`.
fn zipf(rng: &mut Rng, n: usize) -> usize {
    // Cumulative weights of 1/(rank+1) without a table: draw u in
    // (0, H(n)) and walk; the lists are short, so this is cheap.
    let total: f64 = (1..=n).map(|r| 1.0 / r as f64).sum();
    let mut u = (rng.next() % 1_000_000) as f64 / 1_000_000.0 * total;
    for r in 0..n {
        u -= 1.0 / (r + 1) as f64;
        if u <= 0.0 {
            return r;
        }
    }
    n - 1
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

struct Person {
    first: String,
    last: String,
    city: &'static str,
    country: &'static str,
    locale: usize,
}

fn person(rng: &mut Rng) -> Person {
    let mut pick = rng.below(100) as u64;
    let mut locale = 0;
    for (i, l) in LOCALES.iter().enumerate() {
        if pick < l.share {
            locale = i;
            break;
        }
        pick -= l.share;
    }
    let l = &LOCALES[locale];
    let first = l.given[zipf(rng, l.given.len())].to_string();
    // Half the family names come from the common list, half from the long tail.
    let last = if rng.chance(50) {
        l.family[zipf(rng, l.family.len())].to_string()
    } else {
        let n = 2 + rng.below(2);
        capitalised(
            &(0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect::<String>(),
        )
    };
    Person {
        first,
        last,
        city: l.cities[zipf(rng, l.cities.len())],
        country: l.country,
        locale,
    }
}

fn candidate(p: &Person, i: usize) -> Candidate {
    let ascii: String = p
        .last
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_lowercase();
    Candidate {
        id: i.to_string(),
        email: Some(format!(
            "{}.{ascii}{i}@mail{}.example",
            p.first.to_lowercase(),
            i % 7
        )),
        profile_url: i
            .is_multiple_of(3)
            .then(|| format!("https://www.linkedin.com/in/person-{i}/")),
        location: Some(format!("{}, {}", p.city, p.country)),
        first_name: p.first.clone(),
        last_name: p.last.clone(),
        ..Candidate::default()
    }
}

const LETTERS: &[char] = &[
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'r', 's', 't', 'u',
    'v', 'w', 'y', 'z',
];

/// One typo at `at`: a wrong, missing or extra letter, or two swapped.
fn typo_at(rng: &mut Rng, s: &str, at: usize) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 2 {
        return s.to_string();
    }
    let at = at.min(c.len() - 2);
    match rng.below(4) {
        0 => c[at] = LETTERS[rng.below(LETTERS.len())],
        1 => {
            c.remove(at);
        }
        2 => c.insert(at, LETTERS[rng.below(LETTERS.len())]),
        _ => c.swap(at, at + 1),
    }
    c.into_iter().collect()
}

fn typo(rng: &mut Rng, s: &str) -> String {
    let at = rng.below(s.chars().count().max(1));
    typo_at(rng, s, at)
}

fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ï' | 'î' => 'i',
            'ó' | 'ô' | 'ö' => 'o',
            'ú' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'Á' => 'A',
            'É' => 'E',
            'Ö' => 'O',
            c => c,
        })
        .collect()
}

/// The kinds of corruption a duplicate gets, in the order they cycle.
const KINDS: &[&str] = &[
    "typo",
    "transposition",
    "first_letters_typo",
    "missing_given",
    "missing_family",
    "swapped_order",
    "nickname_or_initial",
    "diacritics",
    "family_name_changed",
    "split_or_joined",
    "two_corruptions",
    "moved_city",
];

/// A query for person `p` with one corruption of `kind` (name and location only).
fn corrupted(rng: &mut Rng, p: &Person, kind: usize) -> Profile {
    let (mut first, mut last) = (p.first.clone(), p.last.clone());
    let mut city = p.city;
    match KINDS[kind] {
        "typo" => {
            if rng.chance(50) {
                first = typo(rng, &first);
            } else {
                last = typo(rng, &last);
            }
        }
        "transposition" => {
            let target = if rng.chance(50) {
                &mut first
            } else {
                &mut last
            };
            let mut c: Vec<char> = target.chars().collect();
            if c.len() >= 3 {
                let at = 1 + rng.below(c.len() - 2);
                c.swap(at, at - 1);
            }
            *target = c.into_iter().collect();
        }
        "first_letters_typo" => {
            let at = rng.below(2);
            if rng.chance(50) {
                first = typo_at(rng, &first, at);
            } else {
                last = typo_at(rng, &last, at);
            }
        }
        "missing_given" => first.clear(),
        "missing_family" => last.clear(),
        "swapped_order" => std::mem::swap(&mut first, &mut last),
        "nickname_or_initial" => {
            first = NICKNAMES
                .iter()
                .find(|(formal, _)| *formal == first)
                .map_or_else(
                    || first.chars().next().map(String::from).unwrap_or_default(),
                    |(_, nick)| (*nick).to_string(),
                );
        }
        "diacritics" => {
            let (f, l) = (strip_accents(&first), strip_accents(&last));
            if (f.as_str(), l.as_str()) == (first.as_str(), last.as_str()) {
                last = typo(rng, &last);
            } else {
                (first, last) = (f, l);
            }
        }
        "family_name_changed" => {
            let l = &LOCALES[p.locale];
            loop {
                let other = l.family[rng.below(l.family.len())];
                if other != last {
                    last = other.to_string();
                    break;
                }
            }
        }
        "split_or_joined" => {
            if last.contains(' ') {
                last = last.replace(' ', "");
            } else if last.chars().count() >= 6 {
                let c: Vec<char> = last.chars().collect();
                let at = 2 + rng.below(c.len() - 4);
                last = format!(
                    "{} {}",
                    c[..at].iter().collect::<String>(),
                    c[at..].iter().collect::<String>()
                );
            } else {
                last = format!("{last}{}", SYLLABLES[rng.below(SYLLABLES.len())]);
            }
        }
        "two_corruptions" => {
            first = typo(rng, &first);
            last = typo(rng, &last);
        }
        _ => {
            let l = &LOCALES[p.locale];
            city = l.cities[rng.below(l.cities.len())];
            last = typo(rng, &last);
        }
    }
    Profile {
        first_name: Some(first),
        last_name: Some(last),
        location: Some(format!("{city}, {}", p.country)),
        ..Profile::default()
    }
}

fn rss_bytes() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<f64>().ok())
        })
        .map_or(0.0, |pages| pages * 4096.0)
}

fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

fn tsv(s: &str) -> String {
    s.replace(['\t', '\n'], " ")
}

const DUPLICATES: usize = 5_000;
const STRANGERS: usize = 5_000;

fn main() {
    let n: usize = std::env::var("SOURCEBAR_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let out_dir = std::env::var("SOURCEBAR_BENCH_OUT")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench").to_string());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let people: Vec<Person> = (0..n).map(|_| person(&mut rng)).collect();
    let candidates: Vec<Candidate> = people
        .iter()
        .enumerate()
        .map(|(i, p)| candidate(p, i))
        .collect();

    let before = rss_bytes();
    let started = Instant::now();
    let mut index = MatchIndex::new();
    for c in candidates.iter().cloned() {
        index.insert("conn", c);
    }
    let build_s = started.elapsed().as_secs_f64();
    let bytes_per_candidate = (rss_bytes() - before) / n as f64;

    // Labelled queries: (profile, the true id or None for a stranger, kind).
    let mut queries: Vec<(Profile, Option<usize>, usize)> = Vec::new();
    for q in 0..DUPLICATES {
        let i = rng.below(n);
        let kind = q % KINDS.len();
        queries.push((corrupted(&mut rng, &people[i], kind), Some(i), kind));
    }
    let known: HashSet<(String, String)> = people
        .iter()
        .map(|p| (p.first.to_lowercase(), p.last.to_lowercase()))
        .collect();
    while queries.len() < DUPLICATES + STRANGERS {
        let p = person(&mut rng);
        if known.contains(&(p.first.to_lowercase(), p.last.to_lowercase())) {
            continue;
        }
        let profile = Profile {
            first_name: Some(p.first.clone()),
            last_name: Some(p.last.clone()),
            location: Some(format!("{}, {}", p.city, p.country)),
            ..Profile::default()
        };
        queries.push((profile, None, 0));
    }
    drop(known);

    let mut show_false: usize = std::env::var("SOURCEBAR_BENCH_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // SOURCEBAR_BENCH_DIAG=k: the first k missed duplicates of each kind.
    let mut diag = vec![
        std::env::var("SOURCEBAR_BENCH_DIAG")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        KINDS.len()
    ];
    // SOURCEBAR_BENCH_RANKED=k: the first k duplicates found but not first,
    // behind somebody with another name or place.
    let mut show_rank: usize = std::env::var("SOURCEBAR_BENCH_RANKED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut times = Vec::with_capacity(queries.len());
    // The same in the thread's CPU time: on a machine shared by others the
    // wall clock's tail is mostly time spent waiting for a core.
    let mut cpu_times = Vec::with_capacity(queries.len());
    let (mut at1, mut at5, mut false_possible) = (0usize, 0usize, 0usize);
    let mut by_kind = vec![(0usize, 0usize); KINDS.len()];
    // Per query: the true match's score when in the top 5 (duplicates), or
    // the top score (strangers); for the trade-off at stricter cut-offs.
    let mut dup_scores: Vec<f64> = Vec::new();
    let mut stranger_scores: Vec<f64> = Vec::new();
    // Words the sidebar shows, by how often they were right.
    let mut words: Vec<(String, usize, usize)> = Vec::new();
    for (profile, truth, kind) in &queries {
        let (t, cpu) = (Instant::now(), cpu_time::ThreadTime::now());
        let found = index.query(profile, 10);
        times.push(t.elapsed());
        cpu_times.push(cpu.elapsed());
        match truth {
            Some(i) => {
                let id = i.to_string();
                let rank = found.iter().position(|m| m.candidate.id == id);
                at1 += usize::from(rank == Some(0));
                let in5 = rank.is_some_and(|r| r < 5);
                if let Some(r) = rank.filter(|r| *r < 5) {
                    dup_scores.push(found[r].score);
                }
                at5 += usize::from(in5);
                by_kind[*kind].0 += 1;
                by_kind[*kind].1 += usize::from(in5);
                if let (Some(r), true) = (rank, show_rank > 0) {
                    let top = &found[0].candidate;
                    let truth = &candidates[*i];
                    if r > 0
                        && (top.first_name != truth.first_name
                            || top.last_name != truth.last_name
                            || top.location != truth.location)
                    {
                        show_rank -= 1;
                        println!(
                            "  ranked {r} {:<20} {:?} {:?} {:?} = {} {} {:?} {:.3}; top {} {} {:?} {:.3}",
                            KINDS[*kind],
                            profile.first_name,
                            profile.last_name,
                            profile.location,
                            truth.first_name,
                            truth.last_name,
                            truth.location,
                            found[r].score,
                            top.first_name,
                            top.last_name,
                            top.location,
                            found[0].score,
                        );
                    }
                }
                if !in5 && diag[*kind] > 0 {
                    diag[*kind] -= 1;
                    let truth = &candidates[*i];
                    println!(
                        "  missed {:<20} {:?} {:?} {:?} = {} {} {:?}: alone {:?}; rank {rank:?}; top {:?}",
                        KINDS[*kind],
                        profile.first_name,
                        profile.last_name,
                        profile.location,
                        truth.first_name,
                        truth.last_name,
                        truth.location,
                        sourcebar_core::matching::score_candidate(profile, truth, &[])
                            .map(|(s, _)| (s * 100.0).round()),
                        found
                            .first()
                            .map(|m| (&m.candidate.first_name, &m.candidate.last_name, m.score)),
                    );
                }
                if let Some(top) = found.first() {
                    tally(&mut words, top.score, top.candidate.id == id);
                }
            }
            None => {
                false_possible += usize::from(!found.is_empty());
                if let Some(top) = found.first() {
                    stranger_scores.push(top.score);
                }
                if let (Some(top), true) = (found.first(), show_false > 0) {
                    show_false -= 1;
                    println!(
                        "  stranger {:?} {:?} {:?} ~ {} {} {:?}: {:.2} {:?}",
                        profile.first_name,
                        profile.last_name,
                        profile.location,
                        top.candidate.first_name,
                        top.candidate.last_name,
                        top.candidate.location,
                        top.score,
                        top.reasons
                            .iter()
                            .map(|r| (r.kind, r.weight))
                            .collect::<Vec<_>>()
                    );
                }
                if let Some(top) = found.first() {
                    tally(&mut words, top.score, false);
                }
            }
        }
    }
    times.sort();
    let (p50, p99) = (percentile_ms(&times, 0.50), percentile_ms(&times, 0.99));
    let recall_at_1 = at1 as f64 / DUPLICATES as f64;
    let recall_at_5 = at5 as f64 / DUPLICATES as f64;
    let false_possible_rate = false_possible as f64 / STRANGERS as f64;

    println!(
        "quality: {n} candidates, index built in {build_s:.1} s, ~{bytes_per_candidate:.0} bytes/candidate"
    );
    println!(
        "quality: {DUPLICATES} duplicates, {STRANGERS} strangers: recall@1 {:.1}%, recall@5 {:.1}%, false possible {:.2}%",
        recall_at_1 * 100.0,
        recall_at_5 * 100.0,
        false_possible_rate * 100.0
    );
    cpu_times.sort();
    println!(
        "quality: per-query p50 {p50:.3} ms, p99 {p99:.3} ms (in CPU time: p50 {:.3} ms, p99 {:.3} ms)",
        percentile_ms(&cpu_times, 0.50),
        percentile_ms(&cpu_times, 0.99)
    );
    for (kind, (total, found)) in KINDS.iter().zip(&by_kind) {
        println!(
            "  recall@5 {kind:<20} {:5.1}% of {total}",
            *found as f64 * 100.0 / (*total).max(1) as f64
        );
    }
    for cut in [0.5, 0.55, 0.6, 0.65, 0.7, 0.75] {
        let kept = |scores: &[f64], of: usize| {
            scores.iter().filter(|s| **s >= cut).count() as f64 * 100.0 / of as f64
        };
        println!(
            "  from score {cut:.2}: recall@5 {:5.1}%, false possible {:5.2}%",
            kept(&dup_scores, DUPLICATES),
            kept(&stranger_scores, STRANGERS)
        );
    }
    for (word, right, total) in &words {
        println!(
            "  top match worded {word:<8} right {:5.1}% of {total}",
            *right as f64 * 100.0 / (*total).max(1) as f64
        );
    }

    std::fs::create_dir_all(&out_dir).expect("bench output directory");
    let mut report = serde_json::json!({
        "candidates": n,
        "sourcebar": {
            "p50_ms": p50,
            "p99_ms": p99,
            "recall_at_1": recall_at_1,
            "recall_at_5": recall_at_5,
            "false_possible_rate": false_possible_rate,
            "index_bytes_per_candidate": bytes_per_candidate.round(),
            "index_build_s": build_s,
        },
        "rapidfuzz": {"p50_ms": null, "p99_ms": null, "recall_at_1": null, "recall_at_5": null, "false_possible_rate": null},
        "pg_trgm": {"p50_ms": null, "p99_ms": null, "recall_at_1": null, "recall_at_5": null, "false_possible_rate": null},
        "ratio_p99": null,
        "ratio_p99_pg_trgm": null,
        "sidebar": {"raw_bytes": null, "gzip_bytes": null},
        "jobs_picker_p95_ms": null,
        "import_rows_per_s": null,
    });
    write_data(&out_dir, &candidates, &queries);
    drop((candidates, people, index));
    other_matchers(&out_dir, &mut report, p99);
    let path = format!("{out_dir}/report.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&report).expect("json") + "\n",
    )
    .expect("write report.json");
    println!("quality: wrote {path}");
}

/// Runs `tools/other_matchers.py` (rapidfuzz and `pg_trgm`) over the TSVs
/// just written, with the Python of `$SOURCEBAR_BENCH_PYTHON` (the bench's
/// virtual environment, which `./build.sh bench` makes), and puts its figures
/// and the p99 ratios into the report. Without that Python they stay `null`.
fn other_matchers(out_dir: &str, report: &mut serde_json::Value, sourcebar_p99: f64) {
    let Ok(python) = std::env::var("SOURCEBAR_BENCH_PYTHON") else {
        println!("quality: rapidfuzz and pg_trgm not measured (SOURCEBAR_BENCH_PYTHON unset; `./build.sh bench` sets it)");
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/other_matchers.py");
    let status = std::process::Command::new(&python)
        .arg(script)
        .arg(out_dir)
        .status();
    if !status.is_ok_and(|s| s.success()) {
        println!("quality: {script} failed; rapidfuzz and pg_trgm not measured");
        return;
    }
    let others: serde_json::Value = std::fs::read_to_string(format!("{out_dir}/others.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let keys = [
        "p50_ms",
        "p99_ms",
        "recall_at_1",
        "recall_at_5",
        "false_possible_rate",
    ];
    for (name, ratio) in [("rapidfuzz", "ratio_p99"), ("pg_trgm", "ratio_p99_pg_trgm")] {
        let Some(theirs) = others.get(name).filter(|v| v.is_object()) else {
            continue;
        };
        for key in keys {
            report[name][key] = theirs[key].clone();
        }
        if let Some(p99) = theirs["p99_ms"].as_f64() {
            report[ratio] = serde_json::json!(p99 / sourcebar_p99);
            println!(
                "quality: Sourcebar p99 {sourcebar_p99:.3} ms is {:.0}x faster than {name} ({p99:.1} ms)",
                p99 / sourcebar_p99
            );
        }
    }
    println!("quality: side by side (recall@1, recall@5, false possible, p50 ms, p99 ms)");
    for name in ["sourcebar", "rapidfuzz", "pg_trgm"] {
        let r = &report[name];
        let f = |k: &str| r[k].as_f64().map_or("-".to_string(), |v| format!("{v:.3}"));
        println!(
            "  {name:<10} {:>7} {:>7} {:>7} {:>8} {:>8}",
            f("recall_at_1"),
            f("recall_at_5"),
            f("false_possible_rate"),
            f("p50_ms"),
            f("p99_ms")
        );
    }
}

/// Counts how often the top match, by the word its score earns, was right.
fn tally(words: &mut Vec<(String, usize, usize)>, score: f64, right: bool) {
    let word = if score >= 0.9 {
        "same"
    } else if score >= 0.7 {
        "likely"
    } else {
        "maybe"
    };
    match words.iter_mut().find(|(w, _, _)| w == word) {
        Some(entry) => {
            entry.1 += usize::from(right);
            entry.2 += 1;
        }
        None => words.push((word.to_string(), usize::from(right), 1)),
    }
}

/// `candidates.tsv` (id, first, last, location) and `queries.tsv` (first,
/// last, location, true id or empty for a stranger), for other matchers.
fn write_data(dir: &str, candidates: &[Candidate], queries: &[(Profile, Option<usize>, usize)]) {
    let mut out = String::new();
    for c in candidates {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}",
            c.id,
            tsv(&c.first_name),
            tsv(&c.last_name),
            tsv(c.location.as_deref().unwrap_or_default())
        );
    }
    let mut file = std::fs::File::create(format!("{dir}/candidates.tsv")).expect("candidates.tsv");
    file.write_all(out.as_bytes())
        .expect("write candidates.tsv");
    out.clear();
    for (p, truth, _) in queries {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}",
            tsv(p.first_name.as_deref().unwrap_or_default()),
            tsv(p.last_name.as_deref().unwrap_or_default()),
            tsv(p.location.as_deref().unwrap_or_default()),
            truth.map(|i| i.to_string()).unwrap_or_default()
        );
    }
    std::fs::write(format!("{dir}/queries.tsv"), out).expect("write queries.tsv");
}
