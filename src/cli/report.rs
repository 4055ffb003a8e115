//! `catchment report OUTDIR [--publish [--mask-below N]]`
//!
//! Writes `OUTDIR/report.html` for an existing result of `solve -o OUTDIR`:
//! the scenario named in its `summary.json` is loaded (every input must
//! still have the recorded SHA-256), the figures are recomputed by the
//! independent checker from `assignments.csv` and `schools.csv`, and the
//! report is added to the folder's `solve` set (see
//! [`catchment::report::html`]).

use super::Outcome;
use catchment::output::{OutputFile, OutputKind, add_to_set, recover_output_dir};
use catchment::report::from_result::result_report_data;
use catchment::report::html::{HtmlOptions, report_html_of};
use catchment::report::publish::{DEFAULT_MASK_BELOW, Mask};
use std::path::PathBuf;

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder `catchment solve -o` wrote.
    outdir: PathBuf,
    /// For publication: no homes, districts from homes on a grid, counts below --mask-below withheld.
    #[arg(long)]
    publish: bool,
    /// With --publish: counts from 1 to this minus 1 are withheld.
    #[arg(long, default_value_t = DEFAULT_MASK_BELOW, value_parser = clap::value_parser!(u32).range(1..), requires = "publish")]
    mask_below: u32,
}

/// Runs `report`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    recover_output_dir(&args.outdir)?;
    let (instance, data) = result_report_data(&args.outdir)?;
    let options = HtmlOptions {
        publish: args.publish.then_some(Mask { below: args.mask_below }),
        ..HtmlOptions::default()
    };
    let html = report_html_of(&instance, &data, &options).into_bytes();
    let file = match args.publish {
        true => OutputFile::shared("report.html", html),
        false => OutputFile::private("report.html", html),
    };
    let set = add_to_set(&args.outdir, &instance.sources, OutputKind::Solve, file)?;
    super::print_stdout(&super::written_lines(&set))?;
    Ok(Outcome::Done)
}
