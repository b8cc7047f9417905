//! Project chores, run from anywhere in the workspace:
//!
//! - `cargo xtask setup`: install what the web build and the browser tests need, skipping
//!   whatever is already there at the pinned version.
//! - `cargo xtask serve`: set up, then serve the page at <http://127.0.0.1:8080/> with Trunk.
//! - `cargo xtask dist`: set up, then build the release page into `dist/`: the full page and
//!   a module per family of algorithms, which the page's loader picks from (`page.rs`).
//! - `cargo xtask test`: set up, then every check CI runs, stopping at the first failure.
//! - `cargo xtask bench [ARGS]`: the engine benchmarks (`cargo bench -p clusterplay-scenario`).
//!
//! Nothing here downloads a prebuilt binary: the tools come from Debian, crates.io and npm,
//! the only registries the project's machines reach.

mod page;

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Must match `[tools]` in Trunk.toml and, for wasm-bindgen, the version in Cargo.lock.
const TRUNK: &str = "0.21.14";
const WASM_BINDGEN: &str = "0.2.130";
/// The npm package that ships `wasm-opt` (Trunk.toml: `wasm_opt = "version_132"`).
const BINARYEN: &str = "132.0.0";
const WASM_OPT_VERSION: &str = "version 132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Debian packages and a file each one installs.
const DEBIAN: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", CHROMEDRIVER),
    // A CJK font, so the headless browser draws the Chinese interface in screenshots.
    (
        "fonts-wqy-zenhei",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ),
];
const SERVE_ADDRESS: &str = "127.0.0.1";
const SERVE_PORT: &str = "8080";

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup          install the pinned tools the web build and browser tests need
  serve          setup, then serve the page with Trunk at http://127.0.0.1:8080/
  dist           setup, then build the release page into dist/ (the full page and a module per family)
  test           setup, then format check, clippy, native tests, browser tests, release build
  bench [ARGS]   cargo bench -p clusterplay-scenario [ARGS]";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup().map(|_| ()),
        Some("serve") => serve(),
        Some("dist") => setup().and_then(|tools| page::release(&tools)),
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(format!("no command given\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Where commands run and the PATH they get: the binaryen `.bin` first (before Debian's old
/// `wasm-opt` in /usr/bin), then cargo's bin directory, then the caller's PATH.
struct Tools {
    root: PathBuf,
    path: OsString,
}

impl Tools {
    fn new() -> Result<Tools> {
        let root = workspace_root();
        let mut dirs = vec![
            binaryen_dir()?.join("node_modules").join(".bin"),
            cargo_bin()?,
        ];
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        let path = env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        Ok(Tools { root, path })
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&self.root)
            .env("PATH", &self.path);
        command
    }

    fn cargo(&self, args: &[&str]) -> Command {
        self.command(&cargo_program(), args)
    }

    /// The first line a tool prints for `--version`, or `None` when it doesn't run.
    fn version(&self, program: &str) -> Option<String> {
        let output = self
            .command(program, &["--version"])
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        output
            .status
            .success()
            .then(|| text.lines().next().unwrap_or_default().trim().to_owned())
    }

    /// Run to completion with inherited output; an error names the command.
    fn run(&self, mut command: Command) -> Result {
        let shown = show(&command);
        let status = command
            .status()
            .map_err(|e| format!("could not start `{shown}`: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{shown}` failed ({status})"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// setup

/// Install whatever is missing, idempotently, and return the PATH to run the tools with.
fn setup() -> Result<Tools> {
    let tools = Tools::new()?;
    check_pins(&tools.root)?;
    debian_packages(&tools)?;
    rust_pieces(&tools)?;

    match tools.version("trunk") {
        Some(v) if v == format!("trunk {TRUNK}") => say(format!("{v}: present")),
        found => {
            say(format!(
                "installing trunk {TRUNK} (found: {}); this takes about 12 minutes",
                found.as_deref().unwrap_or("none")
            ));
            tools.run(tools.cargo(&["install", "--locked", "trunk", "--version", TRUNK]))?;
        }
    }

    let bindgen = tools.version("wasm-bindgen");
    let runner = tools.version("wasm-bindgen-test-runner");
    if bindgen.as_deref() == Some(&format!("wasm-bindgen {WASM_BINDGEN}"))
        && runner.as_deref() == Some(&format!("wasm-bindgen-test-runner {WASM_BINDGEN}"))
    {
        say(format!("wasm-bindgen-cli {WASM_BINDGEN}: present"));
    } else {
        say(format!(
            "installing wasm-bindgen-cli {WASM_BINDGEN} (found: {}); this takes about 4 minutes",
            bindgen.as_deref().unwrap_or("none")
        ));
        // Not --locked: a dependency locked by that release is no longer in the registry.
        tools.run(tools.cargo(&["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN]))?;
    }

    let wasm_opt = binaryen_dir()?.join("node_modules/.bin/wasm-opt");
    match wasm_opt.to_str().and_then(|p| tools.version(p)) {
        Some(v) if v.contains(WASM_OPT_VERSION) => say(format!("{v}: present")),
        _ => {
            let prefix = binaryen_dir()?;
            say(format!(
                "installing wasm-opt (npm binaryen@{BINARYEN}) into {}",
                prefix.display()
            ));
            std::fs::create_dir_all(&prefix)
                .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
            let prefix = prefix.to_string_lossy().into_owned();
            let package = format!("binaryen@{BINARYEN}");
            tools.run(tools.command(
                "npm",
                &[
                    "install",
                    "--prefix",
                    &prefix,
                    "--no-audit",
                    "--no-fund",
                    &package,
                ],
            ))?;
        }
    }
    say("all tools in place".to_owned());
    Ok(tools)
}

/// The wasm-bindgen in Cargo.lock, the CLI we install and Trunk.toml's `[tools]` must agree,
/// or Trunk tries to download its own copy and fails.
fn check_pins(root: &Path) -> Result {
    let read = |name: &str| {
        std::fs::read_to_string(root.join(name)).map_err(|e| format!("cannot read {name}: {e}"))
    };
    let lock = read("Cargo.lock")?;
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_owned());
    if locked.as_deref() != Some(WASM_BINDGEN) {
        return Err(format!(
            "Cargo.lock has wasm-bindgen {}, xtask pins {WASM_BINDGEN}: change both together \
             (and Trunk.toml)",
            locked.as_deref().unwrap_or("(none)")
        ));
    }
    let trunk_toml = read("Trunk.toml")?;
    for pin in [
        format!("wasm_bindgen = \"{WASM_BINDGEN}\""),
        format!("wasm_opt = \"{}\"", WASM_OPT_VERSION.replace(' ', "_")),
    ] {
        if !trunk_toml.contains(&pin) {
            return Err(format!("Trunk.toml must pin `{pin}` under [tools]"));
        }
    }
    Ok(())
}

fn debian_packages(tools: &Tools) -> Result {
    let mut missing: Vec<&str> = DEBIAN
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(package, _)| *package)
        .collect();
    if tools.version("npm").is_none() {
        missing.extend(["nodejs", "npm"]);
    }
    if missing.is_empty() {
        say("Debian packages chromium, chromium-driver, fonts-wqy-zenhei: present".to_owned());
        return Ok(());
    }
    let list = missing.join(" ");
    say(format!("installing Debian packages: {list}"));
    if tools.version("apt-get").is_none() {
        return Err(format!(
            "apt-get not found: install {list} with your system's package manager"
        ));
    }
    let sudo = if is_root(tools) {
        false
    } else if tools
        .command("sudo", &["-n", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        true
    } else {
        return Err(format!(
            "installing {list} needs root: run `sudo apt-get install {list}`"
        ));
    };
    let apt = |args: &[&str]| {
        let mut full = vec!["DEBIAN_FRONTEND=noninteractive", "apt-get"];
        full.extend_from_slice(args);
        if sudo {
            full.insert(0, "env");
            tools.command("sudo", &full)
        } else {
            tools.command("env", &full)
        }
    };
    tools.run(apt(&["update", "-qq"]))?;
    let mut install = vec!["install", "-y", "-qq"];
    install.extend(missing.iter().copied());
    tools.run(apt(&install))
}

fn is_root(tools: &Tools) -> bool {
    tools
        .command("id", &["-u"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The wasm target, and rustfmt and clippy, which a minimal rustup profile leaves out.
fn rust_pieces(tools: &Tools) -> Result {
    let listed = |args: &[&str]| {
        tools
            .command("rustup", args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Some(targets) = listed(&["target", "list", "--installed"]) else {
        say(format!(
            "rustup not found: make sure the {WASM_TARGET} target, rustfmt and clippy are installed"
        ));
        return Ok(());
    };
    if targets.lines().any(|l| l.trim() == WASM_TARGET) {
        say(format!("rust target {WASM_TARGET}: present"));
    } else {
        say(format!("adding rust target {WASM_TARGET}"));
        tools.run(tools.command("rustup", &["target", "add", WASM_TARGET]))?;
    }
    let components = listed(&["component", "list", "--installed"]).unwrap_or_default();
    let missing: Vec<&str> = ["rustfmt", "clippy"]
        .into_iter()
        .filter(|c| !components.lines().any(|l| l.starts_with(&format!("{c}-"))))
        .collect();
    if missing.is_empty() {
        say("rust components rustfmt, clippy: present".to_owned());
    } else {
        say(format!("adding rust components: {}", missing.join(", ")));
        let mut args = vec!["component", "add"];
        args.extend(missing);
        tools.run(tools.command("rustup", &args))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// serve, test, bench

fn serve() -> Result {
    let tools = setup()?;
    // Trunk builds offline (Trunk.toml), so fetch the crates first.
    tools.run(tools.cargo(&["fetch", "--quiet"]))?;
    println!("xtask: serving http://{SERVE_ADDRESS}:{SERVE_PORT}/ (Ctrl-C stops)");
    tools.run(tools.command(
        "trunk",
        &[
            "serve",
            "--release",
            "--offline",
            "--address",
            SERVE_ADDRESS,
            "--port",
            SERVE_PORT,
        ],
    ))
}

fn test() -> Result {
    let tools = setup()?;
    let mut browser_tests =
        tools.cargo(&["test", "-p", "clusterplay-web", "--target", WASM_TARGET]);
    use_chromedriver(&mut browser_tests);
    if env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
        browser_tests.env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    }
    // The page tests drive the release build just made; they are `#[ignore]`d in the native
    // stage so that a plain `cargo test` never needs a browser.
    let mut end_to_end = tools.cargo(&[
        "test",
        "-p",
        "clusterplay-e2e",
        "--",
        "--include-ignored",
        "--test-threads=2",
    ]);
    use_chromedriver(&mut end_to_end);
    let stages: Vec<(&str, Command)> = vec![
        ("format", tools.cargo(&["fmt", "--all", "--check"])),
        (
            "clippy",
            tools.cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        (
            // The browser-only code (the page and the explorer's web worker) is compiled out
            // natively; lint it for its own target (the other crates were linted just above).
            "clippy (wasm)",
            tools.cargo(&[
                "clippy",
                "--no-deps",
                "-p",
                "clusterplay-web",
                "-p",
                "clusterplay-explore-worker",
                "--target",
                WASM_TARGET,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        ("docs", {
            // Every doc link resolves and every doc comment parses: the essays are documentation.
            let mut doc = tools.cargo(&["doc", "--workspace", "--no-deps"]);
            doc.env("RUSTDOCFLAGS", "-D warnings");
            doc
        }),
        ("native tests", tools.cargo(&["test", "--workspace"])),
        (
            // The page runs every protocol through the type-erased engine; every preset must
            // give exactly the trace the typed engine pins.
            "same runs through the erased engine",
            tools.cargo(&[
                "test",
                "-p",
                "clusterplay-scenario",
                "--features",
                "erased",
                "--test",
                "golden",
            ]),
        ),
        ("browser tests (headless Chromium)", browser_tests),
    ];
    let mut stages: Vec<(&str, Stage)> = stages
        .into_iter()
        .map(|(name, command)| (name, Stage::Run(command)))
        .collect();
    stages.push((
        "release build (trunk, then a module per family)",
        Stage::Page,
    ));
    stages.push((
        "end-to-end (WebDriver, headless Chromium)",
        Stage::Run(end_to_end),
    ));

    let total = stages.len();
    for (i, (name, stage)) in stages.into_iter().enumerate() {
        let n = i + 1;
        let started = Instant::now();
        let result = match stage {
            Stage::Run(command) => {
                println!("\nxtask: [{n}/{total}] {name}: {}", show(&command));
                tools.run(command)
            }
            Stage::Page => {
                println!("\nxtask: [{n}/{total}] {name}");
                page::release(&tools)
            }
        };
        if let Err(e) = result {
            eprintln!("\nxtask: [{n}/{total}] {name} FAILED: {e}");
            report_disk(&tools.root);
            println!("xtask: {i} passed, 1 failed");
            return Err(format!("stage `{name}` failed"));
        }
        println!(
            "xtask: [{n}/{total}] {name}: ok ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    }
    report_wasm_size(&tools.root.join("dist"));
    println!("\nxtask: {total} passed, 0 failed");
    Ok(())
}

/// A step of `cargo xtask test`: a command, or the release page (several commands).
enum Stage {
    Run(Command),
    Page,
}

/// A linker killed by SIGBUS or a test that cannot write is most often a full disk; say how
/// much room is left, so the failure explains itself.
fn report_disk(root: &Path) {
    if let Ok(out) = Command::new("df").arg("-h").arg(root).output() {
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            eprintln!("xtask: {line}");
        }
    }
}

/// Print the size of the page's WebAssembly, which is what a visitor waits for.
fn report_wasm_size(dist: &Path) {
    let Ok(entries) = std::fs::read_dir(dist) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
            println!(
                "xtask: {}: {:.1} KiB",
                path.strip_prefix(dist.parent().unwrap_or(dist))
                    .unwrap_or(&path)
                    .display(),
                bytes as f64 / 1024.0
            );
        }
    }
}

fn bench(args: &[String]) -> Result {
    let tools = setup()?;
    let mut command = tools.cargo(&["bench", "-p", "clusterplay-scenario"]);
    command.args(args);
    tools.run(command)?;
    // The same engine workloads in headless Chromium, through the page's own engine.
    let mut wasm = tools.cargo(&["bench", "-p", "clusterplay-web", "--target", WASM_TARGET]);
    use_chromedriver(&mut wasm);
    wasm.env("WASM_BINDGEN_TEST_TIMEOUT", "600");
    tools.run(wasm)?;
    // The page benchmark drives the release build in headless Chromium.
    page::release(&tools)?;
    let mut page = tools.cargo(&[
        "run",
        "--quiet",
        "--release",
        "-p",
        "clusterplay-e2e",
        "--bin",
        "page-bench",
    ]);
    use_chromedriver(&mut page);
    tools.run(page)?;
    let criterion = target_dir(&tools).join("criterion");
    let report = criterion.join("report/index.html");
    if report.exists() {
        println!("xtask: benchmark report: {}", report.display());
    } else {
        println!(
            "xtask: benchmark results: {} (per benchmark: <group>/<name>/new/estimates.json)",
            criterion.display()
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// helpers

/// Point a test or benchmark at Debian's chromedriver, unless the caller chose another.
fn use_chromedriver(command: &mut Command) {
    if env::var_os("CHROMEDRIVER").is_none() {
        command.env("CHROMEDRIVER", CHROMEDRIVER);
    }
}

/// Cargo's target directory.
fn target_dir(tools: &Tools) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => tools.root.join(dir),
        None => tools.root.join("target"),
    }
}

fn say(message: String) {
    println!("xtask setup: {message}");
}

fn workspace_root() -> PathBuf {
    // xtask/ sits at the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

fn home() -> Result<PathBuf> {
    env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| "HOME is not set".to_owned())
}

/// `npm install --prefix` target for binaryen: a stable cache outside the work tree, so that
/// fresh clones on the same machine reuse it.
fn binaryen_dir() -> Result<PathBuf> {
    Ok(home()?.join(".cache/clusterplay/npm"))
}

fn cargo_bin() -> Result<PathBuf> {
    match env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir).join("bin")),
        None => Ok(home()?.join(".cargo/bin")),
    }
}

/// The cargo that runs us (so the same toolchain builds everything), else cargo on PATH.
fn cargo_program() -> String {
    env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn show(command: &Command) -> String {
    let program = command.get_program().to_string_lossy();
    let program = Path::new(program.as_ref())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    std::iter::once(program)
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}
