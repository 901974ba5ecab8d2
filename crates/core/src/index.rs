//! An in-memory index over mirrored candidates, so a dedupe query scores a
//! handful of candidates instead of scanning them all.
//!
//! Exact signals (email, LinkedIn id) are hash lookups. Names are found
//! through blocking keys, each stored as a 64-bit hash:
//! * for every pair of (given-name token, family-name token), the given
//!   name's first two letters with the family name's first four minus one
//!   letter, or its last three, so one typo, swapped order or a nickname
//!   still meet in some key;
//! * the family name's first four letters with the city, for a query whose
//!   given name is missing, misspelt in its first letters or another one
//!   altogether;
//! * the given name with the city, for a query whose family name is missing
//!   or changed.
//!
//! A multi-word family name is also keyed joined ("van damme" and
//! "vandamme"). Keys with the city are read only while their bucket is small
//! enough to tell people apart, so common names in big cities cost nothing.
//! The index also counts how common each given name, family name and city
//! is, for the term-frequency weights of scoring.

use crate::email::canonical_email_for_matching;
use crate::matching::{
    city, folded_parts, profile_folded, score_folded, DedupeMatch, Folded, Frequencies, Reason,
    MAX_MATCHES,
};
use crate::names::fold_bounded;
use crate::nicknames::canonical_given_names;
use crate::profile_url::linkedin_public_id;
use crate::{Candidate, Profile};
use std::collections::{HashMap, HashSet};

type Slot = u32;

/// A slot number for the next entry. The index holds far fewer than 2^32
/// candidates (about 1 KB each in memory); more is a bug, not an input.
fn slot_of(len: usize) -> Slot {
    Slot::try_from(len).expect("fewer than 2^32 candidates in one index")
}

/// A connection's number. A team has a handful of connections; 65,536 is a bug.
fn connection_number(position: usize) -> u16 {
    u16::try_from(position).expect("fewer than 65,536 connections in one index")
}

/// Keys with the city, and given-name tails, are skipped when they hold
/// more candidates than this: such a bucket ("John in London") cannot
/// single anybody out.
const MAX_PLACE_BUCKET: usize = 300;

/// At most this many candidates of the name buckets are scored, the closest
/// by a cheap comparison of the folded names.
const MAX_SCORED: usize = 300;

/// How many candidates' worth of typical frequencies smooth the counted
/// ones, so a small index does not make every name look common.
const PRIOR_CANDIDATES: f64 = 1000.0;

struct Entry {
    connection: u16,
    candidate: Candidate,
    extra_urls: Vec<String>,
    /// Folded given name, family name without and with particles, kept to
    /// filter cheaply before scoring.
    folded: Folded,
    /// Hash of the folded city, 0 when unknown.
    city: u64,
}

/// The slots under one key; most keys hold a single candidate, kept inline.
enum Postings {
    One(Slot),
    Many(Vec<Slot>),
}

impl Postings {
    fn push(&mut self, slot: Slot) {
        match self {
            Postings::One(s) => *self = Postings::Many(vec![*s, slot]),
            Postings::Many(v) => v.push(slot),
        }
    }

    /// Removes `slot`; true when nothing is left.
    fn remove(&mut self, slot: Slot) -> bool {
        match self {
            Postings::One(s) => *s == slot,
            Postings::Many(v) => {
                v.retain(|s| *s != slot);
                if let [only] = v.as_slice() {
                    *self = Postings::One(*only);
                }
                v_is_empty(self)
            }
        }
    }

    fn slots(&self) -> &[Slot] {
        match self {
            Postings::One(s) => std::slice::from_ref(s),
            Postings::Many(v) => v,
        }
    }
}

fn v_is_empty(p: &Postings) -> bool {
    matches!(p, Postings::Many(v) if v.is_empty())
}

