//! Tessera's domain logic, free of any GUI: one-time codes, otpauth URIs, accounts and their
//! storage, and the clock codes are computed from. The desktop shell and the CLI are thin adapters over these functions.
#![forbid(unsafe_code)]

pub mod account;
pub mod clock;
pub mod otp;
pub mod store;
pub mod uri;
