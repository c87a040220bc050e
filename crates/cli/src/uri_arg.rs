//! The `--uri` argument shared by commands: the URI itself, or `-` to read it from standard
//! input so that the secret stays out of the process list.

use anyhow::{Context, Result};
use std::io::Read;
use tessera_core::uri::{self, OtpAuthUri};
use zeroize::Zeroizing;

/// The `--uri` value as text, read from standard input for `-`.
pub fn read_text(arg: String) -> Result<Zeroizing<String>> {
    if arg == "-" {
        let mut text = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the URI from standard input")?;
        Ok(text)
    } else {
        Ok(Zeroizing::new(arg))
    }
}

/// Parses the `--uri` value, printing the secret's warnings on stderr.
pub fn read(arg: String) -> Result<OtpAuthUri> {
    let text = read_text(arg)?;
    let parsed = uri::parse_with_warnings(&text).context("bad --uri")?;
    for warning in &parsed.warnings {
        eprintln!("tessera-cli: warning: {warning}");
    }
    Ok(parsed.uri)
}
