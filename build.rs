//! The build script of every generated client crate (`build = "../../build.rs"`):
//! generates `$OUT_DIR/client.rs` from `specs/<crate directory>.yaml`.

fn main() {
    tracking_codegen::build_client_crate();
}
