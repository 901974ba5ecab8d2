//! A generator of realistic international people: diacritics, particles,
//! double surnames, nicknames, typos.

use crate::store::Applicant;
use rand::rngs::StdRng;
use rand::Rng;

const GIVEN: &[&str] = &[
    "Jane",
    "John",
    "William",
    "Bill",
    "Katherine",
    "Kate",
    "Robert",
    "Bob",
    "Élodie",
    "François",
    "Zoë",
    "José",
    "María",
    "Søren",
    "Łukasz",
    "Agnieszka",
    "Nguyễn Văn",
    "Amélie",
    "Chloé",
    "Mohammed",
    "Fatima",
    "Ingrid",
    "Björn",
    "Giulia",
    "Marco",
    "Anaïs",
    "Jürgen",
    "Siobhán",
    "Aoife",
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
    "Dorottya",
    "Alexander",
    "Alex",
    "Elizabeth",
    "Liz",
    "Michael",
    "Mike",
    "Christopher",
    "Chris",
    "Samantha",
];
const FAMILY: &[&str] = &[
    "Doe",
    "Smith",
    "Martin",
    "Bernard",
    "Dubois",
    "Müller",
    "Schmidt",
    "García Márquez",
    "Fernández López",
    "van der Berg",
    "van Dijk",
    "de la Cruz",
    "da Silva",
    "dos Santos",
    "O'Brien",
    "McCarthy",
    "Nguyễn",
    "Kowalski",
    "Wiśniewska",
    "Jensen",
    "Øster",
    "Rossi",
    "Bianchi",
    "Lefèvre",
    "Håkansson",
    "Yılmaz",
    "Öztürk",
    "Tanaka",
    "Okafor",
    "Adeyemi",
    "Patel",
    "Sharma",
    "Chen",
    "Wang",
    "Virtanen",
    "Nagy",
    "Kovács",
    "Papadopoulos",
    "Ó Súilleabháin",
    "Gonçalves",
    "von Trapp",
    "Le Gall",
    "Saint-Exupéry",
    "Al-Farsi",
    "Ben Ali",
    "Hernández",
];
const CITIES: &[&str] = &[
    "Lyon, France",
    "Paris, France",
    "Berlin, Germany",
    "Madrid, Spain",
    "London, United Kingdom",
    "Lisbon, Portugal",
    "Warsaw, Poland",
    "Montréal, Canada",
    "New York, United States",
    "Lagos, Nigeria",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "proton.me",
    "yahoo.fr",
    "example.org",
    "mail.de",
];

/// One generated person (no id, no apply date yet).
pub fn generate(rng: &mut StdRng) -> Applicant {
    let first = GIVEN[rng.gen_range(0..GIVEN.len())].to_string();
    let last = FAMILY[rng.gen_range(0..FAMILY.len())].to_string();
    let n: u32 = rng.gen_range(1..100_000);
    let slug = ascii_slug(&format!("{first} {last}"));
    let email = if rng.gen_bool(0.9) {
        format!(
            "{}.{n}@{}",
            slug.replace('-', "."),
            DOMAINS[rng.gen_range(0..DOMAINS.len())]
        )
    } else {
        String::new()
    };
    let linkedin_url = if rng.gen_bool(0.3) {
        format!("https://www.linkedin.com/in/{slug}-{n:x}/")
    } else {
        String::new()
    };
    let location = if rng.gen_bool(0.8) {
        CITIES[rng.gen_range(0..CITIES.len())].to_string()
    } else {
        String::new()
    };
    Applicant {
        first_name: first,
        last_name: last,
        email,
        phone: format!(
            "+33 6 {:02} {:02} {:02} {:02}",
            n % 100,
            (n / 7) % 100,
            (n / 13) % 100,
            (n / 17) % 100
        ),
        linkedin_url,
        location,
        source: "Seed".into(),
        ..Applicant::default()
    }
}

/// The same word with one letter swapped with its neighbour.
pub fn typo(word: &str, rng: &mut StdRng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() >= 4 {
        let i = rng.gen_range(1..chars.len() - 1);
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

fn ascii_slug(s: &str) -> String {
    sourcebar_core::names::fold_name(s)
        .replace(' ', "-")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
