//! A bounded reader of Java object serialization (the stream `ObjectOutputStream` writes,
//! Java Object Serialization Specification chapter 6) for the one shape a backup uses: a
//! `java.util.HashMap` whose keys and values are all strings. Anything else in the stream
//! is refused rather than skipped; every length is checked against the bytes that are left.
//!
//! The shape: magic `AC ED`, version 5; `TC_OBJECT`; the class descriptor of
//! `java.util.HashMap` (its name, serial version UID, flags, primitive fields `loadFactor`
//! and `threshold`, an empty annotation, no superclass); the two field values; then what
//! `HashMap.writeObject` adds, a block of the bucket count and the entry count, followed by
//! each key and value as `TC_STRING`, `TC_LONGSTRING` or a back reference to one, and
//! `TC_ENDBLOCKDATA`.

const MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_BLOCKDATALONG: u8 = 0x7A;
const TC_LONGSTRING: u8 = 0x7C;
/// The first handle the stream gives out; each class descriptor, object and string takes the
/// next one.
const BASE_HANDLE: u32 = 0x7E_0000;
const HASH_MAP: &str = "java.util.HashMap";
/// More fields than any class descriptor of a map has.
const MAX_FIELDS: u16 = 16;

/// Why a stream is not a serialized map of strings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JavaSerialError {
    /// The stream does not start with the serialization magic and version 5.
    #[error("it is not a Java serialization stream")]
    NotSerialized,
    /// The stream ends before a value it announces.
    #[error("the serialized data is cut short")]
    Truncated,
    /// The object is not a `java.util.HashMap`.
    #[error("the serialized object is a {0}, not a java.util.HashMap")]
    NotAMap(String),
    /// A part of the stream that a map of strings does not have.
    #[error("the serialized map holds {0}, not only strings")]
    Unexpected(&'static str),
    /// A string is not valid (modified) UTF-8.
    #[error("a serialized string is not valid text")]
    BadText,
}

struct Stream<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Handle number (from [`BASE_HANDLE`]) to the string it names, `None` for other objects.
    handles: Vec<Option<String>>,
}

impl<'a> Stream<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], JavaSerialError> {
        let end = self.at.checked_add(n).ok_or(JavaSerialError::Truncated)?;
        let part = self
            .bytes
            .get(self.at..end)
            .ok_or(JavaSerialError::Truncated)?;
        self.at = end;
        Ok(part)
    }

    fn byte(&mut self) -> Result<u8, JavaSerialError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, JavaSerialError> {
        Ok(u16::from_be_bytes(
            self.take(2)?.try_into().expect("two bytes"),
        ))
    }

    fn u32(&mut self) -> Result<u32, JavaSerialError> {
        Ok(u32::from_be_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, JavaSerialError> {
        Ok(u64::from_be_bytes(
            self.take(8)?.try_into().expect("eight bytes"),
        ))
    }

    /// A modified UTF-8 text with a 2-byte length, as in a class or field name.
    fn utf(&mut self) -> Result<String, JavaSerialError> {
        let len = usize::from(self.u16()?);
        decode_modified_utf8(self.take(len)?)
    }

    /// A string object, new or referred back to.
    fn string(&mut self) -> Result<String, JavaSerialError> {
        match self.byte()? {
            TC_STRING => {
                let text = self.utf()?;
                self.handles.push(Some(text.clone()));
                Ok(text)
            }
            TC_LONGSTRING => {
                let len = usize::try_from(self.u64()?).map_err(|_| JavaSerialError::Truncated)?;
                let text = decode_modified_utf8(self.take(len)?)?;
                self.handles.push(Some(text.clone()));
                Ok(text)
            }
            TC_REFERENCE => {
                let index = self.u32()?.wrapping_sub(BASE_HANDLE) as usize;
                match self.handles.get(index) {
                    Some(Some(text)) => Ok(text.clone()),
                    _ => Err(JavaSerialError::Unexpected("a reference to another object")),
                }
            }
            TC_NULL => Err(JavaSerialError::Unexpected("null")),
            _ => Err(JavaSerialError::Unexpected("an object of another kind")),
        }
    }
}

/// Java's modified UTF-8: UTF-8 with NUL as two bytes and characters outside the BMP as two
/// encoded UTF-16 surrogates.
fn decode_modified_utf8(bytes: &[u8]) -> Result<String, JavaSerialError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let mut units = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let continuation = |b: Option<&u8>| match b {
        Some(&b) if b & 0xC0 == 0x80 => Ok(u16::from(b & 0x3F)),
        _ => Err(JavaSerialError::BadText),
    };
    while i < bytes.len() {
        let b = bytes[i];
        let unit = match b {
            0x01..=0x7F => {
                i += 1;
                u16::from(b)
            }
            0xC0..=0xDF => {
                let unit = (u16::from(b & 0x1F) << 6) | continuation(bytes.get(i + 1))?;
                i += 2;
                unit
            }
            0xE0..=0xEF => {
                let unit = (u16::from(b & 0x0F) << 12)
                    | (continuation(bytes.get(i + 1))? << 6)
                    | continuation(bytes.get(i + 2))?;
                i += 3;
                unit
            }
            _ => return Err(JavaSerialError::BadText),
        };
        units.push(unit);
    }
    String::from_utf16(&units).map_err(|_| JavaSerialError::BadText)
}

