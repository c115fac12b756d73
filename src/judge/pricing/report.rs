//! The pricing map as a dated results file: the ranking as a table, and
//! the same ranking as horizontal bars on a log axis with the target drawn.

use std::fmt::Write;

use super::{shortfall, surely_below, Case, Kind};
use crate::measure::machine::Machine;
use crate::measure::results::{format_time, three_digits};

fn rate(v: f64) -> String {
    if v.is_finite() {
        three_digits(v)
    } else {
        "∞".to_owned()
    }
}

fn time(ns: f64) -> String {
    if ns > 0.0 {
        format_time(ns)
    } else {
        "≤ 0".to_owned()
    }
}

/// The results file: what was measured and how, the chart, and the table.
pub fn markdown(
    cases: &[Case],
    target: f64,
    machine: &Machine,
    source: &str,
    command: &str,
    svg: Option<&str>,
) -> String {
    let below = cases.iter().filter(|c| shortfall(c, target).is_some()).count();
    let surely = cases.iter().filter(|c| surely_below(c, target)).count();
    let unresolved = cases.iter().filter(|c| !c.resolved()).count();
    let mut md = format!(
        "# Gas per second of every priced operation\n\n\
         {date}, {machine}. Made by `{command}` from {source}.\n\n\
         Each opcode and storage-access case is its program's time per operation with its baseline \
         program's subtracted (the conservative 95% interval: the extremes of both); each precompile \
         input is one call. Gas is the suite's price of the operation or call. Target **{target} MGas/s**: \
         a 60M-gas block (mainnet's gas limit) executed in one second, a quarter of the four seconds \
         before a slot's attestations are due, leaving the rest for receiving the block, its state root \
         and its commit (`--target-mgas` changes it).\n\n\
         **{below} of {n} cases fall below the target** ({surely} with their whole interval below); \
         {unresolved} are not resolved above their baseline program (their rate has no upper bound).\n\n",
        date = machine.date,
        machine = machine.summary(),
        n = cases.len(),
    );
    if let Some(svg) = svg {
        let _ = writeln!(md, "![MGas/s of every case, slowest first, on a log axis, with the target]({svg})\n");
    }
    md.push_str("| rank | case | kind | gas | time (95% CI) | MGas/s (95% CI) | below target by |\n|---:|---|---|---:|---|---|---:|\n");
    for (i, c) in cases.iter().enumerate() {
        let gap = match shortfall(c, target) {
            Some(f) if surely_below(c, target) => format!("**{:.0}%**", f * 100.0),
            Some(f) => format!("{:.0}% (within noise)", f * 100.0),
            None => String::new(),
        };
        let _ = writeln!(
            md,
            "| {} | `{}` | {} | {} | {} ({} – {}) | {} ({} – {}) | {gap} |",
            i + 1,
            c.id,
            c.kind.label(),
            if c.gas.fract() == 0.0 { format!("{:.0}", c.gas) } else { format!("{:.1}", c.gas) },
            time(c.ns.0),
            time(c.ns.1),
            time(c.ns.2),
            rate(c.mgas.0),
            rate(c.mgas.1),
            rate(c.mgas.2),
        );
    }
    md
}

/// Horizontal bars, slowest at the top, on a log MGas/s axis: each bar the
/// point estimate, its whisker the interval, red below the target, grey
/// where the cost is not resolved above the baseline.
pub fn svg(cases: &[Case], target: f64, title: &str) -> Result<String, String> {
    use plotters::prelude::*;
    let e = |x: &dyn std::fmt::Display| x.to_string();
    let finite = cases.iter().flat_map(|c| [c.mgas.0, c.mgas.1, c.mgas.2]).filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = finite.fold((target, target), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (x0, x1) = (10f64.powf((lo / 1.5).log10().floor()), 10f64.powf((hi * 1.5).log10().ceil()));
    let rows = cases.len();
    let labels: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
    let mut out = String::new();
    {
        let height = 140 + 15 * rows as u32;
        let root = SVGBackend::with_string(&mut out, (1100, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let root = root.titled(title, ("sans-serif", 18)).map_err(|x| e(&x))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .top_x_label_area_size(28)
            .y_label_area_size(330)
            .build_cartesian_2d((x0..x1).log_scale(), 0f64..rows as f64)
            .map_err(|x| e(&x))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows * 2 + 1)
            .y_label_style(("sans-serif", 11))
            .y_label_formatter(&|y| {
                let i = rows as f64 - y - 0.5;
                let r = i.round();
                if (i - r).abs() < 0.01 && r >= 0.0 && (r as usize) < labels.len() {
                    labels[r as usize].clone()
                } else {
                    String::new()
                }
            })
            .x_desc("MGas/s (log scale)")
            .x_label_formatter(&|v| three_digits(*v))
            .draw()
            .map_err(|x| e(&x))?;
        let (red, blue, grey, purple) =
            (RGBColor(214, 39, 40), RGBColor(31, 119, 180), RGBColor(170, 170, 170), RGBColor(148, 103, 189));
        for (i, c) in cases.iter().enumerate() {
            let top = rows as f64 - i as f64;
            let (y0, y1, ym) = (top - 0.85, top - 0.15, top - 0.5);
            let color = if !c.resolved() {
                grey
            } else if c.mgas.0 < target {
                red
            } else if c.kind == Kind::Precompile {
                purple
            } else {
                blue
            };
            let point = if c.mgas.0.is_finite() { c.mgas.0 } else { c.mgas.1 };
            chart
                .draw_series(std::iter::once(Rectangle::new([(x0, y0), (point.max(x0), y1)], color.mix(0.8).filled())))
                .map_err(|x| e(&x))?;
            let (low, high) = (c.mgas.1.max(x0), if c.mgas.2.is_finite() { c.mgas.2 } else { x1 });
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(low, ym), (high, ym)], BLACK.stroke_width(1))))
                .map_err(|x| e(&x))?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(target, 0.0), (target, rows as f64)],
                BLACK.stroke_width(2),
            )))
            .map_err(|x| e(&x))?
            .label(format!("target {target} MGas/s"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(2)));
        for (name, color) in [
            ("below the target", red),
            ("opcode, storage", blue),
            ("precompile", purple),
            ("not resolved above its baseline", grey),
        ] {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                .map_err(|x| e(&x))?
                .label(name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(|x| e(&x))?;
        root.present().map_err(|x| e(&x))?;
    }
    Ok(out)
}
