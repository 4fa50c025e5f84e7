//! A headless Chromium driven over WebDriver, for web-interface tests written as plain
//! synchronous test code: `let Some(b) = Browser::start("name") else { return };` then
//! `b.goto(..)`, `b.fill(..)`, `b.click(..)`, `b.wait_text(..)`.
//!
//! Every warning and error the browser logs (its console: a failed load, a CSP violation, a
//! script's `console.error`) fails the test, when the page changes and when the `Browser` is
//! dropped, unless the test said it expects it (`allow_console`).
//!
//! Each `Browser` is its own chromedriver (on a free loopback port), its own Chromium with a
//! fresh profile, and its own small tokio runtime, so tests run in parallel and one test can
//! hold two users' browsers at once. Every wait polls a condition in the page; none sleeps a
//! fixed time. Dropping the `Browser`, also while a test panics, ends the session, kills
//! chromedriver with the Chromium it started, and removes the profile.

use std::cell::{Cell, RefCell};
use std::fmt::Display;
use std::fs::File;
use std::future::Future;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub(crate) use fantoccini::key::Key;

/// How long a wait polls before the test fails: long enough for a judged submission on a
/// busy CI machine, short enough that a broken page fails the run soon.
const TIMEOUT: Duration = Duration::from_secs(20);
/// How often a wait asks the page again.
const POLL: Duration = Duration::from_millis(50);
/// The longest one WebDriver command may take; a page load is bounded by `TIMEOUT` already.
const COMMAND: Duration = Duration::from_secs(30);

/// Methods that fail the test carry `#[track_caller]`, so a failure names the test's line.
pub(crate) struct Browser {
    test: String,
    rt: tokio::runtime::Runtime,
    /// `None` only once `Drop` has taken it to end the session.
    client: Option<Client>,
    driver: Child,
    shots: Cell<u32>,
    /// chromedriver's address and this browser's session there, for the commands fantoccini
    /// has no method for (the console log, DevTools commands).
    driver_url: String,
    session: String,
    /// Parts of console messages the test expects (a 404 page it opened on purpose).
    allowed: RefCell<Vec<String>>,
    /// The Chromium profile and chromedriver's log; removed after `Drop` has run.
    dir: tempfile::TempDir,
}

impl Browser {
    /// A headless Chromium for the test `test` (which also names its screenshot folder, so two
    /// browsers in one test take two names, e.g. `"chat-ada"` and `"chat-bob"`).
    ///
    /// Without chromium and chromedriver on PATH it says so on stderr and returns `None`, so a
    /// developer without them still runs the rest of the suite; with `CI=true` it panics
    /// instead, because CI installs them (`.ci/run`) and a skipped browser test there would
    /// hide a broken web interface.
    #[track_caller]
    pub(crate) fn start(test: &str) -> Option<Browser> {
        let (Some(driver), Some(chromium)) = (
            on_path(&["chromedriver"]),
            on_path(&["chromium", "chromium-browser", "google-chrome"]),
        ) else {
            let why = "no chromium/chromedriver (apt-get install chromium chromium-driver)";
            let ci = std::env::var("CI").as_deref() == Ok("true");
            assert!(!ci, "{test}: {why}");
            // Straight to stderr, past the test harness's capture, so a skip is seen.
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("judge-browser-")
            .tempdir()
            .unwrap();
        let shots = shot_dir(test);
        let _ = std::fs::remove_dir_all(&shots);

        let (driver, url) = start_driver(&driver, dir.path());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let profile = dir.path().join("profile");
        let ms = TIMEOUT.as_millis() as u64;
        let caps = json!({
            "browserName": "chrome",
            // The console, every level, read by `console`.
            "goog:loggingPrefs": { "browser": "ALL" },
            "timeouts": { "pageLoad": ms, "script": ms },
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new",
                    // Root (CI, these machines) cannot start Chromium's sandbox.
                    "--no-sandbox",
                    "--disable-gpu",
                    // Containers have a small /dev/shm; Chromium then crashes on big pages.
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        });
        let mut browser = Browser {
            test: test.to_string(),
            rt,
            client: None,
            driver,
            shots: Cell::new(0),
            driver_url: url.clone(),
            session: String::new(),
            allowed: RefCell::new(Vec::new()),
            dir,
        };
        // From here a failure drops `browser`, which kills chromedriver and removes the dir.
        let client = browser.run(
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.as_object().unwrap().clone())
                .connect(&url),
        );
        match client {
            Ok(client) => {
                let id = browser.run(client.session_id());
                browser.session = id.ok().flatten().unwrap_or_default();
                browser.client = Some(client);
            }
            Err(e) => panic!(
                "{test}: no browser session: {e}\nchromedriver's log:\n{}",
                browser.driver_log()
            ),
        }
        Some(browser)
    }

