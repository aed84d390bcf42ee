pub mod clinic;
#[allow(
    dead_code,
    reason = "the desktop helpers are shared by the end-to-end tests; other test binaries use none"
)]
pub mod desktop;
pub mod listings;
pub mod region;
#[allow(dead_code, reason = "each test binary uses its own share")]
pub mod visitor;
