//! The release page (issue 22: a light page). Trunk builds the page with every family of
//! algorithms, as `index.html` asks; then each family is built again alone, as its own module
//! beside it, and the page's loader (`web/loader.js`) downloads only the module that the link
//! needs. Every file a module loads is named by its content, so a redeploy never mixes
//! versions: Trunk hashes the full page's files, this hashes the family modules and the
//! explorer's worker (which Trunk leaves named after its binary).

use crate::{say, target_dir, Result, Tools, WASM_TARGET};
use std::hash::Hasher;
use std::path::Path;
use std::time::Instant;

/// Where the loader's module table goes in the built `index.html` (Trunk.toml's
/// `pattern_script`).
const PLACEHOLDER: &str = "{}/*clusterplay-modules*/";
/// Trunk's `public_url`: the page's files are addressed relative to it.
const BASE: &str = "./";

/// `trunk build --release`, then a module per family and the worker renamed by content, and
/// the loader told where they are.
pub fn release(tools: &Tools) -> Result {
    tools.run(tools.command("trunk", &["build", "--release", "--offline"]))?;
    let dist = tools.root.join("dist");
    let work = target_dir(tools).join("families");
    let mut families = serde_json::Map::new();
    for family in family_ids(&tools.root)? {
        let started = Instant::now();
        let (js, wasm) = family_module(tools, &family, &work, &dist)?;
        say(format!(
            "family module `{family}`: {wasm} ({:.0} s)",
            started.elapsed().as_secs_f64()
        ));
        families.insert(
            family,
            serde_json::json!({ "js": format!("{BASE}{js}"), "wasm": format!("{BASE}{wasm}") }),
        );
    }
    let worker = hash_worker(&dist)?;
    // Every preset's caption, which a page of one family fetches once it has started.
    let captions = read_bytes(&tools.root.join("web/captions.json"))?;
    let captions_name = format!("captions-{}.json", content_hash(&[&captions]));
    write(&dist.join(&captions_name), &captions)?;
    let modules = serde_json::json!({
        "families": families,
        "worker": format!("{BASE}{worker}"),
        "captions": format!("{BASE}{captions_name}"),
    });
    let index = dist.join("index.html");
    let html = read(&index)?;
    if !html.contains(PLACEHOLDER) {
        return Err(format!(
            "{} has no `{PLACEHOLDER}` for the family modules: is Trunk.toml's pattern_script there?",
            index.display()
        ));
    }
    write(
        &index,
        html.replace(PLACEHOLDER, &modules.to_string()).as_bytes(),
    )
}

/// The families of the catalogue, in its order.
fn family_ids(root: &Path) -> Result<Vec<String>> {
    let text = read(&root.join("web/catalogue.json"))?;
    let catalogue: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("web/catalogue.json: {e}"))?;
    let ids: Vec<String> = catalogue["families"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str().map(str::to_owned))
        .collect();
    if ids.is_empty() {
        return Err("web/catalogue.json lists no family".into());
    }
    Ok(ids)
}

/// Build the page with `family` alone, as Trunk builds the full one (cargo, wasm-bindgen for
/// the web target, `wasm-opt -Oz`), into `dist` under content-hashed names: (js, wasm).
fn family_module(
    tools: &Tools,
    family: &str,
    work: &Path,
    dist: &Path,
) -> Result<(String, String)> {
    tools.run(tools.cargo(&[
        "build",
        "--release",
        "--offline",
        "--target",
        WASM_TARGET,
        "-p",
        "clusterplay-web",
        "--bin",
        "clusterplay-web",
        "--no-default-features",
        "--features",
        family,
    ]))?;
    let built = target_dir(tools)
        .join(WASM_TARGET)
        .join("release")
        .join("clusterplay-web.wasm");
    let out = work.join(family);
    let name = format!("clusterplay-{family}");
    let out_dir = format!("--out-dir={}", out.display());
    let out_name = format!("--out-name={name}");
    tools.run(tools.command(
        "wasm-bindgen",
        &[
            "--target=web",
            "--no-typescript",
            &out_dir,
            &out_name,
            &built.to_string_lossy(),
        ],
    ))?;
    let bound = out.join(format!("{name}_bg.wasm"));
    let optimised = out.join(format!("{name}_opt.wasm"));
    tools.run(tools.command(
        "wasm-opt",
        &[
            &format!("--output={}", optimised.display()),
            "-Oz",
            &bound.to_string_lossy(),
        ],
    ))?;
    let js = read_bytes(&out.join(format!("{name}.js")))?;
    let wasm = read_bytes(&optimised)?;
    let hash = content_hash(&[&js, &wasm]);
    let (js_name, wasm_name) = (
        format!("{name}-{hash}.js"),
        format!("{name}-{hash}_bg.wasm"),
    );
    write(&dist.join(&js_name), &js)?;
    write(&dist.join(&wasm_name), &wasm)?;
    Ok((js_name, wasm_name))
}

/// Rename the explorer worker's glue and wasm by their content and write its loader (a copy of
/// `web/clusterplay-explore-worker_loader.js` naming them) under a name that changes with
/// them; the name of that loader.
fn hash_worker(dist: &Path) -> Result<String> {
    const NAME: &str = "clusterplay-explore-worker";
    let js_path = dist.join(format!("{NAME}.js"));
    let wasm_path = dist.join(format!("{NAME}_bg.wasm"));
    let loader_path = dist.join(format!("{NAME}_loader.js"));
    let (js, wasm, loader) = (
        read_bytes(&js_path)?,
        read_bytes(&wasm_path)?,
        read(&loader_path)?,
    );
    let hash = content_hash(&[&js, &wasm]);
    let (js_name, wasm_name) = (
        format!("{NAME}-{hash}.js"),
        format!("{NAME}-{hash}_bg.wasm"),
    );
    let plain = (format!("./{NAME}.js"), format!("./{NAME}_bg.wasm"));
    if !loader.contains(&plain.0) || !loader.contains(&plain.1) {
        return Err(format!(
            "{} no longer names {} and {}",
            loader_path.display(),
            plain.0,
            plain.1
        ));
    }
    let loader = loader
        .replace(&plain.0, &format!("./{js_name}"))
        .replace(&plain.1, &format!("./{wasm_name}"));
    let loader_name = format!("{NAME}-{hash}_loader.js");
    std::fs::rename(&js_path, dist.join(&js_name)).map_err(|e| format!("{NAME}.js: {e}"))?;
    std::fs::rename(&wasm_path, dist.join(&wasm_name))
        .map_err(|e| format!("{NAME}_bg.wasm: {e}"))?;
    write(&dist.join(&loader_name), loader.as_bytes())?;
    std::fs::remove_file(&loader_path).map_err(|e| format!("{}: {e}", loader_path.display()))?;
    Ok(loader_name)
}

/// 16 hex digits of FNV-1a over `parts`.
fn content_hash(parts: &[&[u8]]) -> String {
    let mut hasher = fnv::FnvHasher::default();
    for part in parts {
        hasher.write(part);
    }
    format!("{:016x}", hasher.finish())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
