//! Cold build of a small consumer of `crux-client`, as its users build it:
//! from the packaged crates (`target/package/*.crate`, made by `cargo
//! package`), once per TLS choice, against the same consumer with the
//! generated code pasted in (the baseline: no client crate at all). Each
//! variant builds in a fresh target directory; the rounds interleave the
//! variants, and each line is the median of the rounds.
//!
//! Needs the packages first: `cargo package --no-verify -p tracking-runtime
//! -p crux-client` (the other packaged crates are not built here). With
//! `BUILD_COST_GENERATOR_CLIENT` set to the `crates/crux-client` folder of a
//! checkout from before the clients shipped their code (11faf2a), a sixth
//! consumer depends on that one, which runs the generator in its build
//! script: what users compiled before.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const MAIN_CLIENT: &str = r#"#[tokio::main]
async fn main() {
    let client = crux_client::Client::with_token("http://127.0.0.1:9", "t").unwrap();
    let _ = client.add_order_tracking().order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3").body_map(|b| b).send().await;
}
"#;

const MAIN_PASTED: &str = r#"#[allow(clippy::all, dead_code)]
mod generated {
    include!("client.rs");
}
use generated::*;

#[tokio::main]
async fn main() {
    let client = Client::connect("http://127.0.0.1:9", &tracking_runtime::ClientConfig::default(), None).unwrap();
    let _ = client.add_order_tracking().order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3").body_map(|b| b).send().await;
}
"#;

/// One consumer: its name, its dependencies, whether the code is pasted.
struct Variant {
    name: &'static str,
    dependencies: String,
    pasted: bool,
}

fn variants() -> Vec<Variant> {
    let variant = |name, dependencies: &str, pasted| Variant {
        name,
        dependencies: dependencies.to_string(),
        pasted,
    };
    let mut all = vec![
        variant(
            "packaged, rustls (default)",
            "crux-client = \"0.1\"\n",
            false,
        ),
        variant(
            "pasted code, rustls",
            "tracking-runtime = \"0.1\"\nprogenitor-client = \"0.15.1\"\nreqwest = { version = \"0.13\", default-features = false, features = [\"json\"] }\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\nuuid = { version = \"1\", features = [\"serde\"] }\n",
            true,
        ),
        variant(
            "packaged, rustls-ring",
            "crux-client = { version = \"0.1\", default-features = false, features = [\"rustls-ring\"] }\n",
            false,
        ),
        variant(
            "packaged, native-tls",
            "crux-client = { version = \"0.1\", default-features = false, features = [\"native-tls\"] }\n",
            false,
        ),
        variant(
            "packaged, no TLS",
            "crux-client = { version = \"0.1\", default-features = false }\n",
            false,
        ),
    ];
    if let Ok(path) = std::env::var("BUILD_COST_GENERATOR_CLIENT") {
        all.push(Variant {
            name: "generator in the build, rustls",
            dependencies: format!("crux-client = {{ path = {path:?} }}\n"),
            pasted: false,
        });
    }
    // BUILD_COST_ONLY="name;name": only these (their names as printed).
    if let Ok(only) = std::env::var("BUILD_COST_ONLY") {
        let names: Vec<&str> = only.split(';').map(str::trim).collect();
        all.retain(|v| names.contains(&v.name));
    }
    all
}

/// The packaged crates, extracted into `dir`: (name, path).
fn extract(root: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    let version = env!("CARGO_PKG_VERSION");
    ["tracking-runtime", "crux-client"]
        .iter()
        .map(|name| {
            let file = root.join(format!("target/package/{name}-{version}.crate"));
            assert!(
                file.exists(),
                "{} is missing: run `cargo package --no-verify -p tracking-runtime -p crux-client` first",
                file.display()
            );
            let status = Command::new("tar")
                .arg("-xzf")
                .arg(&file)
                .arg("-C")
                .arg(dir)
                .status()
                .unwrap();
            assert!(status.success(), "cannot extract {}", file.display());
            (name.to_string(), dir.join(format!("{name}-{version}")))
        })
        .collect()
}

pub fn run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap();
    let rounds: usize = std::env::var("BUILD_COST_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let dir = std::env::temp_dir().join(format!("tracking-bench-consumers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let packages = extract(&root, &dir);
    // The packaged crates stand in for crates.io: nothing points into the workspace.
    let patches: String = packages
        .iter()
        .map(|(name, path)| format!("{name} = {{ path = {:?} }}\n", path.display().to_string()))
        .collect();
    let code = std::fs::read_to_string(root.join("crates/crux-client/src/generated.rs")).unwrap();
    let variants = variants();
    for (i, variant) in variants.iter().enumerate() {
        let crate_dir = dir.join(format!("consumer-{i}"));
        std::fs::create_dir_all(crate_dir.join("src")).unwrap();
        let manifest = format!(
            "[package]\nname = \"consumer-{i}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{}tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[patch.crates-io]\n{patches}\n[workspace]\n",
            variant.dependencies
        );
        std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
        let main = if variant.pasted {
            MAIN_PASTED
        } else {
            MAIN_CLIENT
        };
        std::fs::write(crate_dir.join("src/main.rs"), main).unwrap();
        if variant.pasted {
            std::fs::write(crate_dir.join("src/client.rs"), &code).unwrap();
        }
    }
    println!(
        "\n## build cost: cold `cargo build` (debug) of a small consumer of crux-client, {rounds} rounds, median"
    );
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    for round in 0..rounds {
        for (i, variant) in variants.iter().enumerate() {
            let crate_dir = dir.join(format!("consumer-{i}"));
            let target = crate_dir.join("target");
            let _ = std::fs::remove_dir_all(&target);
            let started = Instant::now();
            let status = Command::new("cargo")
                .args(["build", "--quiet"])
                .current_dir(&crate_dir)
                .env("CARGO_TARGET_DIR", &target)
                .status()
                .unwrap();
            let elapsed = started.elapsed().as_secs_f64();
            assert!(status.success(), "{} did not build", variant.name);
            eprintln!("round {round}: {:<28} {elapsed:>6.1} s", variant.name);
            times[i].push(elapsed);
            let _ = std::fs::remove_dir_all(&target);
        }
    }
    let median = |t: &[f64]| {
        let mut t = t.to_vec();
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let baseline = variants
        .iter()
        .position(|v| v.pasted)
        .map(|i| median(&times[i]))
        .unwrap_or(f64::NAN);
    println!("| consumer | cold build (median) | vs pasted code |\n|---|---|---|");
    for (variant, t) in variants.iter().zip(&times) {
        let m = median(t);
        println!("| {} | {m:.1} s | {:.2}× |", variant.name, m / baseline);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
