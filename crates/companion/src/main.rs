//! `sourcebar-companion`: the team's server (placeholder until the companion issue lands).
fn main() {
    println!("sourcebar-companion: not built yet");
}
