//! The 48-byte NTP packet header (RFC 5905 section 7.3) as an SNTP client sends and checks it,
//! and the 64-bit NTP timestamps it carries.

use std::time::{SystemTime, UNIX_EPOCH};

/// Bytes in an NTP header without extension fields or authenticator.
pub const HEADER_LEN: usize = 48;

/// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
const NTP_UNIX_OFFSET_SECS: u64 = 2_208_988_800;

/// The version we speak; servers answer in the version of the request.
const CLIENT_VERSION: u8 = 4;
/// Mode 3: a client request.
const MODE_CLIENT: u8 = 3;
/// Mode 4: a server's answer to a client.
const MODE_SERVER: u8 = 4;
/// Mode 5: a broadcast, which RFC 4330 lets a client read like a server reply.
const MODE_BROADCAST: u8 = 5;
/// Leap indicator 3: the server's clock is not synchronised.
const LEAP_UNSYNCHRONISED: u8 = 3;
/// Strata above 15 mean "unsynchronised" (16) or are reserved.
const MAX_STRATUM: u8 = 15;

/// An NTP timestamp: seconds since 1900 in the high 32 bits, the fraction in the low 32.
///
/// The seconds wrap every 136 years (the first wrap is in 2036), so a timestamp alone does not
/// name an instant: differences are taken modulo 2^64 and read as signed, which is right as
/// long as the two instants are less than 68 years apart (RFC 5905 section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NtpTimestamp(pub u64);

impl NtpTimestamp {
    /// The timestamp of a system time, in whatever era it falls.
    pub fn from_system(time: SystemTime) -> Self {
        // Before 1970 is still after 1900: count backwards from the Unix epoch.
        let nanos: i128 = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => after.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        };
        let since_1900 = nanos + i128::from(NTP_UNIX_OFFSET_SECS) * 1_000_000_000;
        let fixed = (since_1900 << 32) / 1_000_000_000;
        // Truncation to 64 bits is the era wrap.
        NtpTimestamp(fixed as u64)
    }

    /// `self - earlier` in seconds, era-safe as described on the type.
    pub fn seconds_since(self, earlier: NtpTimestamp) -> f64 {
        let diff = self.0.wrapping_sub(earlier.0) as i64;
        diff as f64 / 4_294_967_296.0
    }
}

/// A client request whose transmit timestamp is `nonce`.
///
/// The nonce is random rather than our clock: the server copies it into the reply's originate
/// field, so a reply that echoes it answers this very request (an off-path forger cannot guess
/// it), and the request does not reveal our clock. Our real send time is kept locally.
pub fn request(nonce: NtpTimestamp) -> [u8; HEADER_LEN] {
    let mut packet = [0u8; HEADER_LEN];
    packet[0] = (CLIENT_VERSION << 3) | MODE_CLIENT;
    packet[40..48].copy_from_slice(&nonce.0.to_be_bytes());
    packet
}

/// What a checked server reply says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reply {
    /// The server's stratum (1 for a reference clock, up to 15).
    pub stratum: u8,
    /// When the server received the request (T2).
    pub receive: NtpTimestamp,
    /// When the server sent the reply (T3).
    pub transmit: NtpTimestamp,
    /// The server's own error bound against its reference: root delay / 2 + root dispersion,
    /// in seconds.
    pub root_distance: f64,
}

/// Why a datagram is not a usable answer to our request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// Shorter than an NTP header.
    #[error("reply of {len} bytes is too short for an NTP header ({HEADER_LEN} bytes)")]
    TooShort {
        /// Bytes received.
        len: usize,
    },
    /// Not a server (4) or broadcast (5) packet.
    #[error("reply has mode {mode}, not a server reply (mode 4)")]
    WrongMode {
        /// The mode field.
        mode: u8,
    },
    /// An NTP version this client does not understand.
    #[error("reply has NTP version {version}; only versions 3 and 4 are understood")]
    BadVersion {
        /// The version field.
        version: u8,
    },
    /// The originate timestamp is not the transmit timestamp we sent: a stale reply to an
    /// earlier request, or a forged one.
    #[error(
        "reply does not answer our request (its originate timestamp is not ours): stale or spoofed"
    )]
    OriginateMismatch,
    /// Stratum 0: a Kiss-o'-Death, the server asks us to stop or slow down.
    #[error("server sent a Kiss-o'-Death ({code}): {}", kiss_meaning(code))]
    KissOfDeath {
        /// The four-letter kiss code, such as RATE or DENY.
        code: String,
    },
    /// Leap indicator 3: the server itself does not know the time.
    #[error("server says its clock is not synchronised (leap indicator 3)")]
    Unsynchronised,
    /// Stratum 16 (unsynchronised) or a reserved value.
    #[error("server has stratum {stratum}: it is not synchronised")]
    BadStratum {
        /// The stratum field.
        stratum: u8,
    },
    /// A zero transmit timestamp carries no time.
    #[error("reply has a zero transmit timestamp")]
    ZeroTransmit,
    /// The server's own distance from its reference is too large to trust its time.
    #[error("server's root distance of {millis} ms is too large (over 1500 ms)")]
    RootDistance {
        /// Root delay / 2 + root dispersion, in milliseconds.
        millis: u64,
    },
}

