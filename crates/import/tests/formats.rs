//! Whole files, as a user drops them: read, mapped, turned into people.

use sourcebar_core::import::{same_person_as_earlier, Field, RowError};
use sourcebar_import::{proposed_mapping, read_file, ImportError, MAX_FILE_BYTES};
use std::io::Read;

fn people(name: &str, bytes: &[u8]) -> Vec<(u64, Result<String, RowError>)> {
    let table = read_file(name, bytes).unwrap();
    let mapping = proposed_mapping(&table).unwrap();
    table
        .profiles(&mapping)
        .into_iter()
        .map(|r| {
            (
                r.line,
                r.profile.map(|p| p.display_name().unwrap_or_default()),
            )
        })
        .collect()
}

#[test]
fn a_french_csv_with_mixed_rows_reports_each_bad_line_and_keeps_the_rest() {
    let csv = "Prénom;Nom;Courriel;Profil LinkedIn\n\
               Zoë;Roy;zoe@x.io;\n\
               ;;;\n\
               Bob;Martin;pas-un-email;\n\
               ;;;https://www.linkedin.com/company/acme\n\
               Ann;Lee;;fr.linkedin.com/in/ann-lee\n";
    assert_eq!(
        people("contacts.csv", csv.as_bytes()),
        vec![
            (2, Ok("Zoë Roy".into())),
            (4, Err(RowError::InvalidEmail)),
            (5, Err(RowError::NotProfileUrl)),
            (6, Ok("Ann Lee".into())),
        ]
    );
}

#[test]
fn one_file_holding_the_same_person_twice_is_flagged() {
    let csv = b"Name,Email\nAnn Lee,ann@x.io\nBob,bob@x.io\nAnn L.,ANN@x.io\nAnn Lee,ann@x.io\n";
    let table = read_file("a.csv", &csv[..]).unwrap();
    let rows = table.profiles(&proposed_mapping(&table).unwrap());
    let profiles: Vec<_> = rows.iter().map(|r| r.profile.as_ref().ok()).collect();
    assert_eq!(
        same_person_as_earlier(&profiles),
        vec![None, None, Some(0), Some(0)]
    );
}

#[test]
fn a_csv_with_no_name_email_or_url_column_is_refused_clearly() {
    let table = read_file("a.csv", &b"Company,City\nAcme,Lyon\n"[..]).unwrap();
    let e = proposed_mapping(&table).unwrap_err();
    assert_eq!(e, ImportError::NoIdentityColumn);
    assert_eq!(e.code(), "no_identity_column");
    assert!(e.message_fr().contains("URL LinkedIn"));
}

#[test]
fn wrong_types_and_corrupt_spreadsheets_are_refused_clearly() {
    assert_eq!(
        read_file("cv.pdf", &b"%PDF-1.7"[..]),
        Err(ImportError::WrongType)
    );
    assert!(matches!(
        read_file("people.xlsx", &b"PK\x03\x04garbage"[..]),
        Err(ImportError::Corrupt(_))
    ));
}

#[test]
fn json_rows_map_like_any_file() {
    let json =
        r#"[{"first_name":"Ann","last_name":"Lee","emails":["ann@x.io"]},{"company":"Acme"}]"#;
    let table = read_file("p.json", json.as_bytes()).unwrap();
    let mapping = proposed_mapping(&table).unwrap();
    assert_eq!(mapping[2], Some(Field::Email));
    let rows = table.profiles(&mapping);
    assert_eq!(rows[0].profile.as_ref().unwrap().emails, vec!["ann@x.io"]);
    assert_eq!(rows[1].profile, Err(RowError::NoIdentity));
}

/// A CSV of `bytes` bytes, generated as it is read.
struct Generated {
    left: u64,
    pending: Vec<u8>,
    n: u64,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        if self.pending.is_empty() {
            self.pending = if self.n == 0 {
                b"Name,Email\n".to_vec()
            } else {
                format!("Person {n},p{n}@x.io\n", n = self.n).into_bytes()
            };
            self.n += 1;
        }
        let n = buf
            .len()
            .min(self.pending.len())
            .min(usize::try_from(self.left).unwrap());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        self.left -= n as u64;
        Ok(n)
    }
}

#[test]
fn a_50_mb_file_streams_through_and_one_byte_more_is_refused() {
    let under = Generated {
        left: MAX_FILE_BYTES - 1024,
        pending: Vec::new(),
        n: 0,
    };
    let table = read_file("big.csv", under).unwrap();
    assert!(table.rows.len() > 1_500_000, "{}", table.rows.len());
    let over = Generated {
        left: MAX_FILE_BYTES + 1,
        pending: Vec::new(),
        n: 0,
    };
    assert_eq!(read_file("big.csv", over), Err(ImportError::TooLarge));
}
