//! Calibrated floors as a picture: every benchmark's floor, widest first,
//! coloured by group, against the fixed floor they replace.

use std::collections::BTreeMap;

/// One bar per benchmark, widest floor at the left, and the fixed floor as a line.
pub fn svg(floors: &BTreeMap<String, f64>, fixed: f64, title: &str) -> Result<String, String> {
    use plotters::prelude::*;
    let palette = crate::measure::chart::PALETTE;
    let e = |x: &dyn std::fmt::Display| x.to_string();
    let group = |id: &str| id.split('/').next().unwrap_or(id).to_owned();
    let mut ranked: Vec<(&String, f64)> = floors.iter().map(|(id, f)| (id, f * 100.0)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let mut groups: Vec<String> = ranked.iter().map(|(id, _)| group(id)).collect();
    groups.sort();
    groups.dedup();
    let colour = |id: &str| palette[groups.iter().position(|g| *g == group(id)).unwrap_or(0) % palette.len()];
    let top = ranked.first().map_or(0.0, |r| r.1).max(fixed * 100.0) * 1.1;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (1000, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let root = root.titled(title, ("sans-serif", 18)).map_err(|x| e(&x))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..ranked.len().max(1) as f64, 0f64..top.max(0.1))
            .map_err(|x| e(&x))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("benchmarks, widest floor first")
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_desc("floor, %")
            .draw()
            .map_err(|x| e(&x))?;
        for g in &groups {
            let c = colour(g);
            let bars = ranked
                .iter()
                .enumerate()
                .filter(|(_, (id, _))| group(id) == *g)
                .map(|(i, (_, f))| Rectangle::new([(i as f64, 0.0), (i as f64 + 0.85, *f)], c.filled()));
            chart
                .draw_series(bars)
                .map_err(|x| e(&x))?
                .label(g.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], c.filled()));
        }
        let line = [(0.0, fixed * 100.0), (ranked.len() as f64, fixed * 100.0)];
        chart
            .draw_series(LineSeries::new(line, BLACK.stroke_width(2)))
            .map_err(|x| e(&x))?
            .label(format!("the fixed floor, {:.0}%", fixed * 100.0))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], BLACK.stroke_width(2)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_is_named_and_the_fixed_floor_drawn() {
        let floors = BTreeMap::from([("rlp/a".to_owned(), 0.01), ("evm/b".to_owned(), 0.03)]);
        let svg = svg(&floors, 0.02, "floors").unwrap();
        assert!(svg.contains("rlp") && svg.contains("evm"), "{svg}");
        assert!(svg.contains("the fixed floor, 2%"));
    }
}