/// RFC 5905's largest root distance a client should accept (MAXDIST), in seconds.
const MAX_ROOT_DISTANCE: f64 = 1.5;

/// Reads a datagram received in answer to the request carrying `nonce`.
///
/// The originate check comes before everything the server says about itself, a Kiss-o'-Death
/// included, so that a forged packet can neither feed us a time nor make us drop a server.
pub fn parse_reply(datagram: &[u8], nonce: NtpTimestamp) -> Result<Reply, PacketError> {
    if datagram.len() < HEADER_LEN {
        return Err(PacketError::TooShort {
            len: datagram.len(),
        });
    }
    let leap = datagram[0] >> 6;
    let version = (datagram[0] >> 3) & 0b111;
    let mode = datagram[0] & 0b111;
    if mode != MODE_SERVER && mode != MODE_BROADCAST {
        return Err(PacketError::WrongMode { mode });
    }
    if read_timestamp(datagram, 24) != nonce {
        return Err(PacketError::OriginateMismatch);
    }
    if !(3..=4).contains(&version) {
        return Err(PacketError::BadVersion { version });
    }
    let stratum = datagram[1];
    if stratum == 0 {
        return Err(PacketError::KissOfDeath {
            code: kiss_code(&datagram[12..16]),
        });
    }
    if leap == LEAP_UNSYNCHRONISED {
        return Err(PacketError::Unsynchronised);
    }
    if stratum > MAX_STRATUM {
        return Err(PacketError::BadStratum { stratum });
    }
    let transmit = read_timestamp(datagram, 40);
    if transmit.0 == 0 {
        return Err(PacketError::ZeroTransmit);
    }
    let root_delay = read_short(datagram, 4);
    let root_dispersion = read_short(datagram, 8);
    let root_distance = root_delay / 2.0 + root_dispersion;
    if root_distance > MAX_ROOT_DISTANCE {
        return Err(PacketError::RootDistance {
            millis: (root_distance * 1000.0) as u64,
        });
    }
    Ok(Reply {
        stratum,
        receive: read_timestamp(datagram, 32),
        transmit,
        root_distance,
    })
}

fn read_timestamp(datagram: &[u8], at: usize) -> NtpTimestamp {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&datagram[at..at + 8]);
    NtpTimestamp(u64::from_be_bytes(bytes))
}

/// A 16.16 fixed-point "short format" field, in seconds. The root delay is signed in
/// RFC 5905 but a negative one means nothing; read as unsigned it fails the distance check.
fn read_short(datagram: &[u8], at: usize) -> f64 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&datagram[at..at + 4]);
    f64::from(u32::from_be_bytes(bytes)) / 65_536.0
}

/// The kiss code as printable text; the bytes come from the network, so anything that is not
/// printable ASCII is shown escaped.
fn kiss_code(bytes: &[u8]) -> String {
    bytes
        .iter()
        .filter(|&&b| b != 0)
        .flat_map(|&b| std::ascii::escape_default(b))
        .map(char::from)
        .collect()
}

