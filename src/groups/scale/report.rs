//! The growth, shown: per case, the time and I/O per operation at each
//! tier, the fitted log–log slope, the curve carried on to mainnet's size
//! (labelled as an extrapolation), and a plot.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::measure::Measured;
use super::tier::Tier;
use crate::measure::results::format_time;

/// Mainnet's state: about 10⁹ entries (accounts plus storage slots).
pub(crate) const MAINNET_ENTRIES: f64 = 1e9;

/// One case's measurements, by tier.
#[derive(Debug, Clone, Default)]
pub struct Curve {
    pub case: String,
    pub points: BTreeMap<Tier, Measured>,
}

/// A least-squares line through (log₁₀ N, log₁₀ t): t ≈ 10^intercept × N^slope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub slope: f64,
    pub intercept: f64,
}

impl Fit {
    /// `None` with fewer than two points.
    pub fn of(points: &[(f64, f64)]) -> Option<Fit> {
        if points.len() < 2 {
            return None;
        }
        let n = points.len() as f64;
        let xs: Vec<f64> = points.iter().map(|p| p.0.log10()).collect();
        let ys: Vec<f64> = points.iter().map(|p| p.1.log10()).collect();
        let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
        let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let slope = sxy / sxx;
        Some(Fit { slope, intercept: my - slope * mx })
    }

    pub fn at(&self, entries: f64) -> f64 {
        10f64.powf(self.intercept + self.slope * entries.log10())
    }

    /// The factor per 10× of state.
    pub(crate) fn per_decade(&self) -> f64 {
        10f64.powf(self.slope)
    }
}

/// Group measurements into curves by case (the id without its tier).
pub fn curves(measured: &[(Tier, Measured)]) -> Vec<Curve> {
    let mut by_case: BTreeMap<String, Curve> = BTreeMap::new();
    let mut order = Vec::new();
    for (tier, m) in measured {
        let case = m.id.rsplit_once('/').map_or(m.id.clone(), |(c, _)| c.to_owned());
        if !by_case.contains_key(&case) {
            order.push(case.clone());
        }
        let curve = by_case.entry(case.clone()).or_insert_with(|| Curve { case, points: BTreeMap::new() });
        curve.points.insert(*tier, m.clone());
    }
    order.into_iter().filter_map(|c| by_case.remove(&c)).collect()
}

impl Curve {
    pub fn fit(&self) -> Option<Fit> {
        let points: Vec<(f64, f64)> = self.points.iter().map(|(t, m)| (t.entries() as f64, m.ns.0)).collect();
        Fit::of(&points)
    }

    fn range(&self) -> String {
        match (self.points.keys().next(), self.points.keys().last()) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "–".into(),
        }
    }
}

fn bytes(v: f64) -> String {
    if v >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", v / (1024.0 * 1024.0))
    } else if v >= 1024.0 {
        format!("{:.1} KiB", v / 1024.0)
    } else {
        format!("{v:.0} B")
    }
}

/// Counts per op; below one in a thousand (the counters' own reads, amortised) is shown as such.
fn count(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v < 0.001 {
        "< 0.001".into()
    } else if v < 0.01 {
        format!("{v:.3}")
    } else {
        format!("{v:.2}")
    }
}

/// The ranking: every case's growth and its extrapolation, one row each.
pub fn summary(curves: &[Curve]) -> String {
    let mut out = String::from(
        "| operation | smallest tier | largest tier | × per 10× state | slope | at 10⁹ (extrapolated) |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for c in curves {
        let (Some((t0, first)), Some((t1, last))) = (c.points.iter().next(), c.points.iter().last()) else { continue };
        let (decade, slope, far) = match c.fit() {
            Some(f) => (
                format!("×{:.2}", f.per_decade()),
                format!("{:.3}", f.slope),
                format!("{} (fit {})", format_time(f.at(MAINNET_ENTRIES)), c.range()),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} at {t0} | {} at {t1} | {decade} | {slope} | {far} |",
            c.case,
            format_time(first.ns.0),
            format_time(last.ns.0)
        );
    }
    out
}

/// One table per case: N, time per op with its interval, I/O per op.
pub fn tables(curves: &[Curve]) -> String {
    let mut out = String::new();
    for c in curves {
        let _ = writeln!(out, "#### `{}`\n", c.case);
        let _ = writeln!(
            out,
            "| N | time per op | 95% interval | block read / op | block written / op | read calls / op | write calls / op | major faults / op | minor faults / op |\n|---|---:|---|---:|---:|---:|---:|---:|---:|"
        );
        for (tier, m) in &c.points {
            let io = &m.io;
            let _ = writeln!(
                out,
                "| {tier} | {} | {} – {} | {} | {} | {} | {} | {} | {} |",
                format_time(m.ns.0),
                format_time(m.ns.1),
                format_time(m.ns.2),
                bytes(io.read_bytes),
                bytes(io.write_bytes),
                count(io.read_calls),
                count(io.write_calls),
                count(io.major_faults),
                count(io.minor_faults)
            );
        }
        if let Some(f) = c.fit() {
            let _ = writeln!(
                out,
                "\nGrowth: time ∝ N^{:.3}, ×{:.2} per 10× of state. Carried on to 10⁹ entries (mainnet's size), **an extrapolation from the fit over {}**: {}.\n",
                f.slope,
                f.per_decade(),
                c.range(),
                format_time(f.at(MAINNET_ENTRIES))
            );
        } else {
            out.push('\n');
        }
    }
    out
}

