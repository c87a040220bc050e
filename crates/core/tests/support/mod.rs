// Each test binary uses a different part of the shared scene generator.
#[allow(dead_code)]
pub mod qr_scenes;
