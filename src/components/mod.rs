//! One component per part of the screen.

mod not_connected;
mod options;
mod profile_card;
mod sidebar;

pub use not_connected::NotConnected;
pub use options::OptionsPage;
pub use profile_card::ProfileCard;
pub use sidebar::SidebarApp;
