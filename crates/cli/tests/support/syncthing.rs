//! Two real Syncthing instances on loopback sharing one folder, for tests that let Syncthing
//! carry a vault between two "computers".
//!
//! Each instance has its own home (keys, config, database) and folder under a temporary
//! directory, its GUI/REST API and sync protocol on free 127.0.0.1 ports, and knows the other
//! only by its `tcp://127.0.0.1:PORT` address: no global or local discovery, no relays, no NAT
//! traversal, no usage or crash reports, no upgrades. Both are introduced through the
//! config.xml written before they start. They are stopped by the process ids started here,
//! also when a test panics.

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The id of the shared folder in both configs.
pub const FOLDER_ID: &str = "tessera-sync";

/// How long one REST call may take on a loaded machine.
const REST_TIMEOUT: Duration = Duration::from_secs(30);

/// The Debian package's binary; `cargo xtask test` installs the package.
const SYNCTHING: &str = "syncthing";

/// One running Syncthing instance.
pub struct Instance {
    /// "A" or "B", for messages.
    pub name: &'static str,
    /// Its device id, from the certificate `syncthing generate` made.
    pub device_id: String,
    /// Its copy of the shared folder.
    pub folder: PathBuf,
    home: PathBuf,
    rest: SocketAddr,
    api_key: String,
    child: Child,
}

/// Two instances that share [`FOLDER_ID`].
pub struct Pair {
    /// The first instance.
    pub a: Instance,
    /// The second instance.
    pub b: Instance,
    /// Which files of the folder must hold the same bytes on both sides for the pair to be in
    /// sync. A file a program keeps for one computer (a backup hard-linked to an older
    /// version keeps that version's time, so Syncthing may not see it change) can be left out.
    compared: fn(&str) -> bool,
}

/// What `syncthing generate` made for one instance before it starts.
struct Prepared {
    name: &'static str,
    home: PathBuf,
    folder: PathBuf,
    device_id: String,
    rest_port: u16,
    listen_port: u16,
}

fn syncthing() -> Command {
    let mut command = Command::new(SYNCTHING);
    // Syncthing normally runs as a monitor process that starts the real one as its child;
    // STMONITORED (what the monitor sets for that child) makes the process started here the
    // real one, so its pid is the one to stop. One thread each leaves the CPU to the writers
    // on a small machine.
    command
        .env("STMONITORED", "yes")
        .env("STNOUPGRADE", "1")
        .env("STNODEFAULTFOLDER", "1")
        .env("GOMAXPROCS", "1");
    command
}

