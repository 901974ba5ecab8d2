//! An in-memory index over mirrored candidates, so a dedupe query scores a
//! handful of candidates instead of scanning them all.
//!
//! Exact signals (email, LinkedIn id) are hash lookups. Names are found
//! through blocking keys: for every pair of (given-name token, family-name
//! token), the given name's first two letters with the family name's first
//! four minus one letter, or its last three, so one typo, swapped order or a
//! nickname still meet in some key.

use crate::email::canonical_email_for_matching;
use crate::matching::{folded_parts, rank, score_candidate, DedupeMatch};
use crate::names::fold_name;
use crate::nicknames::canonical_given_names;
use crate::profile_url::linkedin_public_id;
use crate::{Candidate, Profile};
use std::collections::{HashMap, HashSet};

type Slot = u32;

struct Entry {
    connection: u16,
    candidate: Candidate,
    extra_urls: Vec<String>,
    /// Folded given and family names, kept to filter cheaply before scoring.
    folded: (String, String, String),
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
    by_name: HashMap<String, Vec<Slot>>,
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
        let (first, last) = folded_parts(&candidate.first_name, &candidate.last_name);
        let folded = (first, last, fold_name(&candidate.last_name));
        let entry = Entry {
            connection: conn,
            candidate,
            extra_urls: extra,
            folded,
        };
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.entries.push(None);
                (self.entries.len() - 1) as Slot
            }
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
            .get(&(conn as u16, candidate_id.to_string()))
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
            .get(&(conn as u16, candidate_id.to_string()))
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
            .map(fold_name)
            .unwrap_or_else(|| last.clone());
        let mut named: HashSet<Slot> = HashSet::new();
        for key in name_keys(&first, &last)
            .into_iter()
            .chain(name_keys(&last, &first))
        {
            named.extend(self.by_name.get(&key).into_iter().flatten());
        }
        // Most of a blocking bucket is somebody else: a cheap family-name
        // comparison on pre-folded names keeps scoring to the plausible few.
        let close = |slot: &Slot| {
            self.entries[*slot as usize].as_ref().is_some_and(|e| {
                let (cf, cl, raw_cl) = &e.folded;
                let straight =
                    strsim::jaro_winkler(&last, cl).max(strsim::jaro_winkler(&raw_last, raw_cl));
                let swapped = strsim::jaro_winkler(&last, cf).min(strsim::jaro_winkler(&first, cl));
                straight.max(swapped) >= 0.80
            })
        };
        let mut slots: HashSet<Slot> = named.into_iter().filter(|s| close(s)).collect();
        slots.extend(certain);
        let matches = slots
            .into_iter()
            .filter_map(|slot| {
                let entry = self.entries[slot as usize].as_ref()?;
                let (score, reasons) =
                    score_candidate(profile, &entry.candidate, &entry.extra_urls)?;
                Some(DedupeMatch {
                    connection_id: self.connections[entry.connection as usize].clone(),
                    candidate: entry.candidate.clone(),
                    score,
                    reasons,
                })
            })
            .collect();
        let mut ranked = rank(matches);
        ranked.truncate(limit);
        ranked
    }

    fn connection(&mut self, id: &str) -> u16 {
        match self.connections.iter().position(|c| c == id) {
            Some(i) => i as u16,
            None => {
                self.connections.push(id.to_string());
                (self.connections.len() - 1) as u16
            }
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
        let (first, last) = folded_parts(&c.first_name, &c.last_name);
        for key in name_keys(&first, &last) {
            self.by_name.entry(key).or_default().push(slot);
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
        let (first, last) = folded_parts(&c.first_name, &c.last_name);
        for key in name_keys(&first, &last) {
            drop_from(&mut self.by_name, key);
        }
        self.by_id.remove(&(entry.connection, c.id.clone()));
        Some(entry)
    }
}

fn query_names(profile: &Profile) -> (String, String) {
    match (&profile.first_name, &profile.last_name) {
        (Some(f), Some(l)) => folded_parts(f, l),
        _ => {
            let split = crate::names::split_name(profile.full_name.as_deref().unwrap_or_default());
            folded_parts(&split.first, &split.last)
        }
    }
}

/// Blocking keys for a (given, family) pair of folded names.
fn name_keys(first: &str, last: &str) -> Vec<String> {
    let mut givens: Vec<String> = first
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    if let Some(g) = givens.first() {
        givens.extend(canonical_given_names(g).into_iter().map(String::from));
    }
    let families: Vec<&str> = last.split(' ').filter(|t| t.chars().count() >= 2).collect();
    let mut keys = Vec::new();
    for g in &givens {
        let g2: String = g.chars().take(2).collect();
        for f in &families {
            let chars: Vec<char> = f.chars().collect();
            let head: Vec<char> = chars.iter().take(4).copied().collect();
            let tail: String = chars[chars.len().saturating_sub(3)..].iter().collect();
            // The family name's first four letters, whole and with one left
            // out: one typo (a swap, a wrong, missing or extra letter) still
            // shares a key ("one" ~ "onne", "smith" ~ "smtih").
            keys.push(format!("{g2}|{}", head.iter().collect::<String>()));
            for skip in 0..head.len() {
                let key: String = head
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, c)| c)
                    .collect();
                keys.push(format!("{g2}|{key}"));
            }
            keys.push(format!("{g2}|~{tail}"));
        }
    }
    keys.sort();
    keys.dedup();
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
}
