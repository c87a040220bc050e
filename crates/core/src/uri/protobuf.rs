//! The few pieces of the protobuf wire format that Google Authenticator's export needs:
//! varints and length-delimited fields, read with bounds checks and written back.
//!
//! Reading never panics and never allocates: every field borrows from the input. Fixed-width
//! fields are skipped over so that fields a future Authenticator adds do not break import.

/// Bytes that are not a well-formed protobuf message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProtobufError {
    /// The message ends inside a field.
    #[error("the message ends inside a field at byte {offset}")]
    Truncated {
        /// Where the unfinished field starts.
        offset: usize,
    },
    /// A varint longer than the 10 bytes that any 64-bit value needs.
    #[error("a varint at byte {offset} is longer than 10 bytes")]
    VarintTooLong {
        /// Where the varint starts.
        offset: usize,
    },
    /// A wire type that no field of this format uses (groups, or an undefined value).
    #[error("wire type {wire_type} at byte {offset} is not supported")]
    UnsupportedWireType {
        /// The wire type, the low three bits of the tag.
        wire_type: u8,
        /// Where the tag starts.
        offset: usize,
    },
    /// Field number 0 is reserved and never valid.
    #[error("field number 0 at byte {offset}")]
    FieldZero {
        /// Where the tag starts.
        offset: usize,
    },
    /// A known field arrived with another wire type than its declared type has.
    #[error("field {field} has the wrong wire type")]
    WrongWireType {
        /// The field number.
        field: u32,
    },
}

/// The value of one field, as far as the wire format tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// Wire type 0: integers, booleans and enums.
    Varint(u64),
    /// Wire type 2: bytes, strings and embedded messages.
    Bytes(&'a [u8]),
    /// Wire types 1 and 5: fixed-width numbers, which this format does not use.
    Fixed,
}

impl<'a> Value<'a> {
    /// The varint of `field`, or an error naming it.
    pub(crate) fn varint(self, field: u32) -> Result<u64, ProtobufError> {
        match self {
            Value::Varint(value) => Ok(value),
            _ => Err(ProtobufError::WrongWireType { field }),
        }
    }

    /// The bytes of `field`, or an error naming it.
    pub(crate) fn bytes(self, field: u32) -> Result<&'a [u8], ProtobufError> {
        match self {
            Value::Bytes(bytes) => Ok(bytes),
            _ => Err(ProtobufError::WrongWireType { field }),
        }
    }
}

/// Reads the fields of one message in order.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    /// A reader over the encoded message `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, offset: 0 }
    }

    /// The next field number and value, or `None` at the end of the message.
    pub(crate) fn next_field(&mut self) -> Result<Option<(u32, Value<'a>)>, ProtobufError> {
        if self.offset >= self.bytes.len() {
            return Ok(None);
        }
        let tag_offset = self.offset;
        let tag = self.varint()?;
        let wire_type = (tag & 7) as u8;
        // Field numbers have 29 bits; a larger tag cannot name a field of this format.
        let field = u32::try_from(tag >> 3).unwrap_or(u32::MAX);
        if field == 0 {
            return Err(ProtobufError::FieldZero { offset: tag_offset });
        }
        let value = match wire_type {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8, tag_offset)?;
                Value::Fixed
            }
            2 => {
                let length = self.varint()?;
                let length = usize::try_from(length)
                    .map_err(|_| ProtobufError::Truncated { offset: tag_offset })?;
                Value::Bytes(self.take(length, tag_offset)?)
            }
            5 => {
                self.take(4, tag_offset)?;
                Value::Fixed
            }
            _ => {
                return Err(ProtobufError::UnsupportedWireType {
                    wire_type,
                    offset: tag_offset,
                })
            }
        };
        Ok(Some((field, value)))
    }

    fn varint(&mut self) -> Result<u64, ProtobufError> {
        let start = self.offset;
        let mut value = 0u64;
        for index in 0..10 {
            let Some(&byte) = self.bytes.get(start + index) else {
                return Err(ProtobufError::Truncated { offset: start });
            };
            // The tenth byte holds bit 63 only; higher bits are dropped as protobuf does.
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                self.offset = start + index + 1;
                return Ok(value);
            }
        }
        Err(ProtobufError::VarintTooLong { offset: start })
    }

    fn take(&mut self, length: usize, field_offset: usize) -> Result<&'a [u8], ProtobufError> {
        let end = self
            .offset
            .checked_add(length)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(ProtobufError::Truncated {
                offset: field_offset,
            })?;
        let taken = &self.bytes[self.offset..end];
        self.offset = end;
        Ok(taken)
    }
}

/// Appends a varint field. Default values (0) are written too; callers skip them.
pub(crate) fn write_varint_field(out: &mut Vec<u8>, field: u32, value: u64) {
    write_varint(out, u64::from(field) << 3);
    write_varint(out, value);
}

/// Appends a length-delimited field.
pub(crate) fn write_bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    write_varint(out, u64::from(field) << 3 | 2);
    write_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(bytes: &[u8]) -> Result<Vec<(u32, Value<'_>)>, ProtobufError> {
        let mut reader = Reader::new(bytes);
        let mut out = Vec::new();
        while let Some(field) = reader.next_field()? {
            out.push(field);
        }
        Ok(out)
    }

    #[test]
    fn written_fields_read_back() {
        let mut out = Vec::new();
        write_varint_field(&mut out, 2, 1);
        write_varint_field(&mut out, 5, -7i64 as u64);
        write_bytes_field(&mut out, 1, b"abc");
        assert_eq!(
            fields(&out).unwrap(),
            vec![
                (2, Value::Varint(1)),
                (5, Value::Varint(-7i64 as u64)),
                (1, Value::Bytes(b"abc")),
            ]
        );
    }

    #[test]
    fn negative_int32_is_a_ten_byte_varint() {
        let mut out = Vec::new();
        write_varint_field(&mut out, 5, -1i64 as u64);
        assert_eq!(out.len(), 11);
    }

    #[test]
    fn malformed_messages_are_errors() {
        assert_eq!(fields(&[0x08]), Err(ProtobufError::Truncated { offset: 1 }));
        assert_eq!(
            fields(&[0x0a, 0x05, b'a']),
            Err(ProtobufError::Truncated { offset: 0 })
        );
        assert_eq!(
            fields(&[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            Err(ProtobufError::VarintTooLong { offset: 1 })
        );
        assert_eq!(
            fields(&[0x0b]),
            Err(ProtobufError::UnsupportedWireType {
                wire_type: 3,
                offset: 0
            })
        );
        assert_eq!(fields(&[0x00]), Err(ProtobufError::FieldZero { offset: 0 }));
        // A length that would overflow the offset.
        assert_eq!(
            fields(&[0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            Err(ProtobufError::Truncated { offset: 0 })
        );
    }

    #[test]
    fn fixed_width_fields_are_skipped() {
        let bytes = [0x09, 1, 2, 3, 4, 5, 6, 7, 8, 0x15, 1, 2, 3, 4, 0x18, 0x03];
        assert_eq!(
            fields(&bytes).unwrap(),
            vec![(1, Value::Fixed), (2, Value::Fixed), (3, Value::Varint(3))]
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A deterministic sweep over short inputs stands in for a fuzzer.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            let bytes: Vec<u8> = (0..len).map(|i| (state >> (i % 8 * 8)) as u8).collect();
            let _ = fields(&bytes);
        }
    }
}
