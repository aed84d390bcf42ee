pub mod clinic;
pub mod region;
