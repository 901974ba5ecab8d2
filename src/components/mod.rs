//! One component per part of the screen.

mod actions;
mod matches;
mod not_connected;
mod options;
mod person;
mod profile_card;
mod sidebar;
mod toast;

pub use actions::Actions;
pub use matches::MatchList;
pub use not_connected::NotConnected;
pub use options::OptionsPage;
pub use person::PersonPanel;
pub use profile_card::{FormFields, ProfileCard};
pub use sidebar::SidebarApp;
pub use toast::{Toast, ToastMsg, Toaster};
