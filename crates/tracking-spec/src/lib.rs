//! Loading a provider's spec, shared by the generator, the contract engine
//! and everything that reads `specs/`: one place that turns YAML into JSON
//! and `openapiv3` types, one error that names the file and the node (as a
//! [`JsonPath`]), and the walks every reader of a spec needs (the JSON media
//! of a body, the examples of a node, `$ref`s followed).

#![forbid(unsafe_code)]

pub mod convert;
mod error;
mod finding;
mod idempotent;
mod load;
mod mock_values;
mod positions;
mod refs;
pub mod tracking;
mod vocabulary;
mod walk;

pub use convert::Format;
pub use error::{JsonPath, SpecError};
pub use finding::Finding;
pub use idempotent::idempotent_operations;
pub use load::{
    Document, SPEC_EXTENSIONS, Spec, find_spec, is_json_file, load, load_document, parse,
    parse_document, parse_tree, specs_in,
};
pub use mock_values::mock_api_key;
pub use positions::Positions;
pub use refs::{follow_ref, pointer_token, resolve_ref};
pub use vocabulary::{METHODS, is_data, media_essence};
pub use walk::{
    Direction, Parameter, Severity, examples, is_json_media, json_media, json_schema, parameters,
    security_alternatives, security_requirements, server_path, token_paths, what_it_sends,
};
