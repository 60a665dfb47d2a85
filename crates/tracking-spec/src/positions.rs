//! Where each node of a YAML document is (line and column), so that a
//! problem found in the JSON tree can be shown at its place in the file.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::JsonPath;

/// Line and column (1-based) of every node, by path.
#[derive(Debug, Default, Clone)]
pub struct Positions(HashMap<Vec<String>, (usize, usize)>);

impl Positions {
    /// Reads the positions of `text`; an unparsable text gives none.
    pub fn of(text: &str) -> Self {
        let mut collector = Collector::default();
        let _ = Parser::new_from_str(text).load(&mut collector, false);
        Self(collector.positions)
    }

    /// The line and column of `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &JsonPath) -> Option<(usize, usize)> {
        let mut segments: Vec<String> = path.segments().collect();
        loop {
            if let Some(found) = self.0.get(&segments) {
                return Some(*found);
            }
            segments.pop()?;
        }
    }
}

enum Frame {
    Map {
        path: Vec<String>,
        key: Option<String>,
        first: bool,
    },
    Seq {
        path: Vec<String>,
        index: usize,
    },
}

#[derive(Default)]
struct Collector {
    stack: Vec<Frame>,
    positions: HashMap<Vec<String>, (usize, usize)>,
}

impl Collector {
    /// The path of the node starting now, or `None` if it is a mapping key.
    fn node_path(&mut self, event: &Event, at: (usize, usize)) -> Option<Vec<String>> {
        match self.stack.last_mut() {
            None => Some(Vec::new()),
            Some(Frame::Map { path, key, first }) => match key.take() {
                Some(key) => Some([path.clone(), vec![key]].concat()),
                None => {
                    if let Event::Scalar(value, ..) = event {
                        let mut key_path = path.clone();
                        key_path.push(value.clone());
                        self.positions.entry(key_path).or_insert(at);
                        *key = Some(value.clone());
                        // A block mapping is marked where the parser saw its
                        // first `:`; its first key is where a reader looks.
                        if std::mem::take(first) {
                            let own = self.positions.entry(path.clone()).or_insert(at);
                            if own.0 == at.0 && own.1 > at.1 {
                                *own = at;
                            }
                        }
                    }
                    None
                }
            },
            Some(Frame::Seq { path, index }) => {
                let item = [path.clone(), vec![index.to_string()]].concat();
                *index += 1;
                Some(item)
            }
        }
    }
}

impl MarkedEventReceiver for Collector {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let at = (mark.line(), mark.col() + 1);
        match event {
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {
                let Some(path) = self.node_path(&event, at) else {
                    return;
                };
                self.positions.entry(path.clone()).or_insert(at);
                match event {
                    Event::MappingStart(..) => self.stack.push(Frame::Map {
                        path,
                        key: None,
                        first: true,
                    }),
                    Event::SequenceStart(..) => self.stack.push(Frame::Seq { path, index: 0 }),
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_items_and_flow_nodes() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n      tags:\n        - one\n        - two\n";
        let p = Positions::of(text);
        let path = |keys: &[&str]| keys.iter().fold(JsonPath::root(), |p, k| p.key(*k));
        assert_eq!(p.find(&path(&["openapi"])), Some((1, 1)));
        assert_eq!(p.find(&path(&["paths", "/a", "get"])), Some((4, 5)));
        assert_eq!(
            p.find(&path(&["paths", "/a", "get", "responses", "200"])),
            Some((6, 9))
        );
        assert_eq!(
            p.find(&path(&[
                "paths",
                "/a",
                "get",
                "responses",
                "200",
                "description"
            ])),
            Some((6, 17))
        );
        assert_eq!(
            p.find(&path(&["paths", "/a", "get", "tags"]).index(1)),
            Some((9, 11))
        );
        // A path that is not there: its nearest ancestor.
        assert_eq!(
            p.find(&path(&["paths", "/a", "get", "operationId"])),
            Some((4, 5))
        );
    }
}
