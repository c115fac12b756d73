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

/// The standard normal quantile: the z with Φ(z) = p, for 0 < p < 1
/// (Acklam's rational approximation, relative error below 1.2e-9).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] =
        [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The two-sided Student's t quantile: the t with P(|T| ≤ t) = `confidence`
/// for `df` degrees of freedom. At 95% and 99% up to 30 degrees of freedom,
/// the published tables (the verdict's usual levels, so its intervals stay
/// exactly what they were); otherwise exact for one and two degrees of
/// freedom, and from three on the Cornish–Fisher expansion around the normal
/// quantile (within 1% of the tables, closer as `df` grows).
pub(crate) fn t_quantile(confidence: f64, df: usize) -> f64 {
    const T_975: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    const T_995: [f64; 30] = [
        63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947,
        2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750,
    ];
    let table = if (confidence - 0.95).abs() < 1e-9 {
        Some(&T_975)
    } else if (confidence - 0.99).abs() < 1e-9 {
        Some(&T_995)
    } else {
        None
    };
    if let Some(t) = table.and_then(|t| t.get(df.max(1) - 1)) {
        return *t;
    }
    let p = 0.5 + confidence / 2.0;
    match df.max(1) {
        1 => (std::f64::consts::PI * (p - 0.5)).tan(),
        2 => (2.0 * p - 1.0) * (2.0 / (4.0 * p * (1.0 - p))).sqrt(),
        df => {
            let (z, nu) = (normal_quantile(p), df as f64);
            let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
            z + (z3 + z) / (4.0 * nu)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * nu.powi(2))
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * nu.powi(3))
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * nu.powi(4))
        }
    }
}

/// The Hodges–Lehmann estimate of the centre of `values` (the median of all
/// pairwise means, each value with itself included) and its Wilcoxon
/// signed-rank confidence interval: the (T+1)-th smallest and largest of
/// those means, T the rank statistic's critical value.
pub(crate) fn hodges_lehmann(values: &[f64], confidence: f64) -> (f64, f64, f64) {
    let n = values.len();
    let mut walsh: Vec<f64> =
        (0..n).flat_map(|i| (i..n).map(move |j| (i, j))).map(|(i, j)| (values[i] + values[j]) / 2.0).collect();
    walsh.sort_unstable_by(f64::total_cmp);
    let m = walsh.len();
    let centre = if m % 2 == 1 { walsh[m / 2] } else { (walsh[m / 2 - 1] + walsh[m / 2]) / 2.0 };
    let t = wilcoxon_critical(n, confidence).min((m - 1) / 2);
    (centre, walsh[t], walsh[m - 1 - t])
}

/// The largest T with P(W ≤ T) ≤ (1 − confidence)/2 for the signed-rank
/// statistic W of `n` values, from W's exact null distribution: each of the
/// 2^n sign patterns is equally likely, counted by the sum of the positive
/// ranks. With too few values no T reaches the level (below 6 values at 95%,
/// below 8 at 99%), and the interval is then the whole range.
fn wilcoxon_critical(n: usize, confidence: f64) -> usize {
    let tail = (1.0 - confidence) / 2.0;
    let most = n * (n + 1) / 2;
    // ways[s]: sign patterns whose positive ranks sum to s (f64: exact to 2^53, ample here).
    let mut ways = vec![0f64; most + 1];
    ways[0] = 1.0;
    for rank in 1..=n {
        for sum in (rank..=most).rev() {
            ways[sum] += ways[sum - rank];
        }
    }
    let total = 2f64.powi(n as i32);
    let mut below = 0.0;
    let mut critical = 0;
    for (t, w) in ways.iter().enumerate() {
        below += w;
        if below / total > tail {
            break;
        }
        critical = t;
    }
    critical
}

/// A bootstrap interval: `resamples` estimates, each drawn by `estimate`
/// from the generator, and their (1 − confidence)/2 and (1 + confidence)/2
/// percentiles.
pub(crate) fn bootstrap_interval(
    resamples: usize,
    confidence: f64,
    rng: &mut rand_chacha::ChaCha20Rng,
    mut estimate: impl FnMut(&mut rand_chacha::ChaCha20Rng) -> f64,
) -> (f64, f64) {
    let mut estimates: Vec<f64> = (0..resamples).map(|_| estimate(rng)).collect();
    estimates.sort_unstable_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    (percentile(&estimates, tail), percentile(&estimates, 1.0 - tail))
}

