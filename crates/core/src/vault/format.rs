//! The byte layout of a vault file (format spec, sections 3 and 4): parsing with every length
//! checked against what is left, and encoding.

use super::kdf::KdfParams;
use super::key::{NONCE_LEN, TAG_LEN};
use super::slots::{
    Slot, KEYRING_BODY_LEN, PASSWORD_BODY_LEN, TYPE_KEYRING, TYPE_PASSWORD, WRAPPED_LEN,
};

/// First bytes of every vault file.
pub const MAGIC: &[u8; 8] = b"TSRVAULT";
/// The format version this code writes.
pub const VERSION: u16 = 2;
/// The first format version, still read (and written as [`VERSION`] at the next save).
pub const VERSION_1: u16 = 1;
/// Largest vault file accepted, checked before the file is read.
pub const MAX_FILE_LEN: u64 = 64 * 1024 * 1024;
/// Most slots a file may hold.
pub const MAX_SLOTS: usize = 8;

/// Errors of reading the byte layout.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// The file does not start with the vault magic.
    #[error("not a Tessera vault")]
    NotAVault,
    /// The file is a vault of a format version this build cannot read.
    #[error("unsupported vault format version {0}")]
    UnsupportedVersion(u16),
    /// The layout is broken: short, a bad slot, a length that does not fit. The detail is for
    /// tests and logs; users see the same message as for a wrong password.
    #[error("malformed vault file: {0}")]
    Malformed(&'static str),
}

/// The header fields of a vault file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The format version the file was written in.
    pub version: u16,
    /// Random id fixed at creation.
    pub vault_id: [u8; 16],
    /// Save counter.
    pub generation: u64,
    /// Key epoch: how often the vault key was replaced. A file of a later epoch holds the
    /// current slots; version 1 files are epoch 0.
    pub epoch: u64,
    /// Key slots, in file order.
    pub slots: Vec<Slot>,
}

/// A parsed file, borrowing the bytes it came from.
pub struct ParsedFile<'a> {
    /// The header fields.
    pub header: Header,
    /// The header's bytes: the associated data of the payload.
    pub header_bytes: &'a [u8],
    /// The payload nonce.
    pub nonce: [u8; NONCE_LEN],
    /// The payload ciphertext with its tag.
    pub ciphertext: &'a [u8],
}

/// A cursor that refuses to read past the end instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(FormatError::Malformed("file too short"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FormatError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, FormatError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, FormatError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, FormatError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}

/// Parses a whole vault file. Checks structure and bounds only; authentication comes after.
pub fn parse(bytes: &[u8]) -> Result<ParsedFile<'_>, FormatError> {
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(FormatError::Malformed("file too large"));
    }
    let mut r = Reader { bytes, at: 0 };
    // A prefix of the magic is still "not a vault" only if it disagrees; a truncated magic is
    // a damaged vault.
    let magic_len = bytes.len().min(MAGIC.len());
    if bytes[..magic_len] != MAGIC[..magic_len] {
        return Err(FormatError::NotAVault);
    }
    r.take(MAGIC.len())?;
    let version = r.u16()?;
    if version != VERSION && version != VERSION_1 {
        return Err(FormatError::UnsupportedVersion(version));
    }
    let vault_id = r.array::<16>()?;
    let generation = r.u64()?;
    let epoch = if version == VERSION_1 { 0 } else { r.u64()? };
    let count = usize::from(r.u8()?);
    if count == 0 || count > MAX_SLOTS {
        return Err(FormatError::Malformed("bad slot count"));
    }
    let mut slots = Vec::with_capacity(count);
    for _ in 0..count {
        slots.push(parse_slot(&mut r)?);
    }
    let passwords = slots
        .iter()
        .filter(|s| matches!(s, Slot::Password { .. }))
        .count();
    if passwords != 1 {
        return Err(FormatError::Malformed(
            "a vault needs exactly one password slot",
        ));
    }
    let mut keyring_ids: Vec<&[u8; 16]> = slots
        .iter()
        .filter_map(|s| match s {
            Slot::Keyring { slot_id, .. } => Some(slot_id),
            Slot::Password { .. } => None,
        })
        .collect();
    keyring_ids.sort();
    if keyring_ids.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(FormatError::Malformed("two keyring slots share an id"));
    }
    let header_bytes = &bytes[..r.at];
    let nonce = r.array::<NONCE_LEN>()?;
    let ciphertext = &bytes[r.at..];
    if ciphertext.len() < TAG_LEN {
        return Err(FormatError::Malformed("file too short"));
    }
    Ok(ParsedFile {
        header: Header {
            version,
            vault_id,
            generation,
            epoch,
            slots,
        },
        header_bytes,
        nonce,
        ciphertext,
    })
}

