//! A generator of realistic international people: diacritics, particles,
//! double surnames, nicknames, typos, people with several records.

use super::{LinkKind, Model, Person, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

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

const TITLES: &[&str] = &[
    "Software Engineer",
    "Data Scientist",
    "Product Manager",
    "Recruiter",
    "Designer",
    "Engineering Manager",
    "Sales Executive",
];
const COMPANIES: &[&str] = &[
    "Nova", "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay",
];

impl Model {
    /// Adds `n` generated people (deterministic for a given `seed`), some on
    /// an open job, a few with two records (one with a typo in the name).
    pub fn generate(&mut self, n: usize, seed: u64) {
        let mut rng = StdRng::seed_from_u64(seed);
        let open_jobs: Vec<_> = self
            .jobs()
            .iter()
            .filter(|j| j.status == super::JobStatus::Open)
            .map(|j| j.id)
            .collect();
        let mut made = 0;
        while made < n {
            let person = generate(&mut rng);
            // Some people applied more than once: several records, one person.
            let records = if rng.gen_bool(0.06) { 2 } else { 1 };
            for r in 0..records.min(n - made) {
                let mut p = person.clone().created(random_day(&mut rng));
                if r == 1 && rng.gen_bool(0.5) {
                    // A near-duplicate: a typo in the re-application.
                    p.last_name = typo(&p.last_name, &mut rng);
                }
                let job = rng
                    .gen_bool(0.4)
                    .then(|| open_jobs[rng.gen_range(0..open_jobs.len())]);
                let at = p.created_at.clone();
                let id = self.add_person(p);
                if let Some(job) = job {
                    self.apply(id, job, at);
                }
                made += 1;
            }
        }
    }
}

fn random_day(rng: &mut StdRng) -> Timestamp {
    let year = rng.gen_range(2016..=2025);
    let month = rng.gen_range(1..=12);
    let day = rng.gen_range(1..=28);
    Timestamp::at_day(&format!("{year:04}-{month:02}-{day:02}"))
}

/// One generated person (no id; created now).
fn generate(rng: &mut StdRng) -> Person {
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
    let phone = format!(
        "+33 6 {:02} {:02} {:02} {:02}",
        n % 100,
        (n / 7) % 100,
        (n / 13) % 100,
        (n / 17) % 100
    );
    let mut person = Person::new(&first, &last)
        .with_email(&email)
        .with_phone(&phone)
        .with_link(&linkedin_url, LinkKind::LinkedIn);
    person.location = location;
    // Taken from `n`, not from `rng`, so the sequence of people stays the same.
    let n = usize::try_from(n).unwrap_or_default();
    person.title = TITLES[n % TITLES.len()].into();
    person.company = COMPANIES[n / 7 % COMPANIES.len()].into();
    person.source = "Seed".into();
    person
}

/// The same word with one letter swapped with its neighbour.
fn typo(word: &str, rng: &mut StdRng) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(model: &Model) -> Vec<(String, String, String)> {
        model
            .people()
            .iter()
            .map(|p| {
                (
                    p.first_name.clone(),
                    p.last_name.clone(),
                    p.email().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn the_same_seed_makes_the_same_people() {
        let (mut a, mut b, mut c) = (Model::new(), Model::new(), Model::new());
        a.generate(50, 7);
        b.generate(50, 7);
        c.generate(50, 8);
        assert_eq!(a.people().len(), 50);
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&c));
    }

    #[test]
    fn generated_people_apply_to_open_jobs_only() {
        let mut model = Model::new();
        model.generate(200, 1);
        assert!(!model.applications().is_empty());
        assert!(model
            .applications()
            .iter()
            .all(|a| { model.job(a.job).unwrap().status == crate::model::JobStatus::Open }));
    }

    #[test]
    fn a_typo_swaps_two_inner_letters() {
        let mut rng = StdRng::seed_from_u64(3);
        let t = typo("Martin", &mut rng);
        assert_ne!(t, "Martin");
        assert_eq!(t.len(), 6);
        assert!(t.starts_with('M'));
    }
}