/// What the common kiss codes ask of a client (RFC 5905 section 7.4).
fn kiss_meaning(code: &str) -> &'static str {
    match code {
        "RATE" => "asked too often, the server wants fewer requests",
        "DENY" | "RSTR" => "the server refuses to serve this client",
        _ => "the server refuses this request",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const NONCE: NtpTimestamp = NtpTimestamp(0x0123_4567_89ab_cdef);

    fn good_reply() -> [u8; HEADER_LEN] {
        let mut packet = [0u8; HEADER_LEN];
        packet[0] = (4 << 3) | MODE_SERVER;
        packet[1] = 2;
        packet[24..32].copy_from_slice(&NONCE.0.to_be_bytes());
        packet[32..40].copy_from_slice(&(0xE000_0000u64 << 32).to_be_bytes());
        packet[40..48].copy_from_slice(&((0xE000_0000u64 << 32) | 1).to_be_bytes());
        packet
    }

    #[test]
    fn unix_epoch_is_ntp_2208988800() {
        let at_epoch = NtpTimestamp::from_system(UNIX_EPOCH);
        assert_eq!(at_epoch.0, NTP_UNIX_OFFSET_SECS << 32);
        let half = NtpTimestamp::from_system(UNIX_EPOCH + Duration::from_millis(500));
        assert_eq!(half.0 & 0xFFFF_FFFF, 0x8000_0000);
    }

    #[test]
    fn differences_cross_the_2036_era_wrap() {
        // 2036-02-07 06:28:16 UTC is where the NTP seconds wrap to zero.
        let wrap = UNIX_EPOCH + Duration::from_secs((1u64 << 32) - NTP_UNIX_OFFSET_SECS);
        let before = NtpTimestamp::from_system(wrap - Duration::from_secs(3));
        let after = NtpTimestamp::from_system(wrap + Duration::from_secs(2));
        assert!(after.0 < before.0, "the era wrapped");
        assert_eq!(after.seconds_since(before), 5.0);
        assert_eq!(before.seconds_since(after), -5.0);
    }

    #[test]
    fn request_carries_version_mode_and_nonce() {
        let packet = request(NONCE);
        assert_eq!(packet[0], 0b00_100_011);
        assert_eq!(&packet[40..48], &NONCE.0.to_be_bytes());
        assert!(packet[1..40].iter().all(|&b| b == 0));
    }

    #[test]
    fn good_reply_is_read() {
        let reply = parse_reply(&good_reply(), NONCE).unwrap();
        assert_eq!(reply.stratum, 2);
        assert_eq!(
            reply.transmit.seconds_since(reply.receive),
            1.0 / 4_294_967_296.0
        );
    }

    #[test]
    fn every_rejection_names_its_problem() {
        let patch = |f: &dyn Fn(&mut [u8; HEADER_LEN])| {
            let mut packet = good_reply();
            f(&mut packet);
            parse_reply(&packet, NONCE).unwrap_err()
        };
        assert_eq!(
            parse_reply(&good_reply()[..47], NONCE).unwrap_err(),
            PacketError::TooShort { len: 47 }
        );
        assert_eq!(
            patch(&|p| p[0] = (4 << 3) | 3),
            PacketError::WrongMode { mode: 3 }
        );
        assert_eq!(patch(&|p| p[24] ^= 1), PacketError::OriginateMismatch);
        assert_eq!(
            patch(&|p| p[0] = (2 << 3) | 4),
            PacketError::BadVersion { version: 2 }
        );
        assert_eq!(
            patch(&|p| {
                p[0] = (3 << 6) | (4 << 3) | 4;
                p[1] = 0;
                p[12..16].copy_from_slice(b"RATE");
            }),
            PacketError::KissOfDeath {
                code: "RATE".into()
            }
        );
        assert_eq!(
            patch(&|p| p[0] = (3 << 6) | (4 << 3) | 4),
            PacketError::Unsynchronised
        );
        assert_eq!(
            patch(&|p| p[1] = 16),
            PacketError::BadStratum { stratum: 16 }
        );
        assert_eq!(patch(&|p| p[40..48].fill(0)), PacketError::ZeroTransmit);
        assert_eq!(
            patch(&|p| p[8..12].copy_from_slice(&(2u32 << 16).to_be_bytes())),
            PacketError::RootDistance { millis: 2000 }
        );
    }

    #[test]
    fn broadcast_mode_and_version_3_are_accepted() {
        let mut packet = good_reply();
        packet[0] = (3 << 3) | MODE_BROADCAST;
        assert!(parse_reply(&packet, NONCE).is_ok());
    }

    #[test]
    fn kiss_codes_are_printable_and_explained() {
        assert_eq!(kiss_code(b"DE\x01Y"), "DE\\x01Y");
        let deny = PacketError::KissOfDeath {
            code: "DENY".into(),
        };
        assert_eq!(
            deny.to_string(),
            "server sent a Kiss-o'-Death (DENY): the server refuses to serve this client"
        );
    }
}
