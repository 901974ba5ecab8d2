//! Why a whole file cannot be imported, in English and French.

use crate::format::MAX_FILE_BYTES;

/// A file that cannot be imported at all (a bad row is not this: it becomes
/// an invalid row and the rest of the file still works).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Over [`MAX_FILE_BYTES`].
    #[error("The file is larger than 50 MB.")]
    TooLarge,
    /// Not CSV, XLSX, XLS or JSON.
    #[error("This type of file cannot be imported: use CSV, XLSX, XLS or JSON.")]
    WrongType,
    /// Looks like its format but cannot be read (a damaged spreadsheet,
    /// broken JSON).
    #[error("The file could not be read: {0}")]
    Corrupt(String),
    /// JSON that is not an array of objects.
    #[error("A JSON file must hold an array of objects, one per person.")]
    NotAList,
    /// No header row, or no rows under it.
    #[error("The file holds no rows.")]
    Empty,
    /// No column holds a name, an email or a LinkedIn URL.
    #[error("No column holds a name, an email or a LinkedIn URL.")]
    NoIdentityColumn,
}

/// An I/O error while reading: the size cap, or a file cut short.
impl From<std::io::Error> for ImportError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            ImportError::TooLarge
        } else {
            ImportError::Corrupt(e.to_string())
        }
    }
}

impl ImportError {
    /// The `snake_case` code a client translates.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::TooLarge => "file_too_large",
            ImportError::WrongType => "wrong_file_type",
            ImportError::Corrupt(_) => "corrupt_file",
            ImportError::NotAList => "not_a_list",
            ImportError::Empty => "empty_file",
            ImportError::NoIdentityColumn => "no_identity_column",
        }
    }

    /// What is wrong, in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// What is wrong, in French.
    pub fn message_fr(&self) -> String {
        match self {
            ImportError::TooLarge => {
                format!("Le fichier dépasse {} Mo.", MAX_FILE_BYTES / (1024 * 1024))
            }
            ImportError::WrongType => {
                "Ce type de fichier ne peut pas être importé : utilisez CSV, XLSX, XLS ou JSON."
                    .into()
            }
            ImportError::Corrupt(detail) => format!("Le fichier est illisible : {detail}"),
            ImportError::NotAList => {
                "Un fichier JSON doit contenir une liste d’objets, un par personne.".into()
            }
            ImportError::Empty => "Le fichier ne contient aucune ligne.".into(),
            ImportError::NoIdentityColumn => {
                "Aucune colonne ne contient de nom, d’e-mail ou d’URL LinkedIn.".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_code_and_a_message_in_both_languages() {
        for e in [
            ImportError::TooLarge,
            ImportError::WrongType,
            ImportError::Corrupt("x".into()),
            ImportError::NotAList,
            ImportError::Empty,
            ImportError::NoIdentityColumn,
        ] {
            assert!(!e.code().is_empty());
            assert!(!e.message_fr().is_empty());
            assert_ne!(e.message_en(), e.message_fr(), "{e:?}");
        }
        assert!(ImportError::TooLarge.message_fr().contains("50 Mo"));
    }
}
