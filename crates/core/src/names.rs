//! People's names: cleaning what a page displays, splitting it into given and
//! family names, and folding it for comparison.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A name split for an ATS form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonName {
    /// Given name(s), middle names included.
    pub first: String,
    /// Family name, particles included ("van der Berg", "de la Cruz").
    pub last: String,
    /// The cleaned display name.
    pub full: String,
}

/// Particles that belong to the family name, lowercase, longest first.
const PARTICLES: &[&str] = &[
    "van der", "van den", "van de", "von der", "von dem", "de la", "de las", "de los", "de le",
    "van", "von", "der", "den", "de", "del", "della", "delle", "degli", "di", "da", "das", "do",
    "dos", "du", "des", "la", "le", "lo", "ter", "ten", "zu", "bin", "binti", "ibn", "al", "el",
    "af", "av", "mac", "st.",
];

/// Titles that come before a name and are not part of it.
const PREFIXES: &[&str] = &[
    "dr",
    "dr.",
    "prof",
    "prof.",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "mx",
    "mx.",
    "sir",
    "dame",
    "mme",
    "mme.",
    "mlle",
    "m.",
    "herr",
    "frau",
    "ing.",
    "dipl.-ing.",
];

/// Suffixes and credentials that come after a name (compared without dots).
const SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "phd", "ph.d", "md", "mba", "msc", "bsc", "ma", "ba", "cpa",
    "cfa", "pmp", "esq", "dds", "rn", "cissp", "shrm-cp", "shrm-scp", "phr", "sphr", "ccp", "frm",
    "acca", "peng", "p.eng", "meng", "llm", "jd", "dphil", "facs", "csm", "cpc", "dba", "edd",
    "psyd", "cma", "cipd", "mcipd", "chrp", "crhp",
];

