//! `sourcebar-sandbox`: an ATS emulator (placeholder until the JazzHR issue lands).
fn main() {
    println!("sourcebar-sandbox: not built yet");
}