    /// Opens `url`, after checking the console of the page it leaves.
    #[track_caller]
    pub(crate) fn goto(&self, url: &str) {
        self.assert_console_clean();
        let c = self.client();
        self.must("goto", c.goto(url));
    }

    /// Reloads the page, after checking its console.
    #[track_caller]
    pub(crate) fn reload(&self) {
        self.assert_console_clean();
        let c = self.client();
        self.must("reload", c.refresh());
    }

    /// Console messages containing `part` are expected from now on (an error page opened
    /// on purpose logs its status; a request the test makes fail logs its failure).
    pub(crate) fn allow_console(&self, part: &str) {
        self.allowed.borrow_mut().push(part.to_string());
    }

    /// The warnings and errors the browser logged since the last call that the test did not
    /// say it expects, as "LEVEL message" lines.
    #[track_caller]
    pub(crate) fn console(&self) -> Vec<String> {
        self.read_console()
            .unwrap_or_else(|e| panic!("{}: the console could not be read: {e}", self.test))
    }

    fn read_console(&self) -> Result<Vec<String>, String> {
        let entries = self.driver_command("POST", "se/log", &json!({ "type": "browser" }))?;
        let allowed = self.allowed.borrow();
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| matches!(e["level"].as_str(), Some("WARNING" | "SEVERE")))
            .map(|e| {
                let level = e["level"].as_str().unwrap_or("");
                format!("{level} {}", e["message"].as_str().unwrap_or(""))
            })
            .filter(|line| !allowed.iter().any(|part| line.contains(part.as_str())))
            .collect())
    }

    /// Fails the test when the browser logged a warning or an error it did not expect.
    #[track_caller]
    pub(crate) fn assert_console_clean(&self) {
        let entries = self.console();
        assert!(
            entries.is_empty(),
            "{}: the browser's console has warnings or errors:\n{}\n{}",
            self.test,
            entries.join("\n"),
            self.page()
        );
    }

    /// Whether the page sees a dark system theme (`prefers-color-scheme`), as the DevTools
    /// protocol emulates it.
    #[track_caller]
    pub(crate) fn prefer_dark(&self, dark: bool) {
        let value = if dark { "dark" } else { "light" };
        let emulate = json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "features": [{ "name": "prefers-color-scheme", "value": value }] },
        });
        if let Err(e) = self.driver_command("POST", "goog/cdp/execute", &emulate) {
            panic!("{}: prefers-color-scheme {value}: {e}", self.test);
        }
    }

    /// A chromedriver command on this session that fantoccini has no method for: its value.
    fn driver_command(&self, method: &str, path: &str, body: &Value) -> Result<Value, String> {
        let url = format!("{}/session/{}/{path}", self.driver_url, self.session);
        let answer = ureq::request(method, &url)
            .timeout(COMMAND)
            .send_json(body.clone())
            .map_err(|e| format!("{path}: {e}"))?;
        let json: Value = answer.into_json().map_err(|e| format!("{path}: {e}"))?;
        Ok(json["value"].clone())
    }

    #[track_caller]
    pub(crate) fn set_size(&self, width: u32, height: u32) {
        let c = self.client();
        self.must("set_size", c.set_window_size(width, height));
    }

    /// Waits until `css` matches an element that is displayed.
    #[track_caller]
    pub(crate) fn wait_for(&self, css: &str) {
        self.displayed(css);
    }

    /// Waits until the first element matching `css` is displayed and its text contains `text`.
    #[track_caller]
    pub(crate) fn wait_text(&self, css: &str, text: &str) {
        self.until(&format!("{css} to contain {text:?}"), || {
            let el = self.find(css)?;
            let now = self.run(el.text())?;
            if now.contains(text) {
                Ok(())
            } else {
                Err(format!("its text is {now:?}"))
            }
        });
    }

    /// Waits until `js` (a function body, as for `execute`) returns something other than
    /// false, null or undefined, and gives that back.
    #[track_caller]
    pub(crate) fn wait_js(&self, what: &str, js: &str, args: &[Value]) -> Value {
        self.until(what, || {
            let c = self.client();
            match self.run(c.execute(js, args.to_vec()))? {
                Value::Null | Value::Bool(false) => Err("not yet".to_string()),
                v => Ok(v),
            }
        })
    }

    /// The rendered text of the first element matching `css`, once it is displayed.
    #[track_caller]
    pub(crate) fn text(&self, css: &str) -> String {
        self.until(&format!("text of {css}"), || {
            let el = self.find(css)?;
            self.run(el.text())
        })
    }

    /// How many elements match `css` now (no wait: zero is an answer).
    #[track_caller]
    pub(crate) fn count(&self, css: &str) -> usize {
        let c = self.client();
        self.must("count", c.find_all(Locator::Css(css))).len()
    }

    /// Clicks the first element matching `css`, retrying while it is missing, hidden or
    /// covered (a click that lands on an overlay still fading out fails and is tried again).
    #[track_caller]
    pub(crate) fn click(&self, css: &str) {
        self.until(&format!("a click on {css}"), || {
            let el = self.find(css)?;
            self.run(el.click())
        });
    }

    /// Clears the input or textarea matching `css`, then types `text` into it.
    #[track_caller]
    pub(crate) fn fill(&self, css: &str, text: &str) {
        let el = self.displayed(css);
        self.must("clear", el.clear());
        self.must("fill", el.send_keys(text));
    }

    /// Types `keys` into the element matching `css` (focusing it first); `chord` builds key
    /// combinations such as Ctrl+Enter.
    #[track_caller]
    pub(crate) fn send_keys(&self, css: &str, keys: &str) {
        let el = self.displayed(css);
        self.must("send_keys", el.send_keys(keys));
    }

    /// Runs `js` as a function body in the page (`arguments[0]`, ... are `args`; `return x`
    /// gives `x` back).
    #[track_caller]
    pub(crate) fn execute(&self, js: &str, args: &[Value]) -> Value {
        let c = self.client();
        self.must("execute", c.execute(js, args.to_vec()))
    }

    /// Runs `js` as an asynchronous function body: it ends by calling the last argument with
    /// its answer.
    #[track_caller]
    pub(crate) fn execute_async(&self, js: &str, args: &[Value]) -> Value {
        let c = self.client();
        self.must("execute_async", c.execute_async(js, args.to_vec()))
    }

    /// Presses `modifiers` + `key` wherever the focus is, as a keyboard would (WebDriver's key
    /// actions: nothing is focused first, so Tab moves the focus as it does for a person).
    #[track_caller]
    pub(crate) fn press(&self, modifiers: &[Key], key: Key) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        let down = |value: char| KeyAction::Down { value };
        let up = |value: char| KeyAction::Up { value };
        for m in modifiers {
            actions = actions.then(down(char::from(*m)));
        }
        actions = actions
            .then(down(char::from(key)))
            .then(up(char::from(key)));
        for m in modifiers.iter().rev() {
            actions = actions.then(up(char::from(*m)));
        }
        let c = self.client();
        self.must("press", c.perform_actions(actions));
    }

    #[track_caller]
    pub(crate) fn current_url(&self) -> String {
        let c = self.client();
        self.must("current_url", c.current_url()).to_string()
    }

    /// The cookie `name` of the current page: its value, whether it is HttpOnly, and its
    /// SameSite as the browser reports it ("Strict", "Lax", "None"; "" when not given).
    #[track_caller]
    pub(crate) fn cookie(&self, name: &str) -> Option<(String, bool, String)> {
        let c = self.client();
        let all = self.must("cookies", c.get_all_cookies());
        all.into_iter().find(|k| k.name() == name).map(|k| {
            (
                k.value().to_string(),
                k.http_only().unwrap_or(false),
                k.same_site().map(|s| s.to_string()).unwrap_or_default(),
            )
        })
    }

    /// Saves a screenshot to `target/browser-shots/<test>/<NN>-<step>.png` and prints its path:
    /// the shots of a run tell a reviewer what the page looked like at each step.
    #[track_caller]
    pub(crate) fn shot(&self, step: &str) -> PathBuf {
        let n = self.shots.get() + 1;
        self.shots.set(n);
        let png = self.must("shot", self.client().screenshot());
        let dir = shot_dir(&self.test);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{n:02}-{step}.png"));
        std::fs::write(&path, png).unwrap();
        println!("screenshot: {}", path.display());
        path
    }

    fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    /// The first element matching `css` when it is displayed, as a poll's answer.
    fn find(&self, css: &str) -> Result<Element, String> {
        let el = self.run(self.client().find(Locator::Css(css)))?;
        if self.run(el.is_displayed())? {
            Ok(el)
        } else {
            Err("it is not displayed".to_string())
        }
    }

    #[track_caller]
    fn displayed(&self, css: &str) -> Element {
        self.until(&format!("{css} to be displayed"), || self.find(css))
    }

    /// Asks `attempt` every `POLL` until it answers, for up to `TIMEOUT`; then fails the test
    /// with what it waited for, the last answer, and the page's visible text.
    #[track_caller]
    fn until<T>(&self, what: &str, mut attempt: impl FnMut() -> Result<T, String>) -> T {
        let start = Instant::now();
        loop {
            match attempt() {
                Ok(v) => return v,
                Err(last) if start.elapsed() >= TIMEOUT => {
                    panic!(
                        "{}: waited {TIMEOUT:?} for {what}; last: {last}\n{}",
                        self.test,
                        self.page()
                    )
                }
                Err(_) => std::thread::sleep(POLL),
            }
        }
    }

    /// The page's address and visible text, for a failure message.
    fn page(&self) -> String {
        let c = self.client();
        let url = self.run(c.current_url());
        let js = "return document.body ? document.body.innerText : ''";
        match (url, self.run(c.execute(js, vec![]))) {
            (Ok(url), Ok(text)) => format!(
                "--- page {url} ---\n{}\n---",
                text.as_str().unwrap_or_default()
            ),
            (Err(e), _) | (_, Err(e)) => format!("(no page text: {e})"),
        }
    }

    /// Runs one WebDriver command, bounded: a hung browser fails the test instead of hanging
    /// the run (chromedriver itself gives up on a page load after `TIMEOUT`).
    fn run<T, E: Display>(&self, command: impl Future<Output = Result<T, E>>) -> Result<T, String> {
        let bounded = async { tokio::time::timeout(COMMAND, command).await };
        match self.rt.block_on(bounded) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer from the browser in {COMMAND:?}")),
        }
    }

    /// `run`, failing the test with what failed and the page's text.
    #[track_caller]
    fn must<T, E: Display>(&self, what: &str, command: impl Future<Output = Result<T, E>>) -> T {
        match self.run(command) {
            Ok(v) => v,
            Err(e) => panic!("{}: {what}: {e}\n{}", self.test, self.page()),
        }
    }

    fn driver_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("chromedriver.log")).unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The last page's console: checked unless the test already failed (a second panic
        // would abort the run and hide the first).
        let failing = std::thread::panicking();
        let unexpected = if failing || self.client.is_none() {
            Vec::new()
        } else {
            self.read_console()
                .unwrap_or_else(|e| vec![format!("(not read: {e})")])
        };
        if let Some(client) = self.client.take() {
            // Ends the session, which quits Chromium; bounded so a hung browser cannot hang
            // the test run (the kill below covers it).
            let close =
                async { tokio::time::timeout(Duration::from_secs(10), client.close()).await };
            let _ = self.rt.block_on(close);
        }
        // chromedriver leads its own process group, which holds the Chromium it started.
        let group = -(self.driver.id() as i32);
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.driver.wait();
        assert!(
            unexpected.is_empty(),
            "{}: the browser's console has warnings or errors:\n{}",
            self.test,
            unexpected.join("\n")
        );
    }
}

