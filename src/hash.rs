//! The hash maps and sets the loader, the stream and the evaluator key by what a timeline
//! names (ids, people, visits): std's maps with foldhash in place of SipHash.
//!
//! A year's audit hashes every event's id and visit several times; SipHash was about a
//! twentieth of its instructions (callgrind, docs/performance.md). foldhash is the hasher
//! hashbrown itself defaults to, seeded afresh in each process, so a file cannot be crafted
//! in advance to make its ids collide. Nothing Vigil prints depends on a map's order: every
//! output is sorted or follows the timeline.
//!
//! Built for coverage-guided fuzzing (`cargo fuzz` sets `--cfg fuzzing`), every map is seeded
//! the same: with a fresh seed, which branches a map's probing takes changed from run to run,
//! so libFuzzer kept counting "new" edges that no input had reached and a target's coverage
//! never settled (fuzz/README.md).

/// How the maps are seeded: afresh in each process, or fixed under the fuzzer.
#[cfg(not(fuzzing))]
pub(crate) type State = foldhash::fast::RandomState;
/// How the maps are seeded: afresh in each process, or fixed under the fuzzer.
#[cfg(fuzzing)]
pub(crate) type State = foldhash::fast::FixedState;

/// A hash map, hashed with foldhash.
pub(crate) type Map<K, V> = std::collections::HashMap<K, V, State>;

/// A hash set, hashed with foldhash.
pub(crate) type Set<K> = std::collections::HashSet<K, State>;

/// An empty map with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(n, State::default())
}

/// An empty set with room for `n` entries.
pub(crate) fn set_with_capacity<K>(n: usize) -> Set<K> {
    Set::with_capacity_and_hasher(n, State::default())
}