/// Candidates of one or more connections, indexed for dedupe.
#[derive(Default)]
pub struct MatchIndex {
    connections: Vec<String>,
    entries: Vec<Option<Entry>>,
    free: Vec<Slot>,
    by_id: HashMap<(u16, String), Slot>,
    by_email: HashMap<String, Vec<Slot>>,
    by_url: HashMap<String, Vec<Slot>>,
    by_name: HashMap<u64, Postings>,
    /// How many candidates have each given name, family name and city.
    given_count: HashMap<u64, u32>,
    family_count: HashMap<u64, u32>,
    city_count: HashMap<u64, u32>,
}

impl MatchIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many candidates it holds.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Adds or replaces a candidate (by connection and ATS id).
    pub fn insert(&mut self, connection_id: &str, candidate: Candidate) {
        let conn = self.connection(connection_id);
        let extra = match self.by_id.get(&(conn, candidate.id.clone())).copied() {
            Some(slot) => self.unlink(slot).map(|e| e.extra_urls).unwrap_or_default(),
            None => Vec::new(),
        };
        let folded = Folded::new(&candidate.first_name, &candidate.last_name);
        let city = city_hash(candidate.location.as_deref());
        let entry = Entry {
            connection: conn,
            candidate,
            extra_urls: extra,
            folded,
            city,
        };
        let slot = if let Some(slot) = self.free.pop() {
            slot
        } else {
            self.entries.push(None);
            slot_of(self.entries.len() - 1)
        };
        self.link(slot, entry);
    }

    /// Removes a candidate; nothing happens when it is unknown.
    pub fn remove(&mut self, connection_id: &str, candidate_id: &str) {
        let Some(conn) = self.connections.iter().position(|c| c == connection_id) else {
            return;
        };
        if let Some(slot) = self
            .by_id
            .get(&(connection_number(conn), candidate_id.to_string()))
            .copied()
        {
            self.unlink(slot);
            self.free.push(slot);
        }
    }

    /// Records a LinkedIn URL attached to a candidate outside its record.
    pub fn attach_profile_url(&mut self, connection_id: &str, candidate_id: &str, url: &str) {
        let Some(conn) = self.connections.iter().position(|c| c == connection_id) else {
            return;
        };
        let Some(slot) = self
            .by_id
            .get(&(connection_number(conn), candidate_id.to_string()))
            .copied()
        else {
            return;
        };
        let Some(id) = linkedin_public_id(url) else {
            return;
        };
        if let Some(entry) = self.entries[slot as usize].as_mut() {
            if !entry
                .extra_urls
                .iter()
                .any(|u| linkedin_public_id(u).as_deref() == Some(&id))
            {
                entry.extra_urls.push(url.to_string());
                self.by_url.entry(id).or_default().push(slot);
            }
        }
    }

    /// The best matches for `profile`, ranked, at most `limit`.
    pub fn query(&self, profile: &Profile, limit: usize) -> Vec<DedupeMatch> {
        let mut certain: HashSet<Slot> = HashSet::new();
        for email in profile
            .emails
            .iter()
            .take(crate::profile::MAX_CONTACTS)
            .filter_map(|e| canonical_email_for_matching(e))
        {
            certain.extend(self.by_email.get(&email).into_iter().flatten());
        }
        if let Some(id) = profile.profile_url.as_deref().and_then(linkedin_public_id) {
            certain.extend(self.by_url.get(&id).into_iter().flatten());
        }
        let (first, last) = query_names(profile);
        // Family names compare with and without particles, as in scoring.
        let raw_last = profile
            .last_name
            .as_deref()
            .map_or_else(|| last.clone(), fold_bounded);
        let place = city_hash(profile.location.as_deref());
        let mut named: HashSet<Slot> = HashSet::new();
        for key in pair_keys(&first, &last, &raw_last)
            .into_iter()
            .chain(pair_keys(&last, &first, &first))
        {
            named.extend(self.by_name.get(&key).into_iter().flat_map(Postings::slots));
        }
        // The given name with the city is read only for a query with one
        // name part: then it is all there is.
        let lone = first.is_empty() || last.is_empty();
        for key in place_keys(&first, &last, &raw_last, place, lone)
            .into_iter()
            .chain(place_keys(&last, &first, &first, place, lone))
            .chain(tail_keys(&first, &last, &raw_last))
            .chain(tail_keys(&last, &first, &first))
        {
            if let Some(postings) = self.by_name.get(&key) {
                if postings.slots().len() <= MAX_PLACE_BUCKET {
                    named.extend(postings.slots());
                }
            }
        }
        // Most of a blocking bucket is somebody else: a cheap comparison on
        // pre-folded names keeps scoring to the plausible few.
        let jw = strsim::jaro_winkler;
        // How plausible a bucket's candidate is, from the folded names:
        // `None` when it is somebody else.
        let plausible = |slot: Slot| -> Option<(f64, Slot)> {
            let e = self.entries[slot as usize].as_ref()?;
            let (cf, cl, raw_cl) = (&e.folded.given, &e.folded.family, e.folded.raw_family());
            let here = place != 0 && e.city == place;
            let mut family = jw(&last, cl);
            if family < 0.80 && raw_cl != cl.as_str() {
                family = family.max(jw(&raw_last, raw_cl));
            }
            if family < 0.80 {
                family = family.max(jw(&last, cf).min(jw(&first, cl)));
            }
            let given = jw(&first, cf);
            // A missing family name: the given name and the place must agree.
            let given_here = lone && here && given.max(jw(&last, cf)) >= 0.85;
            (family >= 0.80 || given_here).then(|| {
                let closeness = 0.6 * family + 0.4 * given;
                (closeness + if here { 0.1 } else { 0.0 }, slot)
            })
        };
        let mut close: Vec<(f64, Slot)> = named.into_iter().filter_map(plausible).collect();
        // Common names fill buckets with thousands of near-twins that no
        // ranking can tell apart: score only the closest few.
        if close.len() > MAX_SCORED {
            close.select_nth_unstable_by(MAX_SCORED, |a, b| b.0.total_cmp(&a.0));
            close.truncate(MAX_SCORED);
        }
        let mut slots: HashSet<Slot> = close.into_iter().map(|(_, slot)| slot).collect();
        slots.extend(certain);
        let query = profile_folded(profile);
        let known = query.as_ref().map_or((false, false), |q| {
            (self.is_known_name(&q.given), self.is_known_name(&q.family))
        });
        let mut scored: Vec<(f64, Vec<Reason>, &Entry)> = slots
            .into_iter()
            .filter_map(|slot| {
                let entry = self.entries[slot as usize].as_ref()?;
                let same_city = (place != 0 && entry.city != 0).then_some(place == entry.city);
                let (score, reasons) = score_folded(
                    profile,
                    query.as_ref(),
                    &entry.candidate,
                    &entry.folded,
                    &entry.extra_urls,
                    &self.frequencies(entry, known),
                    same_city,
                )?;
                Some((score, reasons, entry))
            })
            .collect();
        // Best first as `rank` orders them; only the kept few are copied.
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.2.candidate.id.cmp(&b.2.candidate.id))
        });
        scored
            .into_iter()
            .take(limit.min(MAX_MATCHES))
            .map(|(score, reasons, entry)| DedupeMatch {
                connection_id: self.connections[entry.connection as usize].clone(),
                candidate: entry.candidate.clone(),
                score,
                reasons,
                ..DedupeMatch::default()
            })
            .collect()
    }

    /// Whether the first word of a folded name part is some candidate's
    /// given or family name.
    fn is_known_name(&self, folded: &str) -> bool {
        !folded.is_empty()
            && (self.given_count.contains_key(&given_hash(folded))
                || self.family_count.contains_key(&hash1(folded)))
    }

    /// How common this candidate's given name, family name and city are,
    /// smoothed towards typical figures while the index is small, and
    /// (`known`) whether the query's given and family names are real names.
    fn frequencies(&self, entry: &Entry, known: (bool, bool)) -> Frequencies {
        let typical = Frequencies::default();
        #[allow(
            clippy::cast_precision_loss,
            reason = "a count of candidates stays far below 2^52"
        )]
        let n = self.len() as f64;
        let share = |count: Option<&u32>, prior: f64| {
            (f64::from(count.copied().unwrap_or(0)) + PRIOR_CANDIDATES * prior)
                / (n + PRIOR_CANDIDATES)
        };
        let (cf, cl) = (&entry.folded.given, &entry.folded.family);
        Frequencies {
            given: share(self.given_count.get(&given_hash(cf)), typical.given),
            family: share(self.family_count.get(&hash1(cl)), typical.family),
            city: if entry.city == 0 {
                typical.city
            } else {
                share(self.city_count.get(&entry.city), typical.city)
            },
            query_given_known: known.0,
            query_family_known: known.1,
        }
    }

    fn connection(&mut self, id: &str) -> u16 {
        if let Some(i) = self.connections.iter().position(|c| c == id) {
            connection_number(i)
        } else {
            self.connections.push(id.to_string());
            connection_number(self.connections.len() - 1)
        }
    }

    fn link(&mut self, slot: Slot, entry: Entry) {
        let c = &entry.candidate;
        if let Some(email) = c.email.as_deref().and_then(canonical_email_for_matching) {
            self.by_email.entry(email).or_default().push(slot);
        }
        for url in c.profile_url.iter().chain(&entry.extra_urls) {
            if let Some(id) = linkedin_public_id(url) {
                self.by_url.entry(id).or_default().push(slot);
            }
        }
        for key in entry_keys(&entry) {
            match self.by_name.get_mut(&key) {
                Some(postings) => postings.push(slot),
                None => {
                    self.by_name.insert(key, Postings::One(slot));
                }
            }
        }
        for (map, key) in count_keys(&entry) {
            *self.counts(map).entry(key).or_insert(0) += 1;
        }
        self.by_id.insert((entry.connection, c.id.clone()), slot);
        self.entries[slot as usize] = Some(entry);
    }

    fn unlink(&mut self, slot: Slot) -> Option<Entry> {
        let entry = self.entries[slot as usize].take()?;
        let c = &entry.candidate;
        let drop_from = |map: &mut HashMap<String, Vec<Slot>>, key: String| {
            if let Some(list) = map.get_mut(&key) {
                list.retain(|s| *s != slot);
                if list.is_empty() {
                    map.remove(&key);
                }
            }
        };
        if let Some(email) = c.email.as_deref().and_then(canonical_email_for_matching) {
            drop_from(&mut self.by_email, email);
        }
        for url in c.profile_url.iter().chain(&entry.extra_urls) {
            if let Some(id) = linkedin_public_id(url) {
                drop_from(&mut self.by_url, id);
            }
        }
        for key in entry_keys(&entry) {
            if self
                .by_name
                .get_mut(&key)
                .is_some_and(|postings| postings.remove(slot))
            {
                self.by_name.remove(&key);
            }
        }
        for (map, key) in count_keys(&entry) {
            let counts = self.counts(map);
            if let Some(count) = counts.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(&key);
                }
            }
        }
        self.by_id.remove(&(entry.connection, c.id.clone()));
        Some(entry)
    }

    fn counts(&mut self, which: Count) -> &mut HashMap<u64, u32> {
        match which {
            Count::Given => &mut self.given_count,
            Count::Family => &mut self.family_count,
            Count::City => &mut self.city_count,
        }
    }
}

