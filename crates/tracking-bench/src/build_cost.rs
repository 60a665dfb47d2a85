//! Cold build of a small consumer of `crux-client`, against the same
//! consumer with the generated code pasted in (no build script, no generator).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const MAIN_A: &str = r#"#[tokio::main]
async fn main() {
    let client = crux_client::Client::with_token("http://127.0.0.1:9", "t").unwrap();
    let _ = client.add_order_tracking().order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3").body_map(|b| b).send().await;
}
"#;

const MAIN_B: &str = r#"#[allow(clippy::all, dead_code)]
mod generated {
    include!("client.rs");
}
use generated::*;

#[tokio::main]
async fn main() {
    let client = Client::with_auth("http://127.0.0.1:9", &tracking_runtime::ClientConfig::default(), None).unwrap();
    let _ = client.add_order_tracking().order_uuid("0e63ac67-7c45-454d-b2ef-bb6b5ed387c3").body_map(|b| b).send().await;
}
"#;

fn manifest(name: &str, root: &Path, pasted: bool) -> String {
    let deps = if pasted {
        format!(
            r#"tracking-runtime = {{ path = "{}/crates/tracking-runtime" }}
progenitor-client = "0.15.1"
reqwest = {{ version = "0.13", features = ["json"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std", "clock"] }}
uuid = {{ version = "1", features = ["serde"] }}
regress = "0.12"
"#,
            root.display()
        )
    } else {
        format!(
            "crux-client = {{ path = \"{}/crates/crux-client\" }}\n",
            root.display()
        )
    };
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{deps}tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n"
    )
}

pub fn run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("tracking-bench-consumers-{}", std::process::id()));
    let code = tracking_codegen::generate_file(&root.join("specs/crux.yaml"))
        .unwrap()
        .code;
    println!("\n## build cost: cold `cargo build` of a small consumer (debug)");
    let mut times = Vec::new();
    for (name, pasted) in [
        ("consumer-generated-at-build", false),
        ("consumer-pasted", true),
    ] {
        let crate_dir = dir.join(name);
        std::fs::create_dir_all(crate_dir.join("src")).unwrap();
        std::fs::write(crate_dir.join("Cargo.toml"), manifest(name, &root, pasted)).unwrap();
        std::fs::write(
            crate_dir.join("src/main.rs"),
            if pasted { MAIN_B } else { MAIN_A },
        )
        .unwrap();
        if pasted {
            std::fs::write(crate_dir.join("src/client.rs"), &code).unwrap();
        }
        let started = Instant::now();
        let status = Command::new("cargo")
            .args(["build", "--quiet", "--timings"])
            .current_dir(&crate_dir)
            .status()
            .unwrap();
        let elapsed = started.elapsed().as_secs_f64();
        assert!(status.success(), "{name} did not build");
        println!(
            "{name:<32} {elapsed:>7.1} s   (timings: {}/target/cargo-timings/)",
            crate_dir.display()
        );
        times.push(elapsed);
    }
    println!(
        "ratio generated-at-build / pasted: {:.2}",
        times[0] / times[1]
    );
}
