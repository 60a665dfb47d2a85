//! The build script of the contract tests (`tests/`): every client crate's
//! committed `src/generated.rs` must be what its spec in `specs/` generates
//! now (`cargo xtask regen` writes them). The crates ship that code, so that
//! their users never compile the generator.

fn main() {
    tracking_codegen::check_generated_code();
}
