//! The pipeline report: per block, each stage's time with its interval,
//! its share of the import, its MGas/s and its I/O per block; the stages'
//! sum against the whole import; rayon against sequential recovery; and a
//! stacked bar per block.

use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

use super::stages::Stage;
use crate::groups::scale::measure::Measured;
use crate::measure::machine::Machine;
use crate::measure::progress::clock;
use crate::measure::results::format_time;

/// One block's stages as measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BlockRun {
    /// The id's block part: `mixed_30m_1e6`, or a blockchain test's `file/test/network`.
    pub block: String,
    /// What the block runs on: `tier 1e6`, or a test's pre-state.
    pub state: String,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub transactions: usize,
    pub mix: String,
    pub stages: Vec<Measured>,
}

impl BlockRun {
    pub fn stage(&self, stage: Stage) -> Option<&Measured> {
        self.stages.iter().find(|m| m.id.ends_with(&format!("/{}", stage.name())))
    }

    fn mgas_per_s(&self, m: &Measured) -> f64 {
        self.gas_used as f64 / m.ns.0 * 1e3
    }

    /// The import's stages, summed.
    fn stages_sum(&self) -> f64 {
        Stage::OF_IMPORT.iter().filter_map(|s| self.stage(*s)).map(|m| m.ns.0).sum()
    }
}

fn kib(bytes: f64) -> String {
    if bytes < 1.0 {
        "0".into()
    } else {
        format!("{:.1} KiB", bytes / 1024.0)
    }
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Decode => "decode + body checks",
        Stage::Senders => "senders, sequential",
        Stage::SendersRayon => "senders, rayon",
        Stage::Execute => "execute",
        Stage::StateRoot => "hash + state root",
        Stage::Commit => "write + durable commit",
        Stage::Import => "import (whole)",
    }
}

/// One block's table.
fn table(run: &BlockRun) -> String {
    let mut md = String::new();
    let import = run.stage(Stage::Import).map(|m| m.ns.0);
    let _ = writeln!(
        md,
        "## {} on {}: {} transactions, {:.2} M gas (limit {} M)\n\n{}.\n",
        run.block,
        run.state,
        run.transactions,
        run.gas_used as f64 / 1e6,
        run.gas_limit / 1_000_000,
        run.mix
    );
    md.push_str("| stage | time per block | 95% interval | share of import | MGas/s | read | written | read calls | write calls | major faults |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for stage in Stage::ALL {
        let Some(m) = run.stage(stage) else { continue };
        let share = match (stage, import) {
            (Stage::Senders, _) => "(not in the import)".to_string(),
            (_, Some(total)) => format!("{:.1}%", 100.0 * m.ns.0 / total),
            _ => "–".into(),
        };
        let name =
            if stage == Stage::Import { format!("**{}**", stage_label(stage)) } else { stage_label(stage).to_string() };
        let _ = writeln!(
            md,
            "| {name} | {} | {} – {} | {share} | {:.0} | {} | {} | {:.0} | {:.0} | {:.1} |",
            format_time(m.ns.0),
            format_time(m.ns.1),
            format_time(m.ns.2),
            run.mgas_per_s(m),
            kib(m.io.read_bytes),
            kib(m.io.write_bytes),
            m.io.read_calls,
            m.io.write_calls,
            m.io.major_faults
        );
    }
    if let Some(total) = import {
        let sum = run.stages_sum();
        let _ = writeln!(
            md,
            "\nThe import's five stages add up to {} against {} measured whole: the stages leave out {} ({:+.1}%), the hand-offs between them (the decoded block moved into the executor, the bundle into the hashing) and the caches one stage warms for the next.",
            format_time(sum),
            format_time(total),
            format_time(total - sum),
            100.0 * (total - sum) / total
        );
    }
    if let (Some(seq), Some(par)) = (run.stage(Stage::Senders), run.stage(Stage::SendersRayon)) {
        let _ = writeln!(
            md,
            "\nSender recovery at block scale: rayon takes {} against {} one after another, {:.2}× faster.",
            format_time(par.ns.0),
            format_time(seq.ns.0),
            seq.ns.0 / par.ns.0
        );
    }
    md
}

