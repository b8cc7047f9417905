// Starts the explorer's worker (crates/explore-worker): the wasm-bindgen glue, then its module,
// both beside this file. Trunk's own loader shim passes the module's path the way wasm-bindgen
// has deprecated (and says so in the console); this one passes an object.
importScripts("./clusterplay-explore-worker.js");
wasm_bindgen({ module_or_path: "./clusterplay-explore-worker_bg.wasm" });
