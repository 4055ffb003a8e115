//! The `mix` section of `report.html`: how the assignment distributes
//! pupils with migration background (see [`super::segregation`]): the
//! indices, and each school's intake share against the city's. When
//! publishing, only the number of schools above the threshold is shown
//! (the indices and shares could give back small counts).

use super::html::escape;
use super::{SchoolRow, segregation};
use std::fmt::Write;

/// The section for the per-school table `rows` at the migration threshold `threshold`.
pub fn mix_section(rows: &[SchoolRow], threshold: f64, publish: bool) -> String {
    let mix = segregation(rows, threshold);
    let index = |v: Option<f64>| match (publish, v) {
        (true, _) => "masked".to_string(),
        (false, Some(v)) => format!("{v:.4}"),
        (false, None) => "-".to_string(),
    };
    let mut html = String::from("<section id=\"mix\"><h2>Mix</h2>\n<table id=\"mix-indices\">\n");
    for (label, value) in [
        ("city share", index(Some(mix.city_share))),
        ("dissimilarity D", index(mix.dissimilarity)),
        ("isolation", index(mix.isolation)),
        ("exposure", index(mix.exposure)),
        ("largest share deviation", index(Some(mix.max_share_deviation))),
        ("schools above the threshold", mix.schools_above_threshold.to_string()),
    ] {
        let _ = writeln!(html, "<tr><td>{label}</td><td>{value}</td></tr>");
    }
    html.push_str("</table>\n");
    if !publish {
        html.push_str("<table id=\"mix-schools\"><tr><th>school</th><th>pupils</th><th>share</th><th>against the city</th></tr>\n");
        for row in rows.iter().filter(|r| r.assigned > 0) {
            let share = f64::from(row.migrants) / f64::from(row.assigned);
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{share:.4}</td><td>{:+.4}</td></tr>",
                escape(&row.school_id),
                row.assigned,
                share - mix.city_share
            );
        }
        html.push_str("</table>\n");
    }
    html.push_str("</section>\n");
    html
}
