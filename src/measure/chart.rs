//! What the suite's charts share: the categorical palette (matplotlib's
//! "tab10", which stays readable for colour-blind readers in its first five).

use plotters::style::RGBColor;

/// Ten categorical colours, in the order a chart hands them out.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
