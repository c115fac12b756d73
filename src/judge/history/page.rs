//! The trend page: one static HTML file, no script and no CDN.
//!
//! At the top, what moved: the benchmarks whose rolling median left the
//! floor, largest first, the creep verdicts, skipped runs, toolchain changes
//! and links to the groups. Then one folded section per group (open where
//! something moved), each one SVG: a row per benchmark, a column per run.
//!
//! A row plots each run's median as its change from the benchmark's first
//! runs (the median of the first five, so one noisy run cannot shift the row), in percent, with the run's 95% interval as a whisker and the floor
//! as a band around the rolling median. Every row of a group shares one
//! scale, fixed by the group's largest rolling move and never narrower than
//! twice the floor, so a 1% wobble stays small and rows compare at a glance.
//! Percent rather than time from zero: a group's times span orders of
//! magnitude, and from zero a 5% step is a few pixels.
//!
//! The page must stay small (under 1 MB for 269 benchmarks over 100 runs),
//! so a row is three paths with integer coordinates, and the runs' links
//! and hover text are one column per run over the whole group, not one per point.

use std::fmt::Write as _;

use super::trend::{Group, Series, Trend};
use crate::judge::compare::Verdict;
use crate::measure::results::format_time;

const LABEL_WIDTH: i64 = 260;
const AXIS_HEIGHT: i64 = 92;
const ROW_HEIGHT: i64 = 56;
/// Pixels from a row's zero line to its scale's edge.
const HALF: f64 = 23.0;
/// Horizontal room for the runs; a run's column is this over the run count,
/// between 4 and 28 pixels.
const PLOT_WIDTH: i64 = 880;

