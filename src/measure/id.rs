//! Benchmark ids: `group/case/input`, such as `rlp/decode/block_200tx`.
//! A case may have parts of its own: a state test's id is
//! `statetest/<file>/<test>/<fork>/<indexes>`, whose case is `<file>/<test>/<fork>`.
//!
//! Workloads name themselves with the written form; this type is where it is
//! taken apart, so every runner splits an id the same way: Criterion's group
//! is `group/case` and its function the input, the group picks the builder,
//! and an iai-callgrind twin is named `case__input` in its group's target.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id {
    pub group: String,
    pub case: String,
    pub input: String,
}

impl Id {
    /// `group/case/input`, every part non-empty; the group is the first
    /// part, the input the last, the case everything between.
    pub fn parse(id: &str) -> Result<Self, String> {
        let parts: Vec<&str> = id.split('/').collect();
        match parts[..] {
            [group, ref case @ .., input] if !case.is_empty() && parts.iter().all(|p| !p.is_empty()) => {
                Ok(Self { group: group.to_owned(), case: case.join("/"), input: input.to_owned() })
            }
            _ => Err(format!("`{id}` is not a benchmark id; ids are group/case/input, such as rlp/decode/block_200tx")),
        }
    }

    /// Criterion's benchmark group: `group/case`.
    pub(crate) fn criterion_group(&self) -> String {
        format!("{}/{}", self.group, self.case)
    }

    /// The id of an iai-callgrind twin, from its bench target's group and
    /// its bench name `case__input` (bench names are identifiers).
    pub fn from_iai(group: &str, bench: &str) -> Option<Self> {
        let (case, input) = bench.split_once("__")?;
        Self::parse(&format!("{group}/{case}/{input}")).ok()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.group, self.case, self.input)
    }
}

/// The value of the longest prefix of `id` among `pairs`: per-benchmark
/// settings (floors, tolerances) keyed by id prefix.
pub(crate) fn longest_prefix<'a, V: Copy>(pairs: impl IntoIterator<Item = (&'a str, V)>, id: &str) -> Option<V> {
    pairs
        .into_iter()
        .filter(|(prefix, _)| id.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, v)| v)
}
