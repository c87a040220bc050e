//! otpauth:// URIs.