const STYLE: &str = "body{font:14px/1.4 sans-serif;margin:1.5em;max-width:1300px}\
table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}tr:nth-child(even){background:#f4f4f4}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
summary{font-size:1.15em;font-weight:bold;cursor:pointer;margin:.6em 0}\
svg text{font:11px sans-serif}svg .v{fill:#555}svg .a{fill:#333}\
.b{fill:none;stroke:#2ca02c;stroke-opacity:.2;stroke-linejoin:round;stroke-linecap:round}\
.w{stroke:#777;fill:none}.m{fill:none;stroke:#1f77b4;stroke-width:1.2;marker:url(#d)}\
.r .m{stroke:#d62728;marker:url(#dr)}.r .l{fill:#d62728;font-weight:bold}\
.z{stroke:#bbb;stroke-dasharray:2 2}.g{stroke:#eee}.t{stroke:#9467bd;stroke-dasharray:4 3}.tl{fill:#9467bd}\
.s{fill:url(#hatch)}.c{fill:transparent}.c:hover{fill:rgba(0,0,0,.07)}\
.up{color:#b00}.down{color:#070}.k{color:#666}";

const DEFS: &str = "<svg width=\"0\" height=\"0\" style=\"position:absolute\"><defs>\
<marker id=\"d\" viewBox=\"0 0 4 4\" refX=\"2\" refY=\"2\" markerWidth=\"4\" markerHeight=\"4\" markerUnits=\"userSpaceOnUse\">\
<circle cx=\"2\" cy=\"2\" r=\"2\" fill=\"#1f77b4\"/></marker>\
<marker id=\"dr\" viewBox=\"0 0 4 4\" refX=\"2\" refY=\"2\" markerWidth=\"4\" markerHeight=\"4\" markerUnits=\"userSpaceOnUse\">\
<circle cx=\"2\" cy=\"2\" r=\"2\" fill=\"#d62728\"/></marker>\
<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#f2f2f2\"/><path d=\"M0 0V6\" stroke=\"#ccc\" stroke-width=\"2\"/></pattern>\
</defs></svg>";

/// What the page needs besides the trend.
pub struct PageOptions<'a> {
    /// Prefix of a commit's web page, to which the full SHA is appended
    /// (`https://github.com/OWNER/REPO/commit/`); without it runs are not links.
    pub commit_url: Option<&'a str>,
    /// The machine of the latest run, for the heading.
    pub machine: &'a str,
}

pub fn html(trend: &Trend, options: &PageOptions) -> String {
    let mut page = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>ethbench history of main</title>\
         <style>{STYLE}</style>{DEFS}\n<h1>ethbench history of main</h1>\n"
    );
    let groups = trend.groups();
    let movers = trend.movers();
    heading(&mut page, trend, options);
    moved_most(&mut page, trend, &movers);
    creep(&mut page, trend);
    skipped_and_toolchains(&mut page, trend);
    group_links(&mut page, trend, &groups);
    for group in &groups {
        let open = group.series.iter().any(|s| trend.moved(s) || crept(trend, &s.id));
        group_section(&mut page, trend, group, open, options);
    }
    let _ = writeln!(
        page,
        "<footer><p class=\"k\">Each row: a benchmark's median time per run as its change from its first runs \
         (the median of its first {window}; dots), the run's 95% interval of the median (whiskers; order statistics of its samples), and a band of \
         ±{floor} around the median of its last {window} runs, the floor below which the creep check calls no \
         change. Rows of a group share one scale; a point beyond it is drawn at the edge. Hover over a run's \
         column for its commit{links}. Made by <code>ethbench history render</code>.</p></footer>",
        floor = percent_unsigned(trend.floor),
        window = trend.creep.window.max(1),
        links = if options.commit_url.is_some() { "; click it to open the commit" } else { "" },
    );
    page
}

fn heading(page: &mut String, trend: &Trend, options: &PageOptions) {
    let runs = &trend.runs;
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else { return };
    let skipped = runs.len() - trend.measured();
    let _ = writeln!(
        page,
        "<p>{} runs of main ({} measured{}), {} ({}) to {} ({}); {} benchmarks; latest on {}.</p>",
        runs.len(),
        trend.measured(),
        if skipped > 0 { format!(", {skipped} skipped") } else { String::new() },
        commit_link(first.short_commit(), &first.commit, options),
        escape(&first.date),
        commit_link(last.short_commit(), &last.commit, options),
        escape(&last.date),
        trend.series.len(),
        escape(options.machine),
    );
}

fn moved_most(page: &mut String, trend: &Trend, movers: &[&Series]) {
    let _ = writeln!(
        page,
        "<h2>Moved most</h2><p>The last {w} runs against each benchmark's first {w}, by the comparator's \
         rule: {moved} of {all} moved beyond ±{floor} and beyond their own noise. The change is the median \
         of the last {w} against that of the first {w}.</p>",
        w = trend.creep.window.max(1),
        moved = movers.len(),
        all = trend.series.len(),
        floor = percent_unsigned(trend.floor)
    );
    if movers.is_empty() {
        return;
    }
    page.push_str(
        "<table><tr><th>benchmark</th><th>change</th><th>trend</th><th>first</th><th>latest</th><th>creep check</th></tr>\n",
    );
    for s in movers.iter().take(15) {
        let (first, latest) = (s.first().map_or(0.0, |p| p.median_ns), s.latest().map_or(0.0, |p| p.median_ns));
        let _ = writeln!(
            page,
            "<tr><td><a href=\"#{anchor}\">{id}</a></td><td class=\"n {dir}\">{change}</td><td>{spark}</td>\
             <td class=\"n\">{first}</td><td class=\"n\">{latest}</td><td>{verdict}</td></tr>",
            anchor = anchor(&s.id),
            id = escape(&s.id),
            dir = if s.moved > 0.0 { "up" } else { "down" },
            change = percent(s.moved),
            spark = sparkline(s, trend),
            first = format_time(first),
            latest = format_time(latest),
            verdict = creep_verdict(trend, &s.id),
        );
    }
    page.push_str("</table>\n");
    if movers.len() > 15 {
        let _ = writeln!(page, "<p class=\"k\">and {} more, marked in their groups.</p>", movers.len() - 15);
    }
}

fn creep(page: &mut String, trend: &Trend) {
    let c = &trend.creep;
    page.push_str("<h2>Creep check</h2>");
    if !c.judged() {
        let _ = writeln!(
            page,
            "<p>Needs {} measured runs (the last {} against the {} that ended {} runs earlier); the history has {}.</p>",
            c.window + c.lag,
            c.window,
            c.window,
            c.lag,
            trend.measured()
        );
        return;
    }
    let crept = c.crept();
    let count = |v: Verdict| c.comparisons.iter().filter(|x| x.verdict == v).count();
    let _ = write!(
        page,
        "<p>The last {w} runs against the {w} that ended {lag} runs earlier, by the comparator's rule with a \
         ±{floor} floor: <b>{} crept</b>, {} improved, {} unchanged.",
        crept.len(),
        count(Verdict::Improved),
        count(Verdict::Unchanged),
        w = c.window,
        lag = c.lag,
        floor = percent_unsigned(trend.floor),
    );
    if let Some((before, after)) = &c.toolchain_change {
        let _ = write!(
            page,
            " The compiler changed between the two sides ({} → {}), so {} slower beyond the floor are shown as \
             the toolchain's, not called creep.",
            escape(before),
            escape(after),
            count(Verdict::Regressed)
        );
    }
    page.push_str("</p>\n");
    if !crept.is_empty() {
        page.push_str("<ul>");
        for x in crept {
            let _ = write!(
                page,
                "<li><a href=\"#{}\">{}</a>: {}</li>",
                anchor(&x.id),
                escape(&x.id),
                creep_verdict(trend, &x.id)
            );
        }
        page.push_str("</ul>\n");
    }
}

fn skipped_and_toolchains(page: &mut String, trend: &Trend) {
    let skipped: Vec<_> = trend.runs.iter().filter(|r| r.skipped.is_some()).collect();
    if !skipped.is_empty() {
        page.push_str("<h2>Skipped runs</h2><ul>");
        for r in skipped {
            let _ = write!(
                page,
                "<li><code>{}</code> ({}): {}</li>",
                escape(r.short_commit()),
                escape(&r.date),
                escape(r.skipped.as_deref().unwrap_or_default())
            );
        }
        page.push_str("</ul>\n");
    }
    let changes = trend.toolchain_changes();
    if !changes.is_empty() {
        page.push_str("<h2>Toolchain changes</h2><ul>");
        for i in changes {
            let before = trend.runs[..i].iter().rev().find(|r| r.skipped.is_none()).map_or("", |r| r.rustc.as_str());
            let r = &trend.runs[i];
            let _ = write!(
                page,
                "<li>at <code>{}</code> ({}): {} → {}</li>",
                escape(r.short_commit()),
                escape(&r.date),
                escape(before),
                escape(&r.rustc)
            );
        }
        page.push_str("</ul>\n");
    }
}

fn group_links(page: &mut String, trend: &Trend, groups: &[Group]) {
    page.push_str("<h2>Groups</h2><p>");
    let links: Vec<String> = groups
        .iter()
        .map(|g| {
            let moved = g.series.iter().filter(|s| trend.moved(s)).count();
            let note = if moved > 0 { format!(", <b>{moved} moved</b>") } else { String::new() };
            format!("<a href=\"#g-{0}\">{0}</a> ({1}{note})", escape(&g.name), g.series.len())
        })
        .collect();
    page.push_str(&links.join(" · "));
    page.push_str("</p>\n");
}

/// The group's common scale: its largest rolling move with a quarter to
/// spare, at least twice the floor, rounded up to 1, 2 or 5 times a power of ten.
fn scale(group: &Group, floor: f64) -> f64 {
    let wanted = (group.largest_move * 1.25).max(2.0 * floor).max(0.005);
    let mut step = 10f64.powf(wanted.log10().floor());
    for factor in [1.0, 2.0, 5.0, 10.0] {
        if step * factor >= wanted - 1e-12 {
            step *= factor;
            break;
        }
    }
    step
}

/// Where a run's column and its rows' points go.
struct Geometry {
    column: i64,
    scale: f64,
}

impl Geometry {
    fn x(&self, run: usize) -> i64 {
        LABEL_WIDTH + run as i64 * self.column + self.column / 2
    }

    /// A change's height in a row whose zero line is at `HALF + 5`.
    fn y(&self, change: f64) -> i64 {
        let y = HALF + 5.0 - change / self.scale * HALF;
        y.clamp(5.0, 2.0 * HALF + 5.0).round() as i64
    }
}

fn group_section(page: &mut String, trend: &Trend, group: &Group, open: bool, options: &PageOptions) {
    let runs = trend.runs.len();
    let geometry =
        Geometry { column: (PLOT_WIDTH / runs.max(1) as i64).clamp(4, 28), scale: scale(group, trend.floor) };
    let plot_right = LABEL_WIDTH + runs as i64 * geometry.column;
    let (width, height) = (plot_right + 60, AXIS_HEIGHT + group.series.len() as i64 * ROW_HEIGHT);
    let moved = group.series.iter().filter(|s| trend.moved(s)).count();
    let _ = writeln!(
        page,
        "<details id=\"g-{name}\"{open}><summary>{name}: {n} benchmarks{moved}; scale ±{scale}</summary>\
         <svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
        name = escape(&group.name),
        open = if open { " open" } else { "" },
        n = group.series.len(),
        moved = if moved > 0 {
            format!(", {moved} moved beyond ±{}", percent_unsigned(trend.floor))
        } else {
            String::new()
        },
        scale = percent_unsigned(geometry.scale),
    );
    // Skipped runs first, under everything: a hatched column.
    for (i, _) in trend.runs.iter().enumerate().filter(|(_, r)| r.skipped.is_some()) {
        let _ = write!(
            page,
            "<rect class=\"s\" x=\"{}\" y=\"{AXIS_HEIGHT}\" width=\"{}\" height=\"{}\"/>",
            geometry.x(i) - geometry.column / 2,
            geometry.column,
            height - AXIS_HEIGHT,
        );
    }
    axis(page, trend, &geometry, height);
    for (row, series) in group.series.iter().enumerate() {
        let top = AXIS_HEIGHT + row as i64 * ROW_HEIGHT;
        let crept = crept(trend, &series.id);
        let latest = series.latest().map_or(0.0, |p| p.median_ns);
        let name = series.id.split_once('/').map_or(series.id.as_str(), |(_, rest)| rest);
        let _ = write!(
            page,
            "<g id=\"{anchor}\" transform=\"translate(0,{top})\"{class}><path class=\"g\" d=\"M0 {bottom}H{right}\"/>\
             <path class=\"z\" d=\"M{LABEL_WIDTH} {zero}H{plot_right}\"/>\
             <text class=\"l\" x=\"4\" y=\"22\">{name}<title>{id}</title></text>\
             <text class=\"v\" x=\"4\" y=\"38\">{latest}, {moved}{verdict}</text>{paths}</g>",
            anchor = anchor(&series.id),
            class = if crept { " class=\"r\"" } else { "" },
            bottom = ROW_HEIGHT,
            right = width,
            zero = geometry.y(0.0),
            name = escape(name),
            id = escape(&series.id),
            latest = format_time(latest),
            moved = percent(series.moved),
            verdict = if crept { ", crept" } else { "" },
            paths = row_paths(series, &geometry, trend.floor),
        );
    }
    columns(page, trend, &geometry, height, options);
    page.push_str("</svg></details>\n");
}

/// Commit labels (every few runs, so they do not overlap, and always the
/// last), the scale, and the toolchain changes.
fn axis(page: &mut String, trend: &Trend, geometry: &Geometry, height: i64) {
    let runs = trend.runs.len();
    let every = (16 + geometry.column - 1) / geometry.column;
    for (i, run) in trend.runs.iter().enumerate() {
        if i % every as usize != 0 && i + 1 != runs {
            continue;
        }
        if i + 1 == runs && i % every as usize != 0 && (i % every as usize) < every as usize / 2 {
            continue; // too close to the previous label
        }
        let date = run.date.get(5..).unwrap_or(&run.date);
        let _ = write!(
            page,
            "<text class=\"a\" transform=\"translate({},{}) rotate(-55)\">{} {}</text>",
            geometry.x(i) + 3,
            AXIS_HEIGHT - 4,
            escape(run.short_commit()),
            escape(date)
        );
    }
    for i in trend.toolchain_changes() {
        let x = geometry.x(i) - geometry.column / 2;
        let _ = write!(
            page,
            "<path class=\"t\" d=\"M{x} 14V{height}\"/><text class=\"tl\" x=\"{}\" y=\"11\">{}</text>",
            x + 2,
            escape(&trend.runs[i].rustc)
        );
    }
    let _ = write!(
        page,
        "<text class=\"v\" x=\"{x}\" y=\"{top}\">+{s}</text><text class=\"v\" x=\"{x}\" y=\"{bottom}\">−{s}</text>",
        x = LABEL_WIDTH + trend.runs.len() as i64 * geometry.column + 4,
        top = AXIS_HEIGHT + 9,
        bottom = AXIS_HEIGHT + 2 * HALF as i64 + 9,
        s = percent_unsigned(geometry.scale),
    );
}

/// One hover column per run over the whole group: its commit, date,
/// compiler, and why it was skipped; a link to the commit where one is known.
fn columns(page: &mut String, trend: &Trend, geometry: &Geometry, height: i64, options: &PageOptions) {
    for (i, run) in trend.runs.iter().enumerate() {
        let what = match &run.skipped {
            Some(reason) => format!("skipped: {reason}"),
            None => run.rustc.clone(),
        };
        let rect = format!(
            "<rect class=\"c\" x=\"{}\" y=\"0\" width=\"{}\" height=\"{height}\"><title>{} {} · {}</title></rect>",
            geometry.x(i) - geometry.column / 2,
            geometry.column,
            escape(run.short_commit()),
            escape(&run.date),
            escape(&what)
        );
        match options.commit_url {
            Some(url) => {
                let _ = write!(page, "<a href=\"{}{}\">{rect}</a>", escape(url), escape(link_commit(&run.commit)));
            }
            None => page.push_str(&rect),
        }
    }
}

/// A row's band, whiskers and medians as three paths, broken at runs
/// without a point. Coordinates are relative to the previous point: the
/// page is mostly these paths, and relative steps are a few digits.
fn row_paths(series: &Series, geometry: &Geometry, floor: f64) -> String {
    let (mut band, mut whiskers, mut medians) = (Polyline::default(), String::new(), Polyline::default());
    let mut foot: Option<(i64, i64)> = None;
    for (i, point) in series.points.iter().enumerate() {
        let x = geometry.x(i);
        match (point, series.rolling[i]) {
            (Some(p), Some(rolling)) => {
                band.to(x, geometry.y(rolling));
                medians.to(x, geometry.y(p.change));
                let (top, bottom) = (geometry.y(p.high), geometry.y(p.low));
                if bottom > top {
                    let _ = match foot {
                        Some((fx, fy)) => write!(whiskers, "m{} {}v{}", x - fx, top - fy, bottom - top),
                        None => write!(whiskers, "M{x} {top}v{}", bottom - top),
                    };
                    foot = Some((x, bottom));
                }
            }
            _ => {
                band.gap();
                medians.gap();
            }
        }
    }
    let band_width = (2.0 * floor / geometry.scale * HALF).max(1.0);
    format!(
        "<path class=\"b\" stroke-width=\"{band_width:.0}\" d=\"{}\"/><path class=\"w\" d=\"{whiskers}\"/>\
         <path class=\"m\" d=\"{}\"/>",
        band.path, medians.path
    )
}

/// An SVG path of line segments, in relative steps, that a gap breaks.
#[derive(Default)]
struct Polyline {
    path: String,
    last: (i64, i64),
    pen: Pen,
}

#[derive(Default, PartialEq)]
enum Pen {
    #[default]
    Up,
    /// After a move: the next point starts the relative `l` steps.
    Moved,
    /// After an `l`: the next point is one more implicit step.
    Drawing,
}

impl Polyline {
    fn to(&mut self, x: i64, y: i64) {
        let (dx, dy) = (x - self.last.0, y - self.last.1);
        let _ = match self.pen {
            Pen::Up => write!(self.path, "M{x} {y}"),
            Pen::Moved => write!(self.path, "l{dx} {dy}"),
            Pen::Drawing => write!(self.path, " {dx} {dy}"),
        };
        self.pen = if self.pen == Pen::Up { Pen::Moved } else { Pen::Drawing };
        self.last = (x, y);
    }

    fn gap(&mut self) {
        self.pen = Pen::Up;
    }
}

/// A small inline chart of a mover's row for the summary table.
fn sparkline(series: &Series, trend: &Trend) -> String {
    let largest = series.rolling.iter().flatten().fold(0.0f64, |m, c| m.max(c.abs()));
    let group = Group { name: String::new(), series: vec![series], largest_move: largest };
    let geometry =
        Geometry { column: (240 / trend.runs.len().max(1) as i64).max(2), scale: scale(&group, trend.floor) };
    let width = trend.runs.len() as i64 * geometry.column;
    format!(
        "<svg width=\"{width}\" height=\"36\" viewBox=\"{LABEL_WIDTH} 3 {width} {height}\"><path class=\"z\" d=\"M{LABEL_WIDTH} {}H{}\"/>{}</svg>",
        geometry.y(0.0),
        LABEL_WIDTH + width,
        row_paths(series, &geometry, trend.floor),
        height = 2 * HALF as i64 + 4,
    )
}

fn crept(trend: &Trend, id: &str) -> bool {
    trend.creep.crept().iter().any(|c| c.id == id)
}

fn creep_verdict(trend: &Trend, id: &str) -> String {
    match trend.creep.describe(id) {
        None => "–".to_owned(),
        Some((true, words)) => format!("<b>{words}</b>"),
        Some((false, words)) => words,
    }
}

/// A commit as a link names it: twelve hex digits, which GitHub resolves,
/// rather than forty on every run of every group.
fn link_commit(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

fn commit_link(label: &str, commit: &str, options: &PageOptions) -> String {
    match options.commit_url {
        Some(url) => format!("<a href=\"{}{}\"><code>{}</code></a>", escape(url), escape(commit), escape(label)),
        None => format!("<code>{}</code>", escape(label)),
    }
}

fn anchor(id: &str) -> String {
    format!("b-{}", escape(id))
}

fn percent(change: f64) -> String {
    format!("{:+.1}%", change * 100.0)
}

fn percent_unsigned(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// Text for HTML and SVG: ids and reasons are data, never markup.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