/// Student's t interval of the mean of `values`: the mean and the
/// half-width t(confidence, n − 1) · s / √n; `None` below two values.
pub(crate) fn t_interval(values: &[f64], confidence: f64) -> Option<(f64, f64)> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    Some((mean, t_quantile(confidence, n - 1) * sd / (n as f64).sqrt()))
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
    fn normal_quantile_matches_the_tables() {
        for (p, z) in [(0.975, 1.959964), (0.995, 2.575829), (0.5, 0.0), (0.001, -3.090232), (0.9999, 3.719016)] {
            assert!((normal_quantile(p) - z).abs() < 1e-5, "{p}: {}", normal_quantile(p));
        }
    }

    #[test]
    fn the_expansion_is_within_one_percent_of_the_tables() {
        // A confidence a hair off 99% skips the table and takes the expansion.
        for (df, t) in [(3, 5.841), (4, 4.604), (10, 3.169), (30, 2.750)] {
            let got = t_quantile(0.9900001, df);
            assert!((got / t - 1.0).abs() < 0.01, "{df} df: {got}, table {t}");
        }
    }

    #[test]
    fn t_quantile_matches_the_tables_at_any_confidence() {
        // Student's t tables, two-sided 95%, 99% and 90%; df = 120 and the
        // 90% ones come from the expansion, the others from the tables.
        let t95 = [(1, 12.706), (2, 4.303), (3, 3.182), (5, 2.571), (10, 2.228), (30, 2.042), (120, 1.980)];
        let t99 = [(1, 63.657), (2, 9.925), (3, 5.841), (5, 4.032), (10, 3.169), (30, 2.750), (120, 2.617)];
        let t90 = [(1, 6.314), (2, 2.920), (4, 2.132), (10, 1.812), (60, 1.671)];
        for (confidence, table) in [(0.95, &t95[..]), (0.99, &t99[..]), (0.90, &t90[..])] {
            for &(df, t) in table {
                let got = t_quantile(confidence, df);
                assert!((got / t - 1.0).abs() < 0.01, "{confidence} with {df} df: {got}, table {t}");
            }
        }
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

    /// The published two-sided critical values of the signed-rank test
    /// (e.g. the tables in Siegel & Castellan, Nonparametric Statistics),
    /// n = 6…25: the exact count must reproduce them.
    #[test]
    fn wilcoxon_critical_values_match_the_published_tables() {
        let at_95 = [0, 2, 3, 5, 8, 10, 13, 17, 21, 25, 29, 34, 40, 46, 52, 58, 65, 73, 81, 89];
        let at_99 = [0, 0, 0, 1, 3, 5, 7, 9, 12, 15, 19, 23, 27, 32, 37, 42, 48, 54, 61, 68];
        for (i, n) in (6..=25).enumerate() {
            assert_eq!(wilcoxon_critical(n, 0.95), at_95[i], "n = {n} at 95%");
            assert_eq!(wilcoxon_critical(n, 0.99), at_99[i], "n = {n} at 99%");
        }
    }

    /// Hodges–Lehmann on a textbook case (Hollander & Wolfe, Nonparametric
    /// Statistical Methods: the estimate is the median of the n(n+1)/2 Walsh
    /// averages). For 1…9 the Walsh averages are symmetric about 5, and at 95%
    /// with n = 9 the critical value is 5, so the interval runs from the 6th
    /// smallest to the 6th largest average: 2.5 and 7.5.
    #[test]
    fn hodges_lehmann_is_the_median_of_the_walsh_averages() {
        let values: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(hodges_lehmann(&values, 0.95), (5.0, 2.5, 7.5));
        // One outlier moves the estimate a little, not by its size.
        let (centre, _, _) = hodges_lehmann(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 900.0], 0.95);
        assert_eq!(centre, 5.0);
        // Seven values: 28 averages, the 95% interval drops the two smallest and the two largest.
        assert_eq!(hodges_lehmann(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 100.0], 0.95), (4.0, 2.0, 52.5));
    }

    #[test]
    fn the_t_interval_is_the_textbook_one() {
        // 1…5: mean 3, s = √2.5, t(0.975, 4) = 2.776 (the tables): half-width 1.963.
        let (mean, half) = t_interval(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95).unwrap();
        assert_eq!(mean, 3.0);
        assert!((half - 1.963).abs() < 0.002, "{half}");
        assert!(t_interval(&[1.0], 0.95).is_none());
    }

    #[test]
    fn a_bootstrap_of_the_mean_agrees_with_the_t_interval_on_many_values() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let values: Vec<f64> = (0..400).map(|_| rng.random::<f64>()).collect();
        let (mean, half) = t_interval(&values, 0.95).unwrap();
        let (low, high) = bootstrap_interval(4000, 0.95, &mut rng, |rng| {
            (0..values.len()).map(|_| values[rng.random_range(0..values.len())]).sum::<f64>() / values.len() as f64
        });
        assert!((low - (mean - half)).abs() < 0.1 * half && (high - (mean + half)).abs() < 0.1 * half, "{low} {high}");
        // An estimate that never varies has no width.
        assert_eq!(bootstrap_interval(10, 0.95, &mut rng, |_| 7.0), (7.0, 7.0));
    }
}