/// The size in bytes of a primitive field of type `code`, or `None` for object fields.
fn primitive_size(code: u8) -> Option<usize> {
    match code {
        b'B' | b'Z' => Some(1),
        b'C' | b'S' => Some(2),
        b'I' | b'F' => Some(4),
        b'J' | b'D' => Some(8),
        _ => None,
    }
}

/// The entries of a serialized `HashMap<String, String>`, in the stream's order.
pub fn read_string_map(bytes: &[u8]) -> Result<Vec<(String, String)>, JavaSerialError> {
    if !bytes.starts_with(&MAGIC) {
        return Err(JavaSerialError::NotSerialized);
    }
    let mut stream = Stream {
        bytes,
        at: MAGIC.len(),
        handles: Vec::new(),
    };
    if stream.byte()? != TC_OBJECT || stream.byte()? != TC_CLASSDESC {
        return Err(JavaSerialError::Unexpected(
            "an object that is not a plain map",
        ));
    }
    let class = stream.utf()?;
    if class != HASH_MAP {
        return Err(JavaSerialError::NotAMap(class));
    }
    stream.u64()?; // serialVersionUID
    stream.byte()?; // flags
    stream.handles.push(None); // the class descriptor
    let fields = stream.u16()?;
    if fields > MAX_FIELDS {
        return Err(JavaSerialError::Unexpected("a class with too many fields"));
    }
    let mut field_bytes = 0;
    for _ in 0..fields {
        let code = stream.byte()?;
        stream.utf()?;
        field_bytes +=
            primitive_size(code).ok_or(JavaSerialError::Unexpected("a field holding an object"))?;
    }
    if stream.byte()? != TC_ENDBLOCKDATA {
        return Err(JavaSerialError::Unexpected("a class annotation"));
    }
    if stream.byte()? != TC_NULL {
        return Err(JavaSerialError::Unexpected("a map subclass"));
    }
    stream.handles.push(None); // the map itself
    stream.take(field_bytes)?;
    let block = match stream.byte()? {
        TC_BLOCKDATA => usize::from(stream.byte()?),
        TC_BLOCKDATALONG => stream.u32()? as usize,
        _ => return Err(JavaSerialError::Unexpected("no entry count")),
    };
    if block < 8 {
        return Err(JavaSerialError::Unexpected("a short block of map data"));
    }
    let block_start = stream.at;
    stream.u32()?; // bucket count
    let size = stream.u32()? as usize;
    stream.at = block_start;
    stream.take(block)?;
    // Every entry takes at least six bytes (two empty strings): a count the stream cannot
    // hold is refused before any allocation.
    if size > bytes.len().saturating_sub(stream.at) / 6 {
        return Err(JavaSerialError::Truncated);
    }
    let mut entries = Vec::with_capacity(size);
    for _ in 0..size {
        let key = stream.string()?;
        let value = stream.string()?;
        entries.push((key, value));
    }
    if stream.byte()? != TC_ENDBLOCKDATA {
        return Err(JavaSerialError::Unexpected("data after its entries"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stream `ObjectOutputStream` writes for a HashMap of `entries` (layout from the
    /// specification; the UID is HashMap's).
    fn serialized(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend([TC_OBJECT, TC_CLASSDESC]);
        out.extend((HASH_MAP.len() as u16).to_be_bytes());
        out.extend(HASH_MAP.as_bytes());
        out.extend(0x0507_dac1_c316_60d1u64.to_be_bytes());
        out.push(0x03);
        out.extend(2u16.to_be_bytes());
        for (code, name) in [(b'F', "loadFactor"), (b'I', "threshold")] {
            out.push(code);
            out.extend((name.len() as u16).to_be_bytes());
            out.extend(name.as_bytes());
        }
        out.extend([TC_ENDBLOCKDATA, TC_NULL]);
        out.extend(0.75f32.to_be_bytes());
        out.extend(12u32.to_be_bytes());
        out.extend([TC_BLOCKDATA, 8]);
        out.extend(16u32.to_be_bytes());
        out.extend((entries.len() as u32).to_be_bytes());
        for (key, value) in entries {
            for text in [key, value] {
                out.push(TC_STRING);
                out.extend((text.len() as u16).to_be_bytes());
                out.extend(text.as_bytes());
            }
        }
        out.push(TC_ENDBLOCKDATA);
        out
    }

    #[test]
    fn a_map_of_strings_is_read_in_stream_order() {
        let bytes = serialized(&[("masterKey", "{}"), ("b", "")]);
        let map = read_string_map(&bytes).unwrap();
        assert_eq!(
            map,
            [
                ("masterKey".into(), "{}".into()),
                ("b".into(), String::new())
            ]
        );
    }

    #[test]
    fn back_references_name_earlier_strings_only() {
        let mut bytes = serialized(&[("a", "x")]);
        // Turn the entry count to 2 and append a key and a value referring to "x" (handle 3:
        // descriptor, map, "a", "x").
        let count_at = bytes.len() - 1 - 8 - 4;
        bytes[count_at..count_at + 4].copy_from_slice(&2u32.to_be_bytes());
        bytes.pop();
        for _ in 0..2 {
            bytes.push(TC_REFERENCE);
            bytes.extend((BASE_HANDLE + 3).to_be_bytes());
        }
        bytes.push(TC_ENDBLOCKDATA);
        let map = read_string_map(&bytes).unwrap();
        assert_eq!(map[1], ("x".into(), "x".into()));
        let last = bytes.len() - 2;
        bytes[last] = 0; // handle 0x7E0000: the class descriptor, not a string
        assert!(read_string_map(&bytes).is_err());
    }

    #[test]
    fn cut_or_foreign_streams_are_refused() {
        let bytes = serialized(&[("k", "v")]);
        for cut in 0..bytes.len() {
            assert!(read_string_map(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[9] = b'X'; // the class name
        assert!(matches!(
            read_string_map(&other),
            Err(JavaSerialError::NotAMap(_))
        ));
        let mut huge = bytes.clone();
        let count_at = huge.len() - 1 - 8 - 4;
        huge[count_at..count_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(read_string_map(&huge), Err(JavaSerialError::Truncated));
    }

    #[test]
    fn modified_utf8_has_two_byte_nul_and_surrogate_pairs() {
        // U+1F600 as CESU-8 (ED A0 BD ED B8 80) and NUL as C0 80.
        let text =
            decode_modified_utf8(&[b'a', 0xC0, 0x80, 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]).unwrap();
        assert_eq!(text, "a\u{0}\u{1F600}");
        assert!(decode_modified_utf8(&[0xED, 0xA0]).is_err());
        assert!(decode_modified_utf8(&[0xF0, 0x9F, 0x98, 0x80, 0xFF]).is_err());
    }
}