/// Removes what is not the name: emoji and symbols, pronoun badges
/// (`(she/her)`), anything after a comma or a pipe (`, PhD`, `| Hiring`),
/// title prefixes and trailing credentials; collapses whitespace.
pub fn clean_display_name(raw: &str) -> String {
    let no_brackets = strip_bracketed(raw);
    let head = no_brackets.split([',', '|', '•', '·']).next().unwrap_or("");
    let kept: String = head
        .chars()
        .map(|c| if is_name_char(c) { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = kept.split_whitespace().collect();
    let titles = words
        .iter()
        .take(words.len().saturating_sub(1))
        .take_while(|w| PREFIXES.contains(&w.to_lowercase().as_str()))
        .count();
    words.drain(..titles);
    while words.len() > 1 && is_suffix(words[words.len() - 1]) {
        words.pop();
    }
    // A lone dash or apostrophe left behind by removed symbols is noise.
    words.retain(|w| w.chars().any(char::is_alphanumeric));
    words.join(" ")
}

/// Splits a displayed name into given and family names.
///
/// Middle names stay with the given name; particles ("van der", "de la")
/// start the family name; a single word is a given name only.
pub fn split_name(raw: &str) -> PersonName {
    let full = clean_display_name(raw);
    let words: Vec<&str> = full.split_whitespace().collect();
    let (first, last) = match words.len() {
        0 => (String::new(), String::new()),
        1 => (words[0].to_string(), String::new()),
        _ => {
            let start = family_name_start(&words);
            (words[..start].join(" "), words[start..].join(" "))
        }
    };
    PersonName { first, last, full }
}

/// Lowercase, diacritics removed, punctuation and hyphens turned into
/// spaces, whitespace collapsed: "José-María  O'Neil" → "jose maria o neil".
pub fn fold_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        let c = match c {
            'ß' => 's',
            'æ' => 'a',
            'ø' => 'o',
            'ł' => 'l',
            'đ' | 'ð' => 'd',
            'ı' => 'i',
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Longest text compared when matching, in characters: enough for any real
/// name, company or place, and it keeps every comparison's cost bounded.
pub const MAX_COMPARED_CHARS: usize = 128;

/// [`fold_name`] of at most the first [`MAX_COMPARED_CHARS`] characters, for
/// matching: similarity measures cost more than linear time, so they only
/// ever see bounded text.
pub fn fold_bounded(s: &str) -> String {
    let end = s
        .char_indices()
        .nth(MAX_COMPARED_CHARS)
        .map_or(s.len(), |(i, _)| i);
    fold_name(&s[..end])
}

/// Whether a folded word is a family-name particle (used when comparing).
pub fn is_particle(folded_word: &str) -> bool {
    PARTICLES
        .iter()
        .any(|p| !p.contains(' ') && *p == folded_word)
}

fn family_name_start(words: &[&str]) -> usize {
    // The earliest particle after the first word starts the family name, when
    // a word follows it. Each position compares at most a particle's words
    // (two), so this is linear in the number of words.
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    for i in 1..words.len() - 1 {
        let particle = PARTICLES.iter().find(|p| {
            let n = p.split(' ').count();
            i + n < words.len() && p.split(' ').zip(&lower[i..]).all(|(a, b)| a == b)
        });
        if particle.is_some() {
            return i;
        }
    }
    words.len() - 1
}

fn is_suffix(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    SUFFIXES
        .iter()
        .any(|s| s.trim_end_matches('.') == w || s.replace('.', "") == w.replace('.', ""))
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || matches!(c, '-' | '\'' | '’' | '.')
}

/// Drops "(she/her)", "[he/him]", "（…）", markup like "<img …>" and their contents.
fn strip_bracketed(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '(' | '[' | '{' | '（' | '<' => depth += 1,
            ')' | ']' | '}' | '）' | '>' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(raw: &str) -> (String, String) {
        let n = split_name(raw);
        (n.first, n.last)
    }

    #[test]
    fn badges_credentials_and_emoji_are_dropped() {
        assert_eq!(
            clean_display_name("Dr. Jane Smith-Jones, PhD 🚀 (she/her)"),
            "Jane Smith-Jones"
        );
        assert_eq!(clean_display_name("José Da Silva Jr."), "José Da Silva");
        assert_eq!(clean_display_name("Ana Pérez MBA, CFA"), "Ana Pérez");
        assert_eq!(clean_display_name("  Kim   Lee ✨ | Hiring!"), "Kim Lee");
        assert_eq!(clean_display_name("Léa Martin (elle/la)"), "Léa Martin");
        assert_eq!(clean_display_name("李 小龙"), "李 小龙");
        assert_eq!(
            clean_display_name("Eve <img src=x onerror=alert(1)> Adams"),
            "Eve Adams"
        );
    }

    #[test]
    fn middle_names_stay_with_the_given_name() {
        assert_eq!(split("Mary Ann Smith"), ("Mary Ann".into(), "Smith".into()));
        assert_eq!(split("Nguyễn Văn An"), ("Nguyễn Văn".into(), "An".into()));
    }

    #[test]
    fn particles_start_the_family_name() {
        assert_eq!(
            split("Ludwig van der Rohe"),
            ("Ludwig".into(), "van der Rohe".into())
        );
        assert_eq!(
            split("Juan de la Cruz"),
            ("Juan".into(), "de la Cruz".into())
        );
        assert_eq!(
            split("Jean-Claude Van Damme"),
            ("Jean-Claude".into(), "Van Damme".into())
        );
        assert_eq!(
            split("Ursula von der Leyen"),
            ("Ursula".into(), "von der Leyen".into())
        );
        assert_eq!(
            split("José Da Silva Jr."),
            ("José".into(), "Da Silva".into())
        );
    }

    #[test]
    fn a_particle_alone_at_the_end_is_a_name() {
        assert_eq!(split("Anna De"), ("Anna".into(), "De".into()));
    }

    #[test]
    fn one_word_is_a_given_name() {
        assert_eq!(split("Cher"), ("Cher".into(), String::new()));
        assert_eq!(split("🚀"), (String::new(), String::new()));
    }

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold_name("José-María  O'Neil"), "jose maria o neil");
        assert_eq!(fold_name("ŁUKASZ Straße"), "lukasz strase");
        assert_eq!(fold_name("Nguyễn"), "nguyen");
    }
}
