//! A minimal W3C WebDriver client over plain HTTP on loopback: just the calls the suite uses.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The key W3C WebDriver uses for element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Sends one HTTP/1.1 request to 127.0.0.1:`port` and returns the parsed JSON body.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let body = read_response(&mut stream)?;
    let value: Value =
        serde_json::from_str(&body).map_err(|e| format!("bad JSON ({e}): {body:?}"))?;
    if let Some(error) = value["value"]["error"].as_str() {
        return Err(format!(
            "{error}: {}",
            value["value"]["message"].as_str().unwrap_or("")
        ));
    }
    Ok(value["value"].clone())
}

/// Reads one HTTP response body, framed by Content-Length or chunked encoding. The server
/// may keep the connection open despite `Connection: close`, so EOF is not waited for.
fn read_response(stream: &mut TcpStream) -> Result<String, String> {
    let mut reader = BufReader::new(stream);
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("connection closed before the response headers ended".into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse::<usize>().ok();
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).map_err(|e| e.to_string())?;
            let size = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    } else {
        reader.read_to_end(&mut body).map_err(|e| e.to_string())?;
    }
    String::from_utf8(body).map_err(|e| e.to_string())
}

fn element_list(found: &Value) -> Vec<Element> {
    found
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|e| e[ELEMENT_KEY].as_str())
                .map(|id| Element(id.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// A WebDriver session driving one instance of the app.
pub struct Session {
    port: u16,
    id: String,
}

/// A handle to an element of the page.
#[derive(Clone)]
pub struct Element(String);

impl Session {
    /// Opens a session that launches `application`. tauri-driver accepts connections before
    /// WebKitWebDriver is ready, so the request is retried for a while.
    pub fn start(port: u16, application: &str) -> Session {
        let capabilities = json!({
            "capabilities": { "alwaysMatch": { "tauri:options": { "application": application } } }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match http(port, "POST", "/session", Some(&capabilities)) {
                Ok(value) => {
                    let id = value["sessionId"].as_str().expect("session id").to_string();
                    return Session { port, id };
                }
                Err(err) if Instant::now() < deadline => {
                    eprintln!("waiting for the WebDriver server: {err}");
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(err) => panic!("could not open a WebDriver session: {err}"),
            }
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let path = format!("/session/{}{path}", self.id);
        http(self.port, method, &path, body.as_ref())
    }

    /// The elements matching a CSS selector (possibly none).
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self
            .call(
                "POST",
                "/elements",
                Some(json!({"using": "css selector", "value": css})),
            )
            .unwrap_or_else(|e| panic!("finding {css}: {e}"));
        element_list(&found)
    }

    /// An element as a script argument.
    pub fn element_json(&self, element: &Element) -> Value {
        json!({ ELEMENT_KEY: element.0 })
    }

    /// Waits up to `timeout` for an element matching `css` that is displayed.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(element) = self
                .find_all(css)
                .into_iter()
                .find(|e| self.is_displayed(e))
            {
                return element;
            }
            assert!(
                Instant::now() < deadline,
                "no visible element matches {css} after {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `condition` holds, failing with `what` after `timeout`.
    pub fn wait_until(&self, what: &str, timeout: Duration, mut condition: impl FnMut() -> bool) {
        let deadline = Instant::now() + timeout;
        while !condition() {
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Whether the element is rendered visibly.
    pub fn is_displayed(&self, element: &Element) -> bool {
        self.call("GET", &format!("/element/{}/displayed", element.0), None)
            .map(|v| v.as_bool().unwrap_or(false))
            .unwrap_or(false)
    }

    /// Clicks an element.
    pub fn click(&self, element: &Element) {
        self.call(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .unwrap_or_else(|e| panic!("click: {e}"));
    }

    /// Types text into an element.
    pub fn type_text(&self, element: &Element, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )
        .unwrap_or_else(|e| panic!("typing: {e}"));
    }

    /// The rendered text of an element.
    pub fn text(&self, element: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", element.0), None)
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|e| panic!("reading text: {e}"))
    }

    /// An attribute of an element, if set.
    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.call(
            "GET",
            &format!("/element/{}/attribute/{name}", element.0),
            None,
        )
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
    }

    /// Sends key presses to the focused element (WebDriver key codes such as "\u{E007}").
    pub fn press_keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                let c = c.to_string();
                [
                    json!({"type": "keyDown", "value": c}),
                    json!({"type": "keyUp", "value": c}),
                ]
            })
            .collect();
        self.call(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )
        .unwrap_or_else(|e| panic!("pressing keys: {e}"));
    }

    /// Runs a script in the page and returns its result.
    pub fn execute(&self, script: &str, args: Value) -> Result<Value, String> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", None);
    }
}
