//! The codegen passes reach progenitor's real output: on every spec of the
//! workspace, nothing is left for them to rewrite. (Unit tests in each pass
//! check the rewrite itself; this catches a progenitor whose output no longer
//! has the shape they look for, which would otherwise only be slower.)

use std::path::Path;

#[test]
fn every_spec_is_rewritten_by_every_pass() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut seen = 0;
    for entry in std::fs::read_dir(&specs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        seen += 1;
        let code = tracking_codegen::generate_file(&path).unwrap();
        for leftover in [
            "encode_path(&",
            "from_response(",
            "\"api-version\"",
            "client.exec(",
            "chars().count() <",
        ] {
            assert!(
                !code.contains(leftover),
                "{}: `{leftover}` is still in the generated code",
                path.display()
            );
        }
        assert!(code.contains("to_path_segment()"), "{}", path.display());
        assert!(
            code.contains(".execute(&client.client, request, &build,"),
            "{}",
            path.display()
        );
        assert!(
            code.contains("::tracking_runtime::response_value("),
            "{}",
            path.display()
        );
    }
    assert!(seen >= 3, "the three providers' specs at least");
}