fn parse_slot(r: &mut Reader<'_>) -> Result<Slot, FormatError> {
    let kind = r.u8()?;
    let len = usize::from(r.u16()?);
    match (kind, len) {
        (TYPE_PASSWORD, PASSWORD_BODY_LEN) => {
            let params = KdfParams {
                memory_kib: r.u32()?,
                iterations: r.u32()?,
                lanes: r.u32()?,
            };
            params
                .validate()
                .map_err(|_| FormatError::Malformed("key derivation parameters out of range"))?;
            Ok(Slot::Password {
                params,
                salt: r.array()?,
                nonce: r.array()?,
                wrapped: r.array::<WRAPPED_LEN>()?,
            })
        }
        (TYPE_KEYRING, KEYRING_BODY_LEN) => Ok(Slot::Keyring {
            slot_id: r.array()?,
            nonce: r.array()?,
            wrapped: r.array::<WRAPPED_LEN>()?,
        }),
        (TYPE_PASSWORD | TYPE_KEYRING, _) => Err(FormatError::Malformed("bad slot length")),
        _ => Err(FormatError::Malformed("unknown slot type")),
    }
}

/// Encodes the header in the current version: the bytes before the payload nonce.
pub fn encode_header(header: &Header) -> Vec<u8> {
    let mut out = Vec::with_capacity(43 + header.slots.len() * (3 + PASSWORD_BODY_LEN));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&header.vault_id);
    out.extend_from_slice(&header.generation.to_le_bytes());
    out.extend_from_slice(&header.epoch.to_le_bytes());
    // The slot count fits a byte: the vault never holds more than MAX_SLOTS.
    out.push(header.slots.len() as u8);
    for slot in &header.slots {
        let body = slot.body();
        out.push(slot.type_byte());
        out.extend_from_slice(&(body.len() as u16).to_le_bytes());
        out.extend_from_slice(&body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let header = Header {
            version: VERSION,
            vault_id: [1; 16],
            generation: 7,
            epoch: 3,
            slots: vec![
                Slot::Password {
                    params: KdfParams::minimum(),
                    salt: [2; 32],
                    nonce: [3; NONCE_LEN],
                    wrapped: [4; WRAPPED_LEN],
                },
                Slot::Keyring {
                    slot_id: [5; 16],
                    nonce: [6; NONCE_LEN],
                    wrapped: [7; WRAPPED_LEN],
                },
            ],
        };
        let mut file = encode_header(&header);
        file.extend_from_slice(&[8; NONCE_LEN]);
        file.extend_from_slice(&[9; 40]);
        file
    }

    #[test]
    fn layout_round_trips() {
        let file = sample();
        let parsed = parse(&file).unwrap();
        assert_eq!(parsed.header.generation, 7);
        assert_eq!(parsed.header.epoch, 3);
        assert_eq!(parsed.header.slots.len(), 2);
        assert_eq!(parsed.header_bytes.len(), 43 + 3 + 116 + 3 + 88);
        assert_eq!(parsed.nonce, [8; NONCE_LEN]);
        assert_eq!(parsed.ciphertext, &[9; 40]);
        assert_eq!(encode_header(&parsed.header), parsed.header_bytes);
    }

    #[test]
    fn every_truncation_is_refused() {
        let file = sample();
        let header_end = file.len() - 40 - NONCE_LEN;
        for len in 0..header_end + NONCE_LEN + TAG_LEN {
            assert!(parse(&file[..len]).is_err(), "length {len}");
        }
    }

    #[test]
    fn foreign_files_and_versions_are_named() {
        assert_eq!(parse(b"PK\x03\x04").err(), Some(FormatError::NotAVault));
        let mut file = sample();
        file[8] = 3;
        assert_eq!(parse(&file).err(), Some(FormatError::UnsupportedVersion(3)));
    }

    #[test]
    fn hostile_kdf_parameters_are_refused_while_parsing() {
        let mut file = sample();
        // memory_kib at offset 43 + 3, iterations right after.
        file[46..50].copy_from_slice(&(1u32 << 30).to_le_bytes());
        file[50..54].copy_from_slice(&(1u32 << 31).to_le_bytes());
        assert_eq!(
            parse(&file).err(),
            Some(FormatError::Malformed(
                "key derivation parameters out of range"
            ))
        );
    }
}