/// The panels of the plot: a title and the case prefix it shows.
const PANELS: [(&str, &str); 4] = [
    ("MDBX reads (per read; per seek + 100-entry walk)", "scale/mdbx/read_,scale/mdbx/seek"),
    ("MDBX batch commits (per account written)", "scale/mdbx/commit"),
    ("State root after 1k accounts + 10k slots", "scale/trie/"),
    ("revm, state in MDBX (per cold access)", "scale/evm/"),
];

/// Time per op against N, log–log, one panel per kind of operation, one
/// line per case (dashed: cold page cache), with the fit carried on to 10⁹ dotted.
pub fn svg(curves: &[Curve], title: &str) -> Result<String, String> {
    use plotters::prelude::*;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1200, 900)).into_drawing_area();
        let e = |e: &dyn std::fmt::Display| e.to_string();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let root = root.titled(title, ("sans-serif", 20)).map_err(|x| e(&x))?;
        let panels = root.split_evenly((2, 2));
        // Blue, red, green, purple, orange, brown: the order these panels have always drawn in.
        let palette = [0, 3, 2, 4, 1, 5].map(|i| crate::measure::chart::PALETTE[i]);
        for ((name, prefixes), area) in PANELS.iter().zip(panels.iter()) {
            let mine: Vec<&Curve> =
                curves.iter().filter(|c| prefixes.split(',').any(|p| c.case.starts_with(p))).collect();
            let values: Vec<f64> = mine
                .iter()
                .flat_map(|c| c.points.values().map(|m| m.ns.0).chain(c.fit().map(|f| f.at(MAINNET_ENTRIES))))
                .filter(|v| *v > 0.0)
                .collect();
            if values.is_empty() {
                continue;
            }
            let lo = values.iter().copied().fold(f64::MAX, f64::min) / 2.0;
            let hi = values.iter().copied().fold(0.0, f64::max) * 2.0;
            let mut chart = ChartBuilder::on(area)
                .caption(*name, ("sans-serif", 16))
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(70)
                .build_cartesian_2d((5e3f64..2e9f64).log_scale(), (lo..hi).log_scale())
                .map_err(|x| e(&x))?;
            chart
                .configure_mesh()
                .x_desc("entries in the state (N)")
                .y_desc("time per op")
                .x_label_formatter(&|v| format!("1e{:.0}", v.log10()))
                .y_label_formatter(&|v| format_time(*v))
                .draw()
                .map_err(|x| e(&x))?;
            // Mainnet's size, where the dotted extrapolations end.
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(MAINNET_ENTRIES, lo), (MAINNET_ENTRIES, hi)],
                    3,
                    3,
                    BLACK.mix(0.4).stroke_width(1),
                ))
                .map_err(|x| e(&x))?;
            chart
                .draw_series(std::iter::once(Text::new(
                    "mainnet ≈ 10⁹",
                    (MAINNET_ENTRIES / 9.0, hi / 1.5),
                    ("sans-serif", 12),
                )))
                .map_err(|x| e(&x))?;
            // One colour per operation; its cold-cache case is the same colour, dashed.
            let operations: Vec<&str> = {
                let mut ops: Vec<&str> = mine.iter().map(|c| c.case.trim_end_matches("_cold_cache")).collect();
                ops.dedup();
                let mut seen = Vec::new();
                ops.retain(|o| {
                    if seen.contains(o) {
                        false
                    } else {
                        seen.push(*o);
                        true
                    }
                });
                ops
            };
            for c in &mine {
                let base = c.case.trim_end_matches("_cold_cache");
                let color = palette[operations.iter().position(|o| *o == base).unwrap_or(0) % palette.len()];
                let cold = c.case.ends_with("_cold_cache");
                let points: Vec<(f64, f64)> = c.points.iter().map(|(t, m)| (t.entries() as f64, m.ns.0)).collect();
                let label = if cold {
                    format!("{} (cold cache)", base.trim_start_matches("scale/"))
                } else {
                    base.trim_start_matches("scale/").to_owned()
                };
                let style = ShapeStyle::from(&color).stroke_width(2);
                let series = if cold {
                    chart.draw_series(DashedLineSeries::new(points.clone(), 6, 4, style))
                } else {
                    chart.draw_series(LineSeries::new(points.clone(), style))
                }
                .map_err(|x| e(&x))?;
                series.label(label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], ShapeStyle::from(&color).stroke_width(2))
                });
                chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, color.filled()))).map_err(|x| e(&x))?;
                // The extrapolation to mainnet's size, dotted and unmarked.
                if let (Some(f), Some(last)) = (c.fit(), points.last()) {
                    let far = vec![*last, (MAINNET_ENTRIES, f.at(MAINNET_ENTRIES))];
                    chart
                        .draw_series(DashedLineSeries::new(
                            far,
                            2,
                            4,
                            ShapeStyle::from(&color.mix(0.6)).stroke_width(1),
                        ))
                        .map_err(|x| e(&x))?;
                }
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.3))
                .label_font(("sans-serif", 12))
                .draw()
                .map_err(|x| e(&x))?;
        }
        root.present().map_err(|x| e(&x))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_power_law_fits_exactly() {
        let points: Vec<(f64, f64)> = [1e4, 1e5, 1e6].iter().map(|n: &f64| (*n, 3.0 * n.powf(0.25))).collect();
        let f = Fit::of(&points).unwrap();
        assert!((f.slope - 0.25).abs() < 1e-12);
        assert!((f.at(1e9) - 3.0 * 1e9f64.powf(0.25)).abs() < 1e-6);
        assert!((f.per_decade() - 10f64.powf(0.25)).abs() < 1e-12);
    }

    #[test]
    fn one_point_has_no_fit() {
        assert_eq!(Fit::of(&[(1e4, 1.0)]), None);
    }
}
