//! A minimal W3C WebDriver client on loopback: just the calls the suite uses.

use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The key W3C WebDriver uses for element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Sends one request to the WebDriver server on 127.0.0.1:`port` and returns the `value`
/// of its JSON answer, or the WebDriver error it reports.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let url = format!("http://127.0.0.1:{port}{path}");
    let response = match method {
        "GET" => agent.get(&url).call(),
        "DELETE" => agent.delete(&url).call(),
        _ => agent
            .post(&url)
            .header("Content-Type", "application/json")
            .send(body.map(Value::to_string).unwrap_or_else(|| "{}".into())),
    };
    let text = response
        .map_err(|e| e.to_string())?
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| format!("bad JSON ({e}): {text:?}"))?;
    if let Some(error) = value["value"]["error"].as_str() {
        return Err(format!(
            "{error}: {}",
            value["value"]["message"].as_str().unwrap_or("")
        ));
    }
    Ok(value["value"].clone())
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

    /// Clicks an element. WebKitWebDriver scrolls the page but not a scrolling box inside it
    /// (a dialog's body), so the element is brought into view first, as a user would scroll.
    pub fn click(&self, element: &Element) {
        // Best effort: an element that cannot scroll still gets the click and its error.
        let _ = self.execute(
            "arguments[0].scrollIntoView({ block: 'nearest' });",
            json!([self.element_json(element)]),
        );
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
        self.try_text(element)
            .unwrap_or_else(|| panic!("cannot read the text of an element that is gone"))
    }

    /// The rendered text of an element, or `None` when it has left the page.
    pub fn try_text(&self, element: &Element) -> Option<String> {
        self.call("GET", &format!("/element/{}/text", element.0), None)
            .ok()
            .map(|v| v.as_str().unwrap_or_default().to_string())
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
    /// The window's position and size: `(x, y, width, height)`.
    pub fn window_rect(&self) -> (i64, i64, i64, i64) {
        let rect = self
            .call("GET", "/window/rect", None)
            .unwrap_or_else(|e| panic!("window rect: {e}"));
        let field = |name: &str| rect[name].as_f64().unwrap_or(0.0).round() as i64;
        (field("x"), field("y"), field("width"), field("height"))
    }

    /// Moves and resizes the window, as a user dragging it would.
    pub fn set_window_rect(&self, x: i64, y: i64, width: i64, height: i64) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "x": x, "y": y, "width": width, "height": height })),
        )
        .unwrap_or_else(|e| panic!("set window rect: {e}"));
    }

    /// Presses `key` while holding `modifier` (a WebDriver key code such as Control, U+E009).
    pub fn press_chord(&self, modifier: char, key: char) {
        let actions: Vec<Value> = [
            ("keyDown", modifier),
            ("keyDown", key),
            ("keyUp", key),
            ("keyUp", modifier),
        ]
        .iter()
        .map(|(kind, c)| json!({"type": kind, "value": c.to_string()}))
        .collect();
        self.call(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )
        .unwrap_or_else(|e| panic!("pressing keys: {e}"));
    }

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
