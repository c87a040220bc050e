//! Shared by the QR tests: generated screens with known payloads.

// Each test binary uses a different part of the scene generator.
#[allow(dead_code)]
pub mod scenes;
