//! One component per part of the screen.

mod actions;
mod applications;
pub mod decision;
mod matches;
mod not_connected;
mod options;
mod person;
mod profile_card;
mod sidebar;
mod toast;
mod verdict;

pub use actions::Actions;
pub use decision::AtsInfo;
pub use matches::{conflict_words, reason_words, MatchList};
pub use not_connected::NotConnected;
pub use options::{ImportPage, OptionsPage};
pub use person::PersonPanel;
pub use profile_card::{FormFields, ProfileCard};
pub use sidebar::{is_same_person, Ats, PageUpdate, PageView, SidebarApp};
pub use toast::{Toast, ToastMsg, Toaster};
pub use verdict::VerdictBanner;
