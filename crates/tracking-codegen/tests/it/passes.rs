//! The generator's output on every spec of the workspace goes through the
//! runtime: the `wrap` pass reached every operation and the hooks are
//! progenitor's own. (The pass's unit tests check the rewrite itself; this
//! catches a progenitor whose output it no longer recognises.)

use std::path::Path;

#[test]
fn every_operation_is_wrapped_and_sends_through_the_hooks() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut seen = 0;
    for path in tracking_codegen::specs_in(&specs).unwrap() {
        seen += 1;
        let spec = tracking_codegen::load(&path).unwrap();
        let operations = spec.openapi.operations().count();
        let code = tracking_codegen::generate_file(&path, tracking_codegen::Strictness::Strict)
            .unwrap()
            .code;
        let count = |needle: &str| code.matches(needle).count();
        assert_eq!(
            count("::tracking_runtime::call("),
            operations,
            "{}: every operation's send() goes through the call",
            path.display()
        );
        // progenitor's own exec hook call, delegated to the runtime once.
        assert_eq!(count("client.exec(request, &info)"), operations);
        assert_eq!(count("self.inner.execute("), 1, "{}", path.display());
        assert!(
            code.contains(r#"remove("api-version")"#),
            "{}",
            path.display()
        );
    }
    assert!(seen >= 3, "the three providers' specs at least");
}
