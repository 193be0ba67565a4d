//! The hash maps and sets the loader, the stream and the evaluator key by what a timeline
//! names (ids, people, visits): std's maps with foldhash in place of SipHash.
//!
//! A year's audit hashes every event's id and visit several times; SipHash was about a
//! twentieth of its instructions (callgrind, docs/performance.md). foldhash is the hasher
//! hashbrown itself defaults to, seeded afresh in each process, so a file cannot be crafted
//! in advance to make its ids collide. Nothing Vigil prints depends on a map's order: every
//! output is sorted or follows the timeline.

/// A hash map, hashed with foldhash.
pub(crate) type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A hash set, hashed with foldhash.
pub(crate) type Set<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// An empty map with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(n, foldhash::fast::RandomState::default())
}
