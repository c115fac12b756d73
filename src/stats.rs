//! Order statistics shared by the comparator and main's history: one median,
//! one percentile and one interval for a median, so two reports of the same
//! samples cannot disagree on what "the median" was.

/// The median, averaging the two middle values of an even count. Sorts `values`.
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The `p` quantile of sorted values, interpolating between neighbours.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

/// A distribution-free 95% interval for the median of sorted values: the
/// order statistics of ranks n/2 − 1.96·√n/2 and 1 + n/2 + 1.96·√n/2
/// (1-based), the normal approximation to the binomial(n, ½) count of values
/// below the median. It needs no assumption about the shape of
/// the samples, which for timings are skewed by the odd slow one. With fewer
/// than six values it spans them all.
pub(crate) fn median_interval(sorted: &[f64]) -> (f64, f64) {
    let n = sorted.len();
    let half_width = 1.96 * (n as f64).sqrt() / 2.0;
    let low = ((n as f64 / 2.0 - half_width).floor().max(1.0) as usize).min(n) - 1;
    let high = ((1.0 + n as f64 / 2.0 + half_width).ceil() as usize).clamp(1, n) - 1;
    (sorted[low], sorted[high])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn percentile_interpolates() {
        let sorted = [10.0, 20.0, 30.0, 40.0, 50.0];
        assert_eq!(percentile(&sorted, 0.0), 10.0);
        assert_eq!(percentile(&sorted, 0.5), 30.0);
        assert_eq!(percentile(&sorted, 0.125), 15.0);
        assert_eq!(percentile(&sorted, 1.0), 50.0);
    }

    #[test]
    fn median_interval_uses_the_binomial_ranks() {
        // n = 100: ranks ⌊50 − 9.8⌋ and ⌈51 + 9.8⌉, the 40th and 61st values.
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(median_interval(&sorted), (40.0, 61.0));
        // Few values: the whole range.
        assert_eq!(median_interval(&[1.0, 2.0, 3.0]), (1.0, 3.0));
        assert_eq!(median_interval(&[7.0]), (7.0, 7.0));
    }

    #[test]
    fn median_interval_covers_the_median_about_95_percent_of_the_time() {
        // Uniform samples, whose median is ½.
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let trials = 4000;
        let covered = (0..trials)
            .filter(|_| {
                let mut v: Vec<f64> = (0..50).map(|_| rng.random::<f64>()).collect();
                v.sort_unstable_by(f64::total_cmp);
                let (lo, hi) = median_interval(&v);
                lo <= 0.5 && 0.5 <= hi
            })
            .count();
        let rate = covered as f64 / trials as f64;
        assert!((0.93..=0.985).contains(&rate), "coverage {rate}");
    }
}
