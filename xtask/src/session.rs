//! A desktop session for the tests that need one: a private Xvfb display, and commands run
//! inside `dbus-run-session` with gnome-keyring serving the Secret Service.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

/// A private D-Bus session bus, as every desktop session has (the app's single-instance check
/// and WebKit both look for one); stopped when dropped.
pub struct SessionBus {
    child: Child,
    /// The DBUS_SESSION_BUS_ADDRESS value for clients.
    pub address: String,
}

impl SessionBus {
    /// Starts `dbus-daemon --session` and reads the address it prints once it listens.
    pub fn start() -> Result<Self> {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start dbus-daemon")?;
        let mut line = String::new();
        let stdout = child.stdout.take().context("dbus-daemon has no stdout")?;
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
            .context("could not read dbus-daemon's address")?;
        let address = line.trim().to_string();
        if address.is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            bail!("dbus-daemon printed no address");
        }
        Ok(SessionBus { child, address })
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running Xvfb server; stopped when dropped.
pub struct VirtualDisplay {
    child: Child,
    /// The DISPLAY value for clients, e.g. ":99".
    pub display: String,
}

impl VirtualDisplay {
    /// Starts Xvfb on the first free display number. `-displayfd` makes the server pick the
    /// number and tell us once it accepts connections, so there is no race and no guessing.
    pub fn start() -> Result<Self> {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start Xvfb (Debian package xvfb)")?;
        let mut stdout = child.stdout.take().context("Xvfb has no stdout")?;
        let mut number = String::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte)? == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        if number.trim().is_empty() {
            let _ = child.kill();
            bail!("Xvfb did not report a display number");
        }
        Ok(VirtualDisplay {
            child,
            display: format!(":{}", number.trim()),
        })
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wraps `program args` so it runs in a fresh D-Bus session bus with an unlocked
/// gnome-keyring providing the Secret Service. The keyring lives in a throwaway data folder,
/// so tests never touch the user's own; gnome-keyring only creates its login collection when
/// given a non-empty password, hence the fixed one.
pub fn in_dbus_session(program: &str, args: &[&str]) -> Command {
    let mut script = String::from(
        "export XDG_DATA_HOME=\"$(mktemp -d)\"; \
         printf tessera | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || \
         echo 'xtask: gnome-keyring did not start' >&2; exec",
    );
    for word in std::iter::once(program).chain(args.iter().copied()) {
        script.push(' ');
        script.push_str(&shell_quote(word));
    }
    let mut command = Command::new("dbus-run-session");
    command.args(["--", "sh", "-c", &script]);
    // A process group of its own: the bus activates desktop services (portals, accessibility)
    // inside this session, and a signal any of them sends to its group must not reach the
    // process running the tests.
    command.process_group(0);
    command
}

fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}
