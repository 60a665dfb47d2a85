//! Loading a provider's spec, shared by the generator, the contract engine
//! and everything that reads `specs/`: one place that turns YAML into JSON
//! and `openapiv3` types, and one error that names the file and the node
//! (as a [`JsonPath`]).

#![forbid(unsafe_code)]

mod error;
mod idempotent;
mod load;
mod positions;
mod refs;
mod vocabulary;

pub use error::{JsonPath, SpecError};
pub use idempotent::idempotent_operations;
pub use load::{SPEC_EXTENSIONS, Spec, find_spec, is_json_file, load, parse, specs_in};
pub use positions::Positions;
pub use refs::{follow_ref, resolve_ref};
pub use vocabulary::{METHODS, media_essence};