#[derive(Clone, Copy)]
enum Count {
    Given,
    Family,
    City,
}

/// The frequency counters an entry adds to.
fn count_keys(entry: &Entry) -> Vec<(Count, u64)> {
    let (cf, cl) = (&entry.folded.given, &entry.folded.family);
    let mut keys = Vec::with_capacity(3);
    if !cf.is_empty() {
        keys.push((Count::Given, given_hash(cf)));
    }
    if !cl.is_empty() {
        keys.push((Count::Family, hash1(cl)));
    }
    if entry.city != 0 {
        keys.push((Count::City, entry.city));
    }
    keys
}

/// Every blocking key of an entry.
fn entry_keys(entry: &Entry) -> Vec<u64> {
    let (first, last, raw_last) = (
        &entry.folded.given,
        &entry.folded.family,
        entry.folded.raw_family(),
    );
    let mut keys = pair_keys(first, last, raw_last);
    keys.extend(tail_keys(first, last, raw_last));
    keys.extend(place_keys(first, last, raw_last, entry.city, true));
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn query_names(profile: &Profile) -> (String, String) {
    profile
        .name_parts()
        .map(|(first, last)| folded_parts(&first, &last))
        .unwrap_or_default()
}

/// 64-bit FNV-1a of a tag and two strings: keys are stored as hashes, so
/// an index entry costs eight bytes a key instead of a string. A rare
/// collision only adds a candidate to the filter before scoring.
fn key_hash(tag: u8, a: &str, b: &[u8]) -> u64 {
    std::iter::once(tag)
        .chain(a.bytes())
        .chain(std::iter::once(0xff))
        .chain(b.iter().copied())
        .fold(0xcbf2_9ce4_8422_2325, |h, byte| {
            (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

fn hash1(s: &str) -> u64 {
    key_hash(0, s, &[])
}

fn given_hash(folded_given: &str) -> u64 {
    hash1(folded_given.split(' ').next().unwrap_or(""))
}

fn city_hash(location: Option<&str>) -> u64 {
    city(location)
        .map(fold_bounded)
        .filter(|c| !c.is_empty())
        .map_or(0, |c| key_hash(9, &c, &[]))
}

/// The family name's first four letters, whole and with each one left out:
/// one typo (a swap, a wrong, missing or extra letter) still shares one.
fn head_variants(family: &str) -> Vec<String> {
    let head: Vec<char> = family.chars().take(4).collect();
    let mut variants = vec![head.iter().collect::<String>()];
    for skip in 0..head.len() {
        variants.push(
            head.iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect(),
        );
    }
    variants
}

/// The family name's words worth keying: those of two letters or more, and
/// the whole name joined when it has several ("van damme" → "vandamme").
fn family_words(last: &str, raw_last: &str) -> Vec<String> {
    let mut words: Vec<String> = last
        .split(' ')
        .filter(|t| t.chars().count() >= 2)
        .map(String::from)
        .collect();
    if raw_last.contains(' ') {
        words.push(raw_last.replace(' ', ""));
    }
    words
}

/// Given names worth keying: every word, and the formal name of the first.
fn given_words(first: &str) -> Vec<String> {
    let mut givens: Vec<String> = first
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    if let Some(g) = givens.first() {
        givens.extend(canonical_given_names(g).into_iter().map(String::from));
    }
    givens
}

/// Keys for a (given, family) pair of folded names (a bounded number of
/// words each, see `folded_parts`).
fn pair_keys(first: &str, last: &str, raw_last: &str) -> Vec<u64> {
    let families = family_words(last, raw_last);
    let mut keys = Vec::new();
    for g in given_words(first) {
        let g2: String = g.chars().take(2).collect();
        for f in &families {
            for variant in head_variants(f) {
                keys.push(key_hash(1, &g2, variant.as_bytes()));
            }
            let chars: Vec<char> = f.chars().collect();
            let tail: String = chars[chars.len().saturating_sub(3)..].iter().collect();
            keys.push(key_hash(2, &g2, tail.as_bytes()));
        }
    }
    keys
}

/// The given name's last three letters with the family name's first four,
/// whole and less a letter: a typo in the given name's first letters
/// ("ilam", "jmaes"), even with another in the family name ("swmuel
/// jokhnson"), still meets its record. A query reads these only while
/// their bucket is small (see `MAX_PLACE_BUCKET`): a common name's bucket
/// holds thousands of twins no ranking can tell apart.
fn tail_keys(first: &str, last: &str, raw_last: &str) -> Vec<u64> {
    let families = family_words(last, raw_last);
    let mut keys = Vec::new();
    for g in given_words(first) {
        let chars: Vec<char> = g.chars().collect();
        if chars.len() < 4 {
            continue;
        }
        let tail: String = chars[chars.len() - 3..].iter().collect();
        for f in &families {
            for variant in head_variants(f) {
                keys.push(key_hash(5, &tail, variant.as_bytes()));
            }
        }
    }
    keys
}

/// Keys with the city: the family name's head variants, and (`with_given`)
/// the given name.
fn place_keys(first: &str, last: &str, raw_last: &str, place: u64, with_given: bool) -> Vec<u64> {
    if place == 0 {
        return Vec::new();
    }
    let place = place.to_le_bytes();
    let mut keys = Vec::new();
    // The whole head only: a typo in it as well as a missing or mistyped
    // given name is rare, and each key here costs a million entries.
    for f in family_words(last, raw_last) {
        let head: String = f.chars().take(4).collect();
        keys.push(key_hash(3, &head, &place));
    }
    if let Some(g) = first.split(' ').find(|t| with_given && !t.is_empty()) {
        keys.push(key_hash(4, g, &place));
        for formal in canonical_given_names(g) {
            keys.push(key_hash(4, formal, &place));
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, first: &str, last: &str, email: Option<&str>) -> Candidate {
        Candidate {
            id: id.into(),
            first_name: first.into(),
            last_name: last.into(),
            email: email.map(String::from),
            ..Candidate::default()
        }
    }

    fn p(first: &str, last: &str) -> Profile {
        Profile {
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..Profile::default()
        }
    }

    #[test]
    fn finds_by_email_url_typo_and_nickname_and_forgets_removed() {
        let mut index = MatchIndex::new();
        index.insert("conn", c("1", "William", "Gates", Some("bill@ms.com")));
        index.insert("conn", c("2", "John", "Smith", None));
        index.insert("conn", c("3", "Jane", "Doe", None));
        index.insert("other", c("1", "Jane", "Doe", None));
        assert_eq!(index.len(), 4);

        let mut by_email = p("Someone", "Else");
        by_email.emails = vec!["Bill@MS.com".into()];
        assert_eq!(index.query(&by_email, 10)[0].candidate.id, "1");
        assert_eq!(index.query(&p("Bill", "Gates"), 10)[0].candidate.id, "1");
        assert_eq!(index.query(&p("Jon", "Smtih"), 10)[0].candidate.id, "2");
        assert_eq!(index.query(&p("Doe", "Jane"), 10).len(), 2);
        index.insert("conn", c("4", "William", "Van der Berg", None));
        index.insert("conn", c("5", "Sam", "Onne", None));
        assert_eq!(index.query(&p("Sam", "One"), 10)[0].candidate.id, "5");
        assert_eq!(index.query(&p("Sam", "Onnne"), 10)[0].candidate.id, "5");
        index.remove("conn", "5");
        let typo_in_particle = index.query(&p("Bill", "Vandr Berg"), 10);
        assert_eq!(
            typo_in_particle.first().map(|m| m.candidate.id.as_str()),
            Some("4")
        );
        index.remove("conn", "4");

        index.attach_profile_url("conn", "3", "https://www.linkedin.com/in/jane-doe-42/");
        let mut by_url = p("J", "D");
        by_url.profile_url = Some("https://fr.linkedin.com/in/Jane-Doe-42".into());
        let found = index.query(&by_url, 10);
        assert_eq!(
            (
                found[0].connection_id.as_str(),
                found[0].candidate.id.as_str()
            ),
            ("conn", "3")
        );

        index.remove("conn", "3");
        assert!(index.query(&by_url, 10).is_empty());
        assert_eq!(index.query(&p("Jane", "Doe"), 10).len(), 1);
        // Re-inserting the same id replaces, never duplicates.
        index.insert("conn", c("2", "John", "Smith", Some("js@x.io")));
        assert_eq!(index.len(), 3);
        assert_eq!(index.query(&p("John", "Smith"), 10).len(), 1);
    }

    fn placed(id: &str, first: &str, last: &str, city: &str) -> Candidate {
        Candidate {
            location: Some(format!("{city}, Ireland")),
            ..c(id, first, last, None)
        }
    }

    fn asked(first: &str, last: &str, city: &str) -> Profile {
        Profile {
            location: Some(format!("{city}, Ireland")),
            ..p(first, last)
        }
    }

    #[test]
    fn a_missing_misspelt_or_joined_name_part_still_meets_its_record() {
        let mut index = MatchIndex::new();
        index.insert("conn", placed("1", "Siobhan", "Satterley", "Galway"));
        index.insert("conn", placed("2", "Liam", "Fitzgerald", "Cork"));
        index.insert("conn", placed("3", "Jean", "Van Damme", "Dublin"));
        index.insert("conn", placed("4", "Liam", "Murphy", "Galway"));
        let top = |q: Profile| index.query(&q, 10).first().map(|m| m.candidate.id.clone());
        // No given name: the family name and the city.
        assert_eq!(top(asked("", "Satterley", "Galway")).as_deref(), Some("1"));
        // A typo in the given name's first letters.
        assert_eq!(
            top(asked("Ilam", "Fitzgerald", "Cork")).as_deref(),
            Some("2")
        );
        // Joined, and split.
        assert_eq!(
            top(asked("Jean", "Vandamme", "Dublin")).as_deref(),
            Some("3")
        );
        assert_eq!(
            top(asked("Siobhan", "Satte Rley", "Galway")).as_deref(),
            Some("1")
        );
        // Another given name with the same family name and city is somebody else.
        assert_eq!(top(asked("Aoife", "Satterley", "Galway")), None);
    }

    #[test]
    fn a_typo_in_the_given_names_first_letters_and_one_in_the_family_name_still_meet() {
        // Miss kind "two_corruptions": neither the given name's first two
        // letters nor the family name's first four survive; the given
        // name's end and a family head less a letter do.
        let mut index = MatchIndex::new();
        index.insert("conn", placed("1", "Samuel", "Johnson", "London"));
        index.insert("conn", placed("2", "Amanda", "Smith", "Cork"));
        let top = |q: Profile| index.query(&q, 10).first().map(|m| m.candidate.id.clone());
        assert_eq!(
            top(asked("Swmuel", "Jokhnson", "London")).as_deref(),
            Some("1")
        );
        assert_eq!(top(asked("Afmanda", "Smih", "Cork")).as_deref(), Some("2"));
    }

    #[test]
    fn a_short_family_name_joined_to_more_letters_still_meets_its_record() {
        // Miss kind "split_or_joined" for a short name ("Lee" + "lu").
        let mut index = MatchIndex::new();
        index.insert("conn", placed("1", "Jennifer", "Lee", "Dublin"));
        let found = index.query(&asked("Jennifer", "Leelu", "Dublin"), 10);
        assert_eq!(found.first().map(|m| m.candidate.id.as_str()), Some("1"));
    }

    #[test]
    fn a_near_name_that_is_itself_a_known_name_is_somebody_else() {
        let mut index = MatchIndex::new();
        index.insert("conn", placed("1", "Rahul", "Kumar", "Galway"));
        assert_eq!(
            index.query(&asked("Rahul", "Lumar", "Galway"), 10).len(),
            1,
            "an unknown near name is a typo"
        );
        // Once a "Lumar" is indexed, "Rahul Lumar" is not "Rahul Kumar".
        index.insert("conn", placed("2", "Aoife", "Lumar", "Cork"));
        let found = index.query(&asked("Rahul", "Lumar", "Galway"), 10);
        assert!(found.iter().all(|m| m.candidate.id != "1"), "{found:?}");
    }
}
