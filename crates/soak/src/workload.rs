//! What the soak sends: uploads of distinct new people and merges onto
//! seeded candidates, each with its own Idempotency-Key and a marker the
//! sandbox's view can be searched for.

use serde_json::{json, Value};

/// Given names the uploaded people get (family names carry the uniqueness).
const GIVEN: [&str; 12] = [
    "Ava", "Noah", "Lina", "Omar", "Chloe", "Hugo", "Maya", "Ivan", "Zoe", "Luc", "Nina", "Theo",
];

/// One upload of a new person.
#[derive(Debug, Clone)]
pub struct UploadOp {
    pub key: String,
    pub email: String,
    pub body: Value,
}

/// One merge onto a seeded candidate; its note carries `marker`.
#[derive(Debug, Clone)]
pub struct MergeOp {
    pub key: String,
    pub seed: usize,
    /// The seeded candidate's ATS id (the merge's path).
    pub target: String,
    pub marker: String,
    pub body: Value,
}

/// An operation, in the order clients pick them up.
#[derive(Debug, Clone)]
pub enum Op {
    Upload(UploadOp),
    Merge(MergeOp),
}

/// A candidate the sandbox starts with, that merges target.
#[derive(Debug, Clone)]
pub struct Seed {
    pub id: String,
    pub email: String,
}

/// Every operation of one run, and the seeds they need.
pub struct Plan {
    pub ops: Vec<Op>,
    pub seeds: Vec<Seed>,
    seed_records: Value,
}

impl Plan {
    /// `ops` operations of which `merges` are merges, spread evenly.
    /// `run` makes keys and emails unique to this run.
    #[must_use]
    pub fn new(ops: usize, merges: usize, run: &str) -> Plan {
        let merges = merges.min(ops);
        let seed_count = merges.div_ceil(2).max(1);
        let mut seeds = Vec::with_capacity(seed_count);
        let mut seed_records = Vec::with_capacity(seed_count);
        for s in 0..seed_count {
            let id = format!("prospect_soak{s:07}");
            let email = format!("seed-{s:07}@soak.test");
            seed_records.push(json!({
                "id": id, "first_name": "Seed", "last_name": format!("Soak{}", letters(s)),
                "email": email, "created_at": "2024-01-01T00:00:00Z",
            }));
            seeds.push(Seed { id, email });
        }
        let mut list = Vec::with_capacity(ops);
        let (mut uploads, mut merges_made) = (0, 0);
        for i in 0..ops {
            // Bresenham-like spread: exactly `merges` merges among `ops`.
            if (i + 1) * merges / ops > i * merges / ops {
                list.push(Op::Merge(merge_op(
                    run,
                    merges_made,
                    merges_made % seed_count,
                    &seeds,
                )));
                merges_made += 1;
            } else {
                list.push(Op::Upload(upload_op(run, uploads)));
                uploads += 1;
            }
        }
        Plan {
            ops: list,
            seeds,
            seed_records: Value::Array(seed_records),
        }
    }

    /// The `--seed-file` content for the sandbox.
    #[must_use]
    pub fn seed_file(&self) -> String {
        self.seed_records.to_string()
    }

    /// How many uploads and merges.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let merges = self
            .ops
            .iter()
            .filter(|o| matches!(o, Op::Merge(_)))
            .count();
        (self.ops.len() - merges, merges)
    }
}

fn upload_op(run: &str, n: usize) -> UploadOp {
    let email = format!("up-{run}-{n:07}@soak.test");
    let first = GIVEN[n % GIVEN.len()];
    // Letters only and of fixed width: one person's name is never the
    // prefix of another's (the ATS's name search matches word prefixes).
    let last = format!("Up{}", letters(n));
    UploadOp {
        key: format!("soak-{run}-upload-{n:07}"),
        body: json!({"profile": {
            "first_name": first, "last_name": last, "full_name": format!("{first} {last}"),
            "headline": "Soak test person", "company": "Soak Corp",
            "profile_url": format!("https://www.linkedin.com/in/soak-{run}-u{n:07}"),
            "emails": [email], "phones": [], "source": "linkedin",
        }}),
        email,
    }
}

fn merge_op(run: &str, n: usize, seed: usize, seeds: &[Seed]) -> MergeOp {
    // Fixed width: no marker is a prefix of another.
    let marker = format!("[soak {run} merge {n:07}]");
    MergeOp {
        key: format!("soak-{run}-merge-{n:07}"),
        body: json!({"profile": {
            "first_name": "Seed", "last_name": format!("Soak{}", letters(seed)),
            "headline": marker, "emails": [seeds[seed].email],
            "profile_url": format!("https://www.linkedin.com/in/soak-{run}-m{n:07}"),
            "phones": [], "source": "linkedin",
        }}),
        seed,
        target: seeds[seed].id.clone(),
        marker,
    }
}

/// `n` as five lowercase letters (`aaaaa`, `aaaab`, …).
fn letters(mut n: usize) -> String {
    let mut out = [b'a'; 5];
    for slot in out.iter_mut().rev() {
        *slot = b'a' + u8::try_from(n % 26).unwrap_or(0);
        n /= 26;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_has_exactly_the_asked_mix_with_distinct_keys() {
        let plan = Plan::new(500, 100, "t");
        assert_eq!(plan.counts(), (400, 100));
        let mut keys: Vec<&str> = plan
            .ops
            .iter()
            .map(|o| match o {
                Op::Upload(u) => u.key.as_str(),
                Op::Merge(m) => m.key.as_str(),
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 500);
        assert_eq!(plan.seeds.len(), 50);
    }

    #[test]
    fn names_are_never_prefixes_of_each_other() {
        assert_eq!(letters(0), "aaaaa");
        assert_eq!(letters(27), "aaabb");
        assert_ne!(letters(1), letters(26));
        assert_eq!(letters(1).len(), letters(400_000).len());
    }
}
