//! Following local `$ref`s, for every crate that walks a spec's JSON.

use serde_json::Value;

/// Hops followed before giving up, so that a reference cycle ends.
const MAX_HOPS: usize = 32;

/// Follows local `$ref`s from `node` (found at JSON pointer `at`) to the node
/// they name, and returns that node with its pointer. A reference that does
/// not resolve, or a cycle, stops at the last node reached.
pub fn resolve_ref<'a>(root: &'a Value, at: &str, node: &'a Value) -> (String, &'a Value) {
    let (mut at, mut node) = (at.to_string(), node);
    for _ in 0..MAX_HOPS {
        let Some(pointer) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        let Some(target) = root.pointer(pointer) else {
            break;
        };
        (at, node) = (pointer.to_string(), target);
    }
    (at, node)
}

/// `key` as a token of a JSON pointer (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The node `node` refers to (itself when it is no `$ref`).
pub fn follow_ref<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    resolve_ref(root, "", node).1
}

/// A JSON pointer token as the key it names (`~1` is `/`, `~0` is `~`).
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follows_chains_and_stops_at_cycles_and_dead_ends() {
        let root = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}, "loop": {"$ref": "#/loop"}, "dead": {"$ref": "#/nowhere"}});
        assert_eq!(
            resolve_ref(&root, "/a", &root["a"]),
            ("/c".to_string(), &json!({"type": "string"}))
        );
        assert_eq!(follow_ref(&root, &root["loop"]), &root["loop"]);
        assert_eq!(follow_ref(&root, &root["dead"]), &root["dead"]);
        assert_eq!(follow_ref(&root, &root["c"]), &root["c"]);
    }
}
