//! Tessera's domain logic, free of any GUI: one-time codes, otpauth URIs, accounts and their
//! storage. The desktop shell and the CLI are thin adapters over these functions.
#![forbid(unsafe_code)]

pub mod account;
pub mod backup;
pub mod clock;
pub mod codes;
pub mod enroll;
#[doc(hidden)]
pub mod fuzz_hooks;
pub mod otp;
pub mod qr;
pub mod recovery;
pub mod store;
pub mod uri;
pub mod vault;
