//! Why something the user asked for did not happen: a contract error code
//! from the companion, or a failure the sidebar finds on its own. The UI
//! words each one (EN/FR) by matching on [`Problem`], never on strings.

use sourcebar_core::companion_url::CompanionUrlError;
use sourcebar_core::ErrorCode;

/// A failure as the user is told about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The companion answered with one of the contract's error codes.
    Api(ErrorCode),
    /// The companion could not be reached.
    Offline,
    /// The call was aborted on purpose (the person on the page changed).
    Aborted,
    /// The address typed for the companion is refused.
    CompanionUrl(CompanionUrlError),
    /// An invite accepted with the email of someone already in the team.
    InviteEmailTaken,
}

impl Problem {
    /// A stable name, for `data-code` attributes that tests read.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Api(code) => code.as_str(),
            Problem::Offline => "offline",
            Problem::Aborted => "aborted",
            Problem::CompanionUrl(e) => e.code(),
            Problem::InviteEmailTaken => "invite_email_taken",
        }
    }

    /// What an error answer without a readable contract body means, by its
    /// HTTP status (a proxy's or the browser's page, not the companion's).
    pub fn from_status(status: u16) -> Self {
        Problem::Api(match status {
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            429 => ErrorCode::RateLimited,
            _ => ErrorCode::Internal,
        })
    }
}

impl From<ErrorCode> for Problem {
    fn from(code: ErrorCode) -> Self {
        Problem::Api(code)
    }
}

impl From<CompanionUrlError> for Problem {
    fn from(e: CompanionUrlError) -> Self {
        Problem::CompanionUrl(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_bare_status_still_says_who_must_act() {
        assert_eq!(
            Problem::from_status(401),
            Problem::Api(ErrorCode::Unauthorized)
        );
        assert_eq!(Problem::from_status(502), Problem::Api(ErrorCode::Internal));
        assert_eq!(Problem::from_status(429).code(), "rate_limited");
    }
}
