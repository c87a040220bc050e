//! Entry points for the fuzz targets of `crates/fuzz`: parsers of outside input that the public
//! API reaches only behind a key derivation or a socket. Not part of the API.

use crate::clock::sntp;
use crate::qr;
use crate::vault;

/// A vault file's framing and header, then the same bytes as decrypted content (the AEAD tag
/// would stop random bytes before the content parser otherwise).
pub fn vault_bytes(bytes: &[u8]) {
    vault::parse_untrusted(bytes);
}

/// An SNTP reply to the request whose nonce the reply echoes, then the offset it implies, as
/// measured for a request sent at the reply's own originate time and received a second later.
pub fn sntp_reply(datagram: &[u8]) {
    sntp::read_untrusted_reply(datagram);
}

/// The QR pipeline on image file bytes, as `qr::decode_image_bytes` runs it, but refusing
/// images over a megapixel (headers claiming more are refused the same way as over the real
/// limit), so that a campaign spends its time on decoders and finders, not on huge blank images.
pub fn qr_image_bytes(bytes: &[u8]) {
    let _ = qr::decode_image_bytes_within(bytes, 1 << 20);
}
