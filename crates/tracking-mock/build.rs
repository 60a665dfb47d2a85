//! The mock's built-in providers are the specs it ships in `specs/`: one
//! provider per file, named after the file, so that a new spec needs no
//! edit here.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    println!("cargo::rerun-if-changed=specs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "yaml").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    let entries: String = names
        .iter()
        .map(|name| {
            format!(
                "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/specs/{name}.yaml\"))),\n"
            )
        })
        .collect();
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_specs.rs");
    std::fs::write(&out, format!("&[\n{entries}]\n"))
        .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
