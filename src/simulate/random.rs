//! SplitMix64 (Steele, Lea and Flood, 2014): a small generator whose output is fixed by its
//! seed on every platform, which is all a reproducible simulation needs (no crate: the
//! sequence must never change under a dependency's update).

/// The generator's state.
pub(super) struct Random(u64);

impl Random {
    pub(super) fn new(seed: u64) -> Random {
        Random(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 for `n` 0), by the high bits' multiply-shift (Lemire), whose
    /// bias for the small `n` used here is below one in 2^32.
    pub(super) fn below(&mut self, n: u32) -> u32 {
        ((self.next() >> 32).wrapping_mul(u64::from(n)) >> 32) as u32
    }

    /// True `per_thousand` times in a thousand.
    pub(super) fn chance(&mut self, per_thousand: u32) -> bool {
        self.below(1000) < per_thousand
    }
}

#[cfg(test)]
mod test {
    #[test]
    fn splitmix64_gives_its_published_sequence() {
        // The reference implementation's first outputs for seed 1234567.
        let mut r = super::Random::new(1_234_567);
        assert_eq!(r.next(), 6_457_827_717_110_365_317);
        assert_eq!(r.next(), 3_203_168_211_198_807_973);
        assert_eq!(r.next(), 9_817_491_932_198_370_423);
    }
}