fn run_syncthing(args: &[&str]) -> String {
    let output = match syncthing().args(args).output() {
        Ok(output) => output,
        Err(err) => panic!(
            "cannot run {SYNCTHING} ({err}): this test needs Debian's syncthing package; \
             `cargo xtask test` installs it"
        ),
    };
    assert!(
        output.status.success(),
        "syncthing {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Free loopback ports, all held until every one is chosen so none is handed out twice.
fn free_ports(count: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..count)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind a free loopback port"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("a bound port").port())
        .collect()
}

fn prepare(root: &Path, name: &'static str, rest_port: u16, listen_port: u16) -> Prepared {
    let home = root.join(format!("home-{name}"));
    let folder = root.join(format!("folder-{name}"));
    std::fs::create_dir_all(&folder).expect("create the shared folder");
    let home_arg = format!("--home={}", home.display());
    run_syncthing(&["generate", &home_arg, "--no-default-folder"]);
    let device_id = run_syncthing(&["serve", &home_arg, "--device-id"])
        .trim()
        .to_string();
    assert!(
        device_id.len() > 50 && device_id.contains('-'),
        "syncthing printed no device id: {device_id:?}"
    );
    Prepared {
        name,
        home,
        folder,
        device_id,
        rest_port,
        listen_port,
    }
}

/// Writes the whole config.xml of `me`, which shares the folder with `other`. Syncthing fills
/// in defaults for every element left out.
fn write_config(me: &Prepared, other: &Prepared, api_key: &str) {
    let xml = format!(
        r#"<configuration version="36">
    <folder id="{folder_id}" label="{folder_id}" path="{folder}" type="sendreceive"
            rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1">
        <device id="{me_id}"></device>
        <device id="{other_id}"></device>
        <!-- Keep every conflict copy: the test merges them and must see each one. -->
        <maxConflicts>-1</maxConflicts>
        <!-- Retry a pull that met a file changed meanwhile after 2 s, not a minute. -->
        <pullerPauseS>2</pullerPauseS>
    </folder>
    <device id="{me_id}" name="{me_name}" compression="metadata">
        <address>dynamic</address>
    </device>
    <device id="{other_id}" name="{other_name}" compression="metadata">
        <address>tcp://127.0.0.1:{other_port}</address>
    </device>
    <gui enabled="true" tls="false">
        <address>127.0.0.1:{rest_port}</address>
        <apikey>{api_key}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{listen_port}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <announceLANAddresses>false</announceLANAddresses>
        <startBrowser>false</startBrowser>
        <urAccepted>-1</urAccepted>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <crashReportingEnabled>false</crashReportingEnabled>
        <reconnectionIntervalS>1</reconnectionIntervalS>
    </options>
</configuration>
"#,
        folder_id = FOLDER_ID,
        folder = me.folder.display(),
        me_id = me.device_id,
        me_name = me.name,
        other_id = other.device_id,
        other_name = other.name,
        other_port = other.listen_port,
        rest_port = me.rest_port,
        listen_port = me.listen_port,
    );
    std::fs::write(me.home.join("config.xml"), xml).expect("write config.xml");
}

fn start(me: Prepared, api_key: String) -> Instance {
    let log = std::fs::File::create(me.home.join("syncthing.log")).expect("create the log");
    let child = syncthing()
        .arg("serve")
        .arg(format!("--home={}", me.home.display()))
        .args([
            "--no-browser",
            "--no-restart",
            "--no-upgrade",
            "--logflags=3",
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("share the log file"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|err| {
            panic!(
                "cannot start {SYNCTHING} ({err}): this test needs Debian's syncthing \
                 package; `cargo xtask test` installs it"
            )
        });
    Instance {
        name: me.name,
        device_id: me.device_id,
        folder: me.folder,
        home: me.home,
        rest: SocketAddr::from(([127, 0, 0, 1], me.rest_port)),
        api_key,
        child,
    }
}

impl Pair {
    /// Starts two instances under `root` that share one folder, and waits until their REST
    /// APIs answer and they are connected. The files of the folder whose names pass `compared`
    /// must match for [`Pair::wait_in_sync`].
    pub fn start(root: &Path, compared: fn(&str) -> bool) -> Pair {
        let ports = free_ports(4);
        let a = prepare(root, "A", ports[0], ports[1]);
        let b = prepare(root, "B", ports[2], ports[3]);
        let key_a = format!("tessera-test-key-a-{}", ports[0]);
        let key_b = format!("tessera-test-key-b-{}", ports[2]);
        write_config(&a, &b, &key_a);
        write_config(&b, &a, &key_b);
        // Once `a` runs, a failure to start `b` drops (and so stops) it.
        let a = start(a, key_a);
        let pair = Pair {
            b: start(b, key_b),
            a,
            compared,
        };
        for instance in [&pair.a, &pair.b] {
            wait_for(
                &format!("the REST API of Syncthing {}", instance.name),
                Duration::from_secs(60),
                || instance.get("/rest/system/ping").map(|_| ()),
            );
        }
        pair.wait_connected(Duration::from_secs(60));
        pair
    }

    /// Both instances, with the other one's device id.
    pub fn each(&self) -> [(&Instance, &Instance); 2] {
        [(&self.a, &self.b), (&self.b, &self.a)]
    }

    /// Waits until each instance sees the other connected.
    pub fn wait_connected(&self, timeout: Duration) {
        self.wait("Syncthing A and B to connect", timeout, || {
            for (me, other) in self.each() {
                if !me.is_connected(other)? {
                    return Err(format!("{} does not see {} connected", me.name, other.name));
                }
            }
            Ok(())
        });
    }

    /// Waits until the pair is connected, both instances are idle with nothing left to pull,
    /// each has the other at 100 % and both folders hold the same compared files with the same
    /// bytes, twice in a row a second apart (a change not yet scanned would show as a
    /// difference).
    pub fn wait_in_sync(&self, timeout: Duration) {
        let mut previous = None;
        self.wait("Syncthing A and B to be in sync", timeout, || {
            let files = self.sync_state().inspect_err(|_| previous = None)?;
            if previous.as_ref() == Some(&files) {
                return Ok(());
            }
            previous = Some(files);
            Err("in sync once; looking again".to_string())
        });
    }

    /// Like [`wait_for`], with the end of both instances' logs in the panic message.
    fn wait(&self, what: &str, timeout: Duration, check: impl FnMut() -> Result<(), String>) {
        if let Err(reason) = poll(timeout, check) {
            panic!(
                "timed out after {timeout:?} waiting for {what}: {reason}\n\
                 Syncthing A's log ends:\n{}\nSyncthing B's log ends:\n{}",
                self.a.log_tail(20),
                self.b.log_tail(20)
            );
        }
    }

    /// The files both folders hold if the pair is in sync; otherwise why not.
    fn sync_state(&self) -> Result<BTreeMap<String, Vec<u8>>, String> {
        for (me, other) in self.each() {
            if !me.is_connected(other)? {
                return Err(format!("{} does not see {} connected", me.name, other.name));
            }
            let status = me.get(&format!("/rest/db/status?folder={FOLDER_ID}"))?;
            let state = status["state"].as_str().unwrap_or("?");
            let need = status["needTotalItems"].as_i64().unwrap_or(-1);
            if state != "idle" || need != 0 {
                return Err(format!(
                    "{}'s folder is {state:?} and needs {need} items",
                    me.name
                ));
            }
            let completion = me.get(&format!(
                "/rest/db/completion?folder={FOLDER_ID}&device={}",
                other.device_id
            ))?;
            let percent = completion["completion"].as_f64().unwrap_or(-1.0);
            if percent < 100.0 {
                return Err(format!(
                    "{} sees {} at {percent} % of the folder",
                    me.name, other.name
                ));
            }
        }
        let compared = |files: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
            files
                .into_iter()
                .filter(|(name, _)| (self.compared)(name))
                .collect()
        };
        let files_a = compared(self.a.files());
        let files_b = compared(self.b.files());
        if files_a != files_b {
            let differ: Vec<&String> = files_a
                .keys()
                .chain(files_b.keys())
                .filter(|name| files_a.get(*name) != files_b.get(*name))
                .collect();
            return Err(format!("the folders differ in {differ:?}"));
        }
        Ok(files_a)
    }
}

impl Instance {
    /// Whether this instance has a live connection to `other`.
    pub fn is_connected(&self, other: &Instance) -> Result<bool, String> {
        let connections = self.get("/rest/system/connections")?;
        Ok(connections["connections"][&other.device_id]["connected"]
            .as_bool()
            .unwrap_or(false))
    }

    /// Pauses `other` on this instance: the two stop talking until [`Instance::resume`].
    pub fn pause(&self, other: &Instance) {
        self.post(&format!("/rest/system/pause?device={}", other.device_id))
            .unwrap_or_else(|e| panic!("{} could not pause {}: {e}", self.name, other.name));
    }

    /// Resumes `other` on this instance.
    pub fn resume(&self, other: &Instance) {
        self.post(&format!("/rest/system/resume?device={}", other.device_id))
            .unwrap_or_else(|e| panic!("{} could not resume {}: {e}", self.name, other.name));
    }

    /// The regular files of this instance's folder with their bytes, without Syncthing's own
    /// marker and temporary files.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let entries = std::fs::read_dir(&self.folder).expect("read the shared folder");
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
            if !is_file || name.starts_with(".syncthing.") || name.starts_with("~syncthing~") {
                continue;
            }
            // A file replaced while listing is caught by the next look.
            if let Ok(bytes) = std::fs::read(entry.path()) {
                files.insert(name, bytes);
            }
        }
        files
    }

    /// The last lines of this instance's log, for a failure message.
    fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(self.home.join("syncthing.log")).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    fn get(&self, path: &str) -> Result<Value, String> {
        self.request("GET", path)
    }

    fn post(&self, path: &str) -> Result<Value, String> {
        self.request("POST", path)
    }

    /// One REST call over HTTP/1.0, so the answer is a plain body that ends with the
    /// connection.
    fn request(&self, method: &str, path: &str) -> Result<Value, String> {
        let what = format!("{method} {path} on Syncthing {}", self.name);
        let mut stream = TcpStream::connect_timeout(&self.rest, REST_TIMEOUT)
            .map_err(|e| format!("{what}: cannot connect: {e}"))?;
        stream
            .set_read_timeout(Some(REST_TIMEOUT))
            .and_then(|()| stream.set_write_timeout(Some(REST_TIMEOUT)))
            .map_err(|e| format!("{what}: {e}"))?;
        let request = format!(
            "{method} {path} HTTP/1.0\r\nHost: {}\r\nX-API-Key: {}\r\nContent-Length: 0\r\n\r\n",
            self.rest, self.api_key
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| format!("{what}: cannot send: {e}"))?;
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .map_err(|e| format!("{what}: cannot read the answer: {e}"))?;
        let answer = String::from_utf8_lossy(&answer);
        let (head, body) = answer
            .split_once("\r\n\r\n")
            .ok_or_else(|| format!("{what}: not an HTTP answer: {answer:?}"))?;
        let status = head.split(' ').nth(1).unwrap_or("");
        if status != "200" {
            return Err(format!("{what}: HTTP {status}: {}", body.trim()));
        }
        if body.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(body).map_err(|e| format!("{what}: not JSON ({e}): {body:?}"))
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // By the id of the process started here, which is Syncthing itself (see STMONITORED).
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Calls `check` until it succeeds, a few times a second; panics after `timeout` naming
/// `what` did not happen and the last reason `check` gave.
pub fn wait_for(what: &str, timeout: Duration, check: impl FnMut() -> Result<(), String>) {
    if let Err(reason) = poll(timeout, check) {
        panic!("timed out after {timeout:?} waiting for {what}: {reason}");
    }
}

/// Calls `check` until it succeeds or `timeout` passes; then the last reason it gave.
fn poll(timeout: Duration, mut check: impl FnMut() -> Result<(), String>) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        let reason = match check() {
            Ok(()) => return Ok(()),
            Err(reason) => reason,
        };
        if Instant::now() >= deadline {
            return Err(reason);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
