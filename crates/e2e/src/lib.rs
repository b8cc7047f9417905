//! # End-to-end harness
//!
//! Serves the Trunk release build (`dist/`, or `$CLUSTERPLAY_DIST`) on 127.0.0.1 with a tiny
//! static file server, starts Debian's chromedriver on a free port, and drives headless
//! Chromium through WebDriver. Nothing leaves the machine. Every test saves screenshots under
//! `target/e2e-screenshots/`.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A preset's share-link fragment (without `#`).
pub fn preset_fragment(id: &str) -> String {
    let preset = clusterplay_scenario::preset(id).expect("a preset of the catalogue");
    clusterplay_scenario::link::fragment(&preset.scenario)
}

pub use fantoccini;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The release build the tests drive.
pub fn dist() -> PathBuf {
    let dir = std::env::var_os("CLUSTERPLAY_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("dist"));
    assert!(
        dir.join("index.html").exists(),
        "no release build at {}: run `cargo xtask test` (or `trunk build --release --offline`) first",
        dir.display()
    );
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Serve `root` on 127.0.0.1 for as long as the test process lives; the base URL.
pub fn serve(root: PathBuf) -> String {
    serve_under(root, "/")
}

/// Serve `root` at the sub-path `prefix` ("/course/clusterplay/"), as a course platform
/// hosts the page; anything outside it is not found. The base URL.
pub fn serve_under(root: PathBuf, prefix: &'static str) -> String {
    serve_with(root, prefix, false)
}

/// Serve `root` compressed, as a web host does for a browser that accepts it
/// (`Content-Encoding: deflate`), so that a throttled link carries what a learner's would.
pub fn serve_compressed(root: PathBuf) -> String {
    serve_with(root, "/", true)
}

fn serve_with(root: PathBuf, prefix: &'static str, compress: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || respond(stream, &root, prefix, compress));
        }
    });
    format!("http://127.0.0.1:{port}{prefix}")
}

/// `body` as a zlib stream, compressed once per file and process (the debug build of the
/// compressor takes a while over a 2 MB wasm).
fn compressed(file: &Path, body: &[u8]) -> Vec<u8> {
    static PACKED: std::sync::Mutex<Vec<(PathBuf, Vec<u8>)>> = std::sync::Mutex::new(Vec::new());
    let mut packed = PACKED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, bytes)) = packed.iter().find(|(f, _)| f == file) {
        return bytes.clone();
    }
    let bytes = miniz_oxide::deflate::compress_to_vec_zlib(body, 9);
    packed.push((file.to_path_buf(), bytes.clone()));
    bytes
}