/// A key combination for `send_keys`: the modifiers are held while `key` is pressed, then all
/// released (WebDriver keeps a modifier down until the Null key).
/// `chord(&[Key::Control, Key::Shift], Key::Enter)` is Ctrl+Shift+Enter.
pub(crate) fn chord(modifiers: &[Key], key: impl Display) -> String {
    let mut keys: String = modifiers.iter().map(|k| char::from(*k)).collect();
    keys += &key.to_string();
    keys.push(char::from(Key::Null));
    keys
}

fn shot_dir(test: &str) -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp, so the shots land in <target>/browser-shots.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("browser-shots")
        .join(test)
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|file| file.is_file())
    })
}

/// Starts chromedriver on a free loopback port and waits until its `/status` says ready.
/// Another process can take the port between our probe and chromedriver's bind; then
/// chromedriver exits and the next port is tried.
fn start_driver(driver: &Path, dir: &Path) -> (Child, String) {
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = File::create(dir.join("chromedriver.log")).unwrap();
        let mut child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let ready = ureq::get(&format!("{url}/status"))
                .timeout(Duration::from_secs(2))
                .call()
                .ok()
                .and_then(|r| r.into_json::<Value>().ok())
                .is_some_and(|s| s["value"]["ready"] == true);
            if ready {
                return (child, url);
            }
            std::thread::sleep(POLL);
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!(
        "chromedriver never became ready; its log:\n{}",
        std::fs::read_to_string(dir.join("chromedriver.log")).unwrap_or_default()
    );
}

