//! Time to generate each spec's client (load, check, progenitor, prettyplease).

use std::path::Path;
use std::time::Instant;

pub fn run() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let names = tracking_codegen::specs_in(&specs).unwrap();
    println!("\n## codegen (median of 15 runs)");
    let mut all = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        for spec in &names {
            tracking_codegen::generate_file(spec, tracking_codegen::Strictness::Strict).unwrap();
        }
        all.push(started.elapsed());
    }
    for spec in &names {
        let mut samples: Vec<_> = (0..15)
            .map(|_| {
                let started = Instant::now();
                tracking_codegen::generate_file(spec, tracking_codegen::Strictness::Strict)
                    .unwrap();
                started.elapsed()
            })
            .collect();
        println!(
            "{:<20} {:>8.1} ms",
            spec.file_name().unwrap().to_string_lossy(),
            crate::median_us(&mut samples) / 1000.0
        );
    }
    println!(
        "{:<20} {:>8.1} ms",
        "all specs",
        crate::median_us(&mut all) / 1000.0
    );
}