fn respond(mut stream: TcpStream, root: &Path, prefix: &str, compress: bool) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut accepts_deflate = false;
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 0 && !header.trim().is_empty() => {
                let header = header.to_ascii_lowercase();
                if header.starts_with("accept-encoding:") && header.contains("deflate") {
                    accepts_deflate = true;
                }
            }
            _ => break,
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = path.strip_prefix(prefix);
    let rel = match rel {
        Some("") => Some("index.html"),
        other => other,
    };
    let file = rel.map(|rel| root.join(rel));
    let inside = rel.is_some_and(|rel| !rel.split('/').any(|part| part == ".."));
    let (status, body) = match file.as_deref().map(std::fs::read) {
        Some(Ok(body)) if inside => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let file = file.unwrap_or_default();
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "application/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    let (body, encoding) = if compress && accepts_deflate && status.starts_with("200") {
        (compressed(&file, &body), "Content-Encoding: deflate\r\n")
    } else {
        (body, "")
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n{encoding}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Start chromedriver on a free port; the process and the port.
///
/// Tests run in parallel threads, and a port found free may be taken before chromedriver binds
/// it: by another test's driver or static server. Then that chromedriver exits, while the port
/// answers for someone else, and the session fails later with "connection refused". So one
/// test at a time picks a port and starts its driver, and a driver that exited is started again
/// on another port.
fn start_driver() -> (Child, u16) {
    static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    for _ in 0..5 {
        let port = free_port();
        let mut driver = Command::new(
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_string()),
        )
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts (Debian package chromium-driver)");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(_)) = driver.try_wait() {
                break;
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                // Listening, and still ours: it did not exit for want of the port.
                if let Ok(None) = driver.try_wait() {
                    return (driver, port);
                }
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("chromedriver exited five times on start; is another one holding ports?");
}

/// ChromeDriver's network throttling (`POST /session/{id}/chromium/network_conditions`).
#[derive(Debug)]
struct NetworkConditions {
    latency_ms: u64,
    down_kbit_per_s: u64,
    up_kbit_per_s: u64,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({
            "network_conditions": {
                "offline": false,
                "latency": self.latency_ms,
                "download_throughput": self.down_kbit_per_s * 1000 / 8,
                "upload_throughput": self.up_kbit_per_s * 1000 / 8,
            }
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// ChromeDriver's log of the browser's console (and of failed loads) since the last read.
#[derive(Debug)]
struct ConsoleLog;

impl fantoccini::wd::WebDriverCompatibleCommand for ConsoleLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// A headless Chromium on a page of the playground; closes browser and driver on drop.
pub struct Browser {
    pub client: Client,
    pub base: String,
    driver: Child,
    name: String,
    shots: u32,
}

impl Browser {
    /// Start a browser for the test `name`, `width` pixels wide.
    pub async fn start(name: &str, width: u32) -> Browser {
        Browser::launch(name, width, false).await
    }

    /// Start a browser that shows pages as a phone `width` CSS pixels wide does. A headless
    /// window is never narrower than 500 pixels, so a plain narrow window would not test a
    /// 360-pixel phone; Chromium's device emulation does.
    pub async fn start_phone(name: &str, width: u32) -> Browser {
        Browser::launch(name, width, true).await
    }

    async fn launch(name: &str, width: u32, phone: bool) -> Browser {
        let base = serve(dist());
        let (driver, port) = start_driver();
        let mut options = serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                format!("--window-size={width},900"),
            ],
        });
        if phone {
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": 780, "pixelRatio": 2.0, "touch": true },
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({ "browser": "ALL" }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser {
            client,
            base,
            driver,
            name: name.to_string(),
            shots: 0,
        }
    }

    /// Slow the browser's network down to a learner's link: `latency_ms` more per request,
    /// and the given throughputs.
    pub async fn throttle(&self, latency_ms: u64, down_kbit_per_s: u64, up_kbit_per_s: u64) {
        self.client
            .issue_cmd(NetworkConditions {
                latency_ms,
                down_kbit_per_s,
                up_kbit_per_s,
            })
            .await
            .expect("ChromeDriver sets the network conditions");
    }

    /// What the browser's console said since the last call (and what failed to load), as
    /// "LEVEL message" lines; warnings and errors only.
    pub async fn console_warnings(&self) -> Vec<String> {
        let log = self
            .client
            .issue_cmd(ConsoleLog)
            .await
            .expect("ChromeDriver reads the browser's log");
        log.as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let level = entry["level"].as_str()?;
                (level == "WARNING" || level == "SEVERE")
                    .then(|| format!("{level} {}", entry["message"].as_str().unwrap_or("")))
            })
            .collect()
    }

    /// Turn the open page into a course page that embeds the playground at `fragment` in an
    /// iframe (`#cp`, `width` × `height`), collects what it posts in `window.__msgs`, and wait
    /// until it says `clusterplay:ready`.
    pub async fn host_embed(&self, fragment: &str, width: u32, height: u32) {
        self.client
            .execute(
                "document.body.innerHTML = '';
                 window.__msgs = [];
                 window.addEventListener('message', e => window.__msgs.push(e.data));
                 const f = document.createElement('iframe');
                 f.id = 'cp'; f.width = arguments[1]; f.height = arguments[2];
                 f.src = location.href.split('#')[0] + '#' + arguments[0];
                 document.body.appendChild(f);",
                vec![fragment.into(), width.into(), height.into()],
            )
            .await
            .expect("host page");
        self.wait_until("return window.__msgs.some(m => m.type === 'clusterplay:ready');")
            .await;
    }

    /// Open the page with `fragment` (without `#`, may be empty) and wait until the first
    /// cluster is drawn.
    pub async fn open(&self, fragment: &str) {
        let url = if fragment.is_empty() {
            self.base.clone()
        } else {
            format!("{}#{fragment}", self.base)
        };
        self.client.goto(&url).await.expect("navigation");
        self.wait_for_ready().await;
    }

    /// Open a preset as its share link does.
    pub async fn open_preset(&self, id: &str) {
        self.open(&preset_fragment(id)).await;
    }

    /// Drag the timeline to the end of the run, as a learner would.
    pub async fn seek_to_end(&self) {
        self.js(
            "const t = document.querySelector(\"[data-testid='timeline']\");
             t.value = t.max;
             t.dispatchEvent(new Event('input', { bubbles: true }));
             t.dispatchEvent(new Event('change', { bubbles: true }));
             return true",
        )
        .await;
    }

    /// Select node `n`. Messages in flight or labels may lie over a node, so the click goes to
    /// the node itself, as the keyboard's would.
    pub async fn select(&self, n: u32) {
        self.js(&format!(
            "document.querySelector(\"[data-testid='node-{n}']\")
               .dispatchEvent(new MouseEvent('click', {{ bubbles: true }})); return true"
        ))
        .await;
    }

    /// Open "Find me a failure", set its crash and partition switches, start it and wait (up
    /// to two minutes) for its verdict.
    pub async fn explore(&self, crash: bool, partition: bool) {
        self.js("document.querySelector(\"[data-testid='explore']\").open = true; return true")
            .await;
        for (id, on) in [("explore-crash", crash), ("explore-partition", partition)] {
            let checked = self
                .js(&format!(
                    "return document.querySelector(\"[data-testid='{id}']\").checked"
                ))
                .await;
            if checked != serde_json::json!(on) {
                self.click(id).await;
            }
        }
        self.click("explore-start").await;
        for _ in 0..1200 {
            if self.exists("explore-result").await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the explorer did not finish in two minutes");
    }

    /// Reload the current URL and wait for the page again.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
        self.wait_for_ready().await;
    }

    async fn wait_for_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = self
                .client
                .execute("return window.clusterplay_ready === true;", vec![])
                .await
                .map(|v| v == serde_json::Value::Bool(true))
                .unwrap_or(false);
            if ready {
                return;
            }
            assert!(Instant::now() < deadline, "the page never drew its cluster");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn by_id(&self, test_id: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!("[data-testid='{test_id}']")))
            .await
            .unwrap_or_else(|e| panic!("no element data-testid={test_id}: {e}"))
    }

    pub async fn exists(&self, test_id: &str) -> bool {
        self.client
            .find(Locator::Css(&format!("[data-testid='{test_id}']")))
            .await
            .is_ok()
    }

    pub async fn text(&self, test_id: &str) -> String {
        self.by_id(test_id).await.text().await.expect("text")
    }

    pub async fn click(&self, test_id: &str) {
        self.by_id(test_id).await.click().await.expect("click");
    }

    pub async fn attr(&self, test_id: &str, name: &str) -> Option<String> {
        self.by_id(test_id)
            .await
            .attr(name)
            .await
            .expect("attribute")
    }

    /// Set an input's value as a learner would type it, and commit it (`input` and `change`).
    pub async fn set_value(&self, test_id: &str, value: &str) {
        self.client
            .execute(
                "const el = document.querySelector(`[data-testid='${arguments[0]}']`);
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![test_id.into(), value.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("set {test_id}: {e}"));
    }

    /// Scroll the element into the middle of the window (before a screenshot of it).
    pub async fn scroll_to(&self, test_id: &str) {
        self.client
            .execute(
                "document.querySelector(`[data-testid='${arguments[0]}']`)
                   .scrollIntoView({ block: 'center' });",
                vec![test_id.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("scroll to {test_id}: {e}"));
    }

    /// Run `script` in the page and return what it returns.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Wait (up to 10 s) until `script` returns true. A script that fails (the page is
    /// reloading, an element is not there yet) counts as not yet.
    pub async fn wait_until(&self, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !matches!(
            self.client.execute(script, vec![]).await,
            Ok(serde_json::Value::Bool(true))
        ) {
            assert!(Instant::now() < deadline, "timed out waiting for: {script}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn url(&self) -> String {
        self.client.current_url().await.expect("url").to_string()
    }

    /// Save a screenshot as `target/e2e-screenshots/{test}-{n}-{label}.png`.
    pub async fn screenshot(&mut self, label: &str) {
        self.shots += 1;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = workspace().join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let file = dir.join(format!("{}-{}-{label}.png", self.name, self.shots));
        std::fs::write(file, png).expect("screenshot written");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