#[cfg(test)]
mod tests {
    //! The harness itself, on a small page served from inside the test: no web interface
    //! needed.

    use super::*;

    const PAGE: &str = r#"<!doctype html>
<html><head><title>harness</title><link rel="icon" href="data:,">
<style>body { font: 16px sans-serif; margin: 2em } #out { color: #06c; font-size: 24px }</style>
</head><body>
<h1>Harness page</h1>
<input id="name" placeholder="name">
<button id="go">Greet</button>
<p id="out">nobody yet</p>
<textarea id="code" rows="4" cols="40"></textarea>
<ul id="keys"></ul>
<script>
  // The greeting appears a little later, as a server's answer would: the test must wait.
  document.getElementById('go').addEventListener('click', () => {
    const name = document.getElementById('name').value;
    setTimeout(() => { document.getElementById('out').textContent = 'hello ' + name; }, 300);
  });
  document.getElementById('code').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.ctrlKey) {
      e.preventDefault();
      const li = document.createElement('li');
      li.textContent = e.shiftKey ? 'ctrl+shift+enter' : 'ctrl+enter';
      document.getElementById('keys').append(li);
    }
  });
</script>
</body></html>"#;

    /// Serves `PAGE` at `/` (setting a session cookie) on a loopback port; the server lives
    /// as long as the returned runtime.
    fn serve_page() -> (tokio::runtime::Runtime, String) {
        use axum::http::header;
        use axum::response::IntoResponse;
        async fn page() -> impl IntoResponse {
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (
                        header::SET_COOKIE,
                        "sid=s3cret; Path=/; HttpOnly; SameSite=Strict",
                    ),
                ],
                PAGE,
            )
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let app = axum::Router::new().route("/", axum::routing::get(page));
        rt.spawn(async move { axum::serve(listener, app).await });
        (rt, url)
    }

    #[test]
    fn browser_drives_a_page() {
        let Some(b) = Browser::start("browser_drives_a_page") else {
            return;
        };
        let (_server, url) = serve_page();
        b.goto(&url);
        b.wait_for("h1");
        assert_eq!(b.current_url(), url);
        assert_eq!(b.text("#out"), "nobody yet");

        b.fill("#name", "first");
        b.fill("#name", "Ada");
        b.click("#go");
        b.wait_text("#out", "hello Ada");

        assert_eq!(b.count("#keys li"), 0);
        b.send_keys("#code", "fn main() {}");
        b.send_keys("#code", &chord(&[Key::Control], Key::Enter));
        b.send_keys("#code", &chord(&[Key::Control, Key::Shift], Key::Enter));
        b.wait_text("#keys li:nth-child(2)", "ctrl+shift+enter");
        assert_eq!(b.text("#keys li:nth-child(1)"), "ctrl+enter");
        assert_eq!(b.count("#keys li"), 2);
        // The modifiers were released: plain typing after a chord is plain.
        b.send_keys("#code", "x");
        let typed = b.execute(
            "return document.querySelector(arguments[0]).value",
            &[json!("#code")],
        );
        assert_eq!(typed, json!("fn main() {}x"));

        assert_eq!(
            b.cookie("sid"),
            Some(("s3cret".to_string(), true, "Strict".to_string()))
        );
        assert_eq!(b.cookie("nothing"), None);

        b.set_size(600, 400);
        let inner = b.execute("return [window.innerWidth, window.innerHeight]", &[]);
        assert!(inner[0].as_u64().unwrap() <= 600, "{inner}");

        b.set_size(1280, 900);
        let shot = b.shot("greeted");
        assert!(shot.ends_with("browser_drives_a_page/01-greeted.png"));
        let png = std::fs::read(&shot).unwrap();
        assert!(png.len() > 1000, "{} bytes", png.len());
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(b.shot("again").ends_with("02-again.png"));
    }

    /// Two users at once: two sessions side by side, each with its own profile (cookies,
    /// storage) and its own page state.
    #[test]
    fn two_browsers_at_once() {
        let (Some(ada), Some(bob)) = (
            Browser::start("two_browsers_at_once-ada"),
            Browser::start("two_browsers_at_once-bob"),
        ) else {
            return;
        };
        let (_server, url) = serve_page();
        ada.goto(&url);
        bob.goto(&url);
        ada.execute("localStorage.setItem('who', 'ada')", &[]);
        ada.fill("#name", "Ada");
        bob.fill("#name", "Bob");
        ada.click("#go");
        bob.click("#go");
        ada.wait_text("#out", "hello Ada");
        bob.wait_text("#out", "hello Bob");
        assert_eq!(
            bob.execute("return localStorage.getItem('who')", &[]),
            Value::Null
        );
    }

    /// Dropping a `Browser` ends chromedriver and removes the profile.
    #[test]
    fn browser_cleans_up() {
        let Some(b) = Browser::start("browser_cleans_up") else {
            return;
        };
        let dir = b.dir.path().to_path_buf();
        let pid = b.driver.id() as i32;
        assert!(dir.join("profile").is_dir());
        drop(b);
        assert!(!dir.exists());
        assert_eq!(live_in_group(pid), Vec::<String>::new());
    }

    /// The processes of group `pgid` still running (a zombie has ended; whether it is reaped
    /// is up to its parent, on a container without an init that is nobody).
    fn live_in_group(pgid: i32) -> Vec<String> {
        let mut live = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid pgrp ...: comm can hold spaces, so split after its ')'.
            let Some((head, rest)) = stat.rsplit_once(") ") else {
                continue;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if fields[2] == pgid.to_string() && fields[0] != "Z" {
                live.push(format!("{head})"));
            }
        }
        live
    }
}
