// The page's loader (issue 22: a light page), run inside an async function. Trunk puts it,
// with the full page's module (PAGE) and every preset and algorithm of the catalogue
// (CATALOGUE, web/catalogue.json), in place of its own loader (Trunk.toml). The release build
// (`cargo xtask dist`, and `cargo xtask test` before its end-to-end tests) adds one module per
// family of algorithms (MODULES, filled in after Trunk's build by xtask/src/page.rs), each with
// the page and that family alone: a visitor downloads only the family that the link, the saved
// scenario or the default preset needs, about half of the full page. A page of one family
// lists every preset and reloads into another family's module when the learner opens one.
// Without family modules (`trunk serve`, `cargo xtask serve`), the full page loads.

// The scenario JSON inside a share link's `s=` part (unpadded base64url of raw deflate), read
// with the browser's own inflater and bounded as the page bounds it (crates/scenario/src/link.rs),
// so that a hostile link costs nothing here: anything odd loads the default family and the page
// itself explains what is wrong with the link.
async function scenarioOfLink(payload) {
  if (payload.length > 131072 || typeof DecompressionStream !== "function") return null;
  const b64 = payload.replace(/-/g, "+").replace(/_/g, "/");
  const text = atob(b64 + "===".slice((b64.length + 3) % 4));
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const reader = new Blob([bytes]).stream()
    .pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > 262144) {
      reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return JSON.parse(new TextDecoder().decode(await new Blob(chunks).arrayBuffer()));
}

// The protocol the page will open: the link's (a `p=` preset id, a `s=` scenario, a lesson or
// a comparison), else the
// learner's saved scenario, else the default preset's; the same order the page boots in
// (web/src/state.rs).
async function wantedProtocol() {
  const parts = location.hash.replace(/^#/, "").split("&");
  const part = (key) => {
    const found = parts.find((p) => p.startsWith(key + "="));
    return found === undefined ? null : found.slice(key.length + 1);
  };
  const presetProtocol = (id) => {
    const preset = CATALOGUE.presets.find((p) => p.id === id);
    return preset ? preset.protocol : null;
  };
  const id = part("p");
  if (id !== null) return presetProtocol(decodeURIComponent(id));
  // A lesson: a built-in one by id, or a teacher's in the link (packed as a scenario is).
  const lessonId = part("lesson");
  if (lessonId !== null) {
    const lesson = (CATALOGUE.lessons || []).find((l) => l.id === decodeURIComponent(lessonId));
    return lesson ? lesson.protocol : null;
  }
  const lessonPayload = part("l");
  if (lessonPayload !== null) {
    const lesson = await scenarioOfLink(lessonPayload);
    if (!lesson) return null;
    return lesson.scenario ? lesson.scenario.protocol : presetProtocol(lesson.preset);
  }
  // A comparison: a compare preset by id, or one carried whole; both sides are of one family.
  const compareId = part("compare");
  if (compareId !== null) {
    const compare = (CATALOGUE.compares || []).find((c) => c.id === decodeURIComponent(compareId));
    return compare ? compare.protocol : null;
  }
  const comparePayload = part("c");
  if (comparePayload !== null) {
    const comparison = await scenarioOfLink(comparePayload);
    return comparison && comparison.left && comparison.left.scenario
      ? comparison.left.scenario.protocol
      : null;
  }
  const payload = part("s");
  if (payload !== null) {
    const scenario = await scenarioOfLink(payload);
    return scenario && scenario.protocol;
  }
  try {
    const saved = JSON.parse(localStorage.getItem("clusterplay.scenario"));
    if (saved && typeof saved.protocol === "string") return saved.protocol;
  } catch (_) {}
  return presetProtocol(CATALOGUE.default);
}

const familyOf = (protocol) => {
  const algorithm = CATALOGUE.algorithms.find((a) => a.id === protocol);
  return algorithm ? algorithm.family : null;
};
let family = null;
try {
  family = familyOf(await wantedProtocol());
} catch (_) {}
// A link that names nothing the playground has opens the default scenario under the page's
// explanation, so it needs the default's family.
const families = MODULES.families || {};
if (!families[family]) {
  const preset = CATALOGUE.presets.find((p) => p.id === CATALOGUE.default);
  family = preset ? familyOf(preset.protocol) : null;
}
const chosen = families[family] || PAGE;
// What the page reads (web/src/catalogue.rs): which family it carries, when it is not the full
// page, the whole catalogue, the explorer worker's content-hashed loader, and where every
// preset's caption is.
window.clusterplayPage = {
  family: chosen === PAGE ? null : family,
  catalogue: CATALOGUE,
  worker: MODULES.worker || null,
  captions: MODULES.captions || null,
};
// The module and its wasm download side by side, while the rest of the page arrives.
const wasmResponse = fetch(chosen.wasm);
const glue = await import(chosen.js);
if (document.readyState === "loading") {
  await new Promise((ready) => addEventListener("DOMContentLoaded", ready, { once: true }));
}
const wasm = await glue.default({ module_or_path: wasmResponse });
// The page benchmark reports this memory as the wasm memory (crates/e2e/src/bin/chaos-memory.rs).
window.clusterplay_wasm_memory = wasm.memory;
