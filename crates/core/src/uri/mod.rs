//! Account URIs: `otpauth://` as enrollment QR codes carry it, and Google Authenticator's
//! `otpauth-migration://` exports.

mod migration;
mod otpauth;
pub(crate) mod percent;
mod protobuf;

pub use migration::{
    parse_migration, BatchCollector, MigrationBatch, MigrationError, PartAdded, SkipReason,
    SkippedAccount, MAX_BATCH_SIZE, MAX_MIGRATION_ACCOUNTS,
};
pub use otpauth::{parse, parse_with_warnings, OtpAuthUri, ParsedUri, UriError, MAX_URI_LENGTH};
pub use protobuf::ProtobufError;