/// The whole results file.
pub fn markdown(runs: &[BlockRun], machine: &Machine, command: &str, took: Duration, write: Option<&Path>) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# A block's import, stage by stage, {}\n", machine.date);
    let _ = writeln!(md, "Machine: {}.\nCommand: `{command}`.", machine.summary());
    let _ = writeln!(
        md,
        "Measured in {}. Each time is the Hodges–Lehmann estimate of 10 samples with its 95% interval; MGas/s is the block's gas over the stage's time; I/O is per block (`/proc/self/io` and page faults), with the commit's undo subtracted. What each stage includes and leaves out: docs/pipeline.md.\n",
        clock(took.as_secs_f64())
    );
    if let Some(path) = write {
        let svg = path.with_extension("svg");
        let _ = writeln!(
            md,
            "![each stage's time, stacked, against the import measured whole]({})\n",
            svg.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    md.push_str("| block | state | gas | import | MGas/s end to end | largest stage |\n|---|---|---:|---:|---:|---|\n");
    for run in runs {
        let Some(import) = run.stage(Stage::Import) else { continue };
        let largest = Stage::OF_IMPORT
            .iter()
            .filter_map(|s| run.stage(*s).map(|m| (*s, m.ns.0)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(s, ns)| format!("{} ({:.0}%)", stage_label(s), 100.0 * ns / import.ns.0))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} M | {} | {:.0} | {largest} |",
            run.block,
            run.state,
            run.gas_used as f64 / 1e6,
            format_time(import.ns.0),
            run.mgas_per_s(import)
        );
    }
    md.push('\n');
    for run in runs {
        md.push_str(&table(run));
        md.push('\n');
    }
    md
}

/// One horizontal stacked bar per block (the import's stages), with the import measured whole beneath it.
pub fn svg(runs: &[BlockRun], title: &str) -> Result<String, String> {
    use plotters::prelude::*;
    let palette = crate::measure::chart::PALETTE;
    let e = |x: &dyn std::fmt::Display| x.to_string();
    let rows = 2 * runs.len();
    let max_ms = runs
        .iter()
        .map(|r| r.stages_sum().max(r.stage(Stage::Import).map_or(0.0, |m| m.ns.2)) / 1e6)
        .fold(0.0, f64::max)
        * 1.3;
    let mut svg = String::new();
    {
        let height = 160 + 110 * runs.len() as u32;
        let root = SVGBackend::with_string(&mut svg, (1200, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let root = root.titled(title, ("sans-serif", 20)).map_err(|x| e(&x))?;
        let labels: Vec<String> =
            runs.iter().flat_map(|r| [format!("{} · stages", r.block), format!("{} · import", r.block)]).collect();
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..max_ms.max(1e-3), 0f64..rows as f64)
            .map_err(|x| e(&x))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .y_labels(rows * 2 + 1)
            .y_label_formatter(&|y| {
                let i = (rows as f64 - y - 0.5).round();
                if (rows as f64 - y - 0.5 - i).abs() < 0.01 && i >= 0.0 && (i as usize) < labels.len() {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .x_desc("milliseconds per block")
            .draw()
            .map_err(|x| e(&x))?;
        for (b, run) in runs.iter().enumerate() {
            let top = rows as f64 - 2.0 * b as f64;
            let (y0, y1) = (top - 0.85, top - 0.15);
            let mut x = 0.0;
            for (i, stage) in Stage::OF_IMPORT.iter().enumerate() {
                let Some(m) = run.stage(*stage) else { continue };
                let w = m.ns.0 / 1e6;
                let color = palette[i % palette.len()];
                let series = std::iter::once(Rectangle::new([(x, y0), (x + w, y1)], color.filled()));
                let drawn = chart.draw_series(series).map_err(|x| e(&x))?;
                if b == 0 {
                    drawn
                        .label(stage_label(*stage))
                        .legend(move |(lx, ly)| Rectangle::new([(lx, ly - 5), (lx + 14, ly + 5)], color.filled()));
                }
                if let Some(total) = run.stage(Stage::Import).map(|m| m.ns.0 / 1e6).filter(|_| w > max_ms * 0.04) {
                    let share = format!("{:.0}%", 100.0 * w / total);
                    let at = (x + w / 2.0 - max_ms * 0.01, (y0 + y1) / 2.0 + 0.1);
                    let label = Text::new(share, at, ("sans-serif", 13).into_font().color(&WHITE));
                    chart.draw_series(std::iter::once(label)).map_err(|x| e(&x))?;
                }
                x += w;
            }
            if let Some(m) = run.stage(Stage::Import) {
                let (y0, y1) = (top - 1.8, top - 1.2);
                let (lo, mid, hi) = (m.ns.1 / 1e6, m.ns.0 / 1e6, m.ns.2 / 1e6);
                chart
                    .draw_series(std::iter::once(Rectangle::new([(0.0, y0), (mid, y1)], BLACK.mix(0.55).filled())))
                    .map_err(|x| e(&x))?;
                let whisker = vec![(lo, (y0 + y1) / 2.0), (hi, (y0 + y1) / 2.0)];
                chart.draw_series(LineSeries::new(whisker, BLACK.stroke_width(2))).map_err(|x| e(&x))?;
                let text = format!("{} · {:.0} MGas/s", format_time(m.ns.0), run.mgas_per_s(m));
                chart
                    .draw_series(std::iter::once(Text::new(text, (hi + max_ms * 0.01, y1 + 0.05), ("sans-serif", 14))))
                    .map_err(|x| e(&x))?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(|x| e(&x))?;
        root.present().map_err(|x| e(&x))?;
    }
    Ok(svg)
}
