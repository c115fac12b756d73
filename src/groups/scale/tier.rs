//! A tier: a state of 10^k entries (accounts plus storage slots), and the
//! mix of accounts, contracts and slots it holds.

use std::fmt;

/// The tiers `ethbench scale` measures by default; 10⁸ is opt-in (`--max 1e8`).
pub const DEFAULT: [Tier; 4] = [Tier(4), Tier(5), Tier(6), Tier(7)];
/// The largest tier the suite builds.
pub(crate) const LARGEST: Tier = Tier(8);
/// The tier `cargo bench` and `cargo test` run.
pub const SMALLEST: Tier = Tier(4);

/// Bytes on disk per entry, measured on 10⁶ and 10⁷ (docs/scale.md), with
/// room for MDBX's growth step; what the free-space check asks for.
const BYTES_PER_ENTRY: u64 = 120;

/// 10^exponent entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Tier(pub u32);

impl From<Tier> for String {
    fn from(t: Tier) -> String {
        t.to_string()
    }
}

impl TryFrom<String> for Tier {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Tier::parse(&text)
    }
}

impl Tier {
    /// `1e6` → 10⁶. Only the tiers the suite knows: 1e4 to 1e8.
    pub fn parse(text: &str) -> Result<Self, String> {
        let exponent = text
            .strip_prefix("1e")
            .and_then(|e| e.parse::<u32>().ok())
            .ok_or_else(|| format!("`{text}` is not a tier; tiers are written 1e4, 1e5, 1e6, 1e7 or 1e8"))?;
        let tier = Tier(exponent);
        if tier < SMALLEST || tier > LARGEST {
            return Err(format!("there is no tier {text}; the tiers are 1e4 to 1e8"));
        }
        Ok(tier)
    }

    pub fn entries(self) -> u64 {
        10u64.pow(self.0)
    }

    /// Bytes the tier's state takes on disk, about (what a build needs free).
    pub fn disk_bytes(self) -> u64 {
        self.entries() * BYTES_PER_ENTRY
    }

    /// Every tier from the smallest up to `max`.
    pub fn up_to(max: Tier) -> Vec<Tier> {
        (SMALLEST.0..=max.0).map(Tier).collect()
    }

    pub fn mix(self) -> Mix {
        Mix::of(self.entries())
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1e{}", self.0)
    }
}

/// What a tier of N entries holds.
///
/// Mainnet holds about 4–5 storage slots per account and a few percent of
/// its accounts are contracts, with storage concentrated in a few of them
/// (the largest token contracts hold tens of millions of slots). So: a fifth
/// of the entries are accounts, one account in twenty is a contract, and
/// contract k (from 0) holds a share of the slots proportional to 1/(k+1),
/// a Zipf law: at 10⁸, the largest contract has 5.5M slots and the median
/// one 15.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix {
    pub accounts: u64,
    pub contracts: u64,
    /// The slots the mix aims at; `slot_count` sums to exactly this.
    pub slots: u64,
    harmonic: f64,
    /// Contract 0's slots: what rounding the others' shares leaves.
    first: u64,
}

/// At least this many contracts, so that a changeset can touch 100 of them.
const MIN_CONTRACTS: u64 = 100;

impl Mix {
    pub fn of(entries: u64) -> Self {
        let accounts = entries / 5;
        let contracts = (accounts / 20).max(MIN_CONTRACTS);
        let harmonic = (0..contracts).map(|k| 1.0 / (k + 1) as f64).sum();
        let mut mix = Self { accounts, contracts, slots: entries - accounts, harmonic, first: 0 };
        mix.first = mix.slots - (1..contracts).map(|k| mix.share(k)).sum::<u64>();
        mix
    }

    fn share(&self, k: u64) -> u64 {
        ((self.slots as f64 / ((k + 1) as f64 * self.harmonic)) as u64).max(1)
    }

    /// The slots of contract `k`: its Zipf share, at least one; contract 0
    /// takes what rounding leaves, so the counts sum to `slots`.
    pub(crate) fn slot_count(&self, k: u64) -> u64 {
        if k == 0 {
            self.first
        } else {
            self.share(k)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_counts_sum_to_the_mix() {
        for tier in Tier::up_to(Tier(6)) {
            let mix = tier.mix();
            let total: u64 = (0..mix.contracts).map(|k| mix.slot_count(k)).sum();
            assert_eq!(total + mix.accounts, tier.entries());
        }
    }

    #[test]
    fn only_known_tiers_parse() {
        assert_eq!(Tier::parse("1e6"), Ok(Tier(6)));
        assert!(Tier::parse("1e3").is_err());
        assert!(Tier::parse("1e9").is_err());
        assert!(Tier::parse("million").is_err());
    }
}
