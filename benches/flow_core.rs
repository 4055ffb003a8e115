//! Criterion benchmark of the flow core (issue #12): the network simplex
//! of `solve::transport` against HiGHS's LP on the same transportation
//! problems, generated cities of Magdeburg size (2,200 pupils, 33 schools)
//! and Berlin size (35,000 pupils, 430 schools) at `--imbalance` 0 and 1
//! (seed 1).
//!
//! The problem of each case is the first pricing round of a
//! `previous_year` solve: the groups, their initial candidate arcs, every
//! school's seats at its largest class count, and an unassigned arc per
//! group at a price far above any way (as the solve has it). Both sides
//! solve it from scratch in every iteration: the flow core from its greedy
//! start tree, HiGHS by its simplex from its own start. The set-up checks
//! that both reach the same optimum (to the micrometre rounding of the
//! flow's costs).
//!
//! Run with `cargo bench --bench flow_core` (`-- magdeburg` for the smaller
//! cases only; the Berlin-size LPs take a while). Figures are stated in the
//! README; no test asserts a time.

use catchment::generate::{GenerateOptions, Preset};
use catchment::model::Instance;
use catchment::output::csv_bytes;
use catchment::scenario::load_scenario;
use catchment::solve::candidates::{Arc, SchoolTree, initial_arcs};
use catchment::solve::groups::{Group, build_groups};
use catchment::solve::transport::FlowCore;
use criterion::{Criterion, criterion_group, criterion_main};
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, constraint, highs, variable};
use std::time::Duration;

/// Metres of way a pupil left unassigned costs (far above any way in these cities).
const UNASSIGNED_PRICE_M: f64 = 1e6;

/// A generated city of `preset` at `imbalance`, written and read back as the command line would.
fn city(preset: Preset, imbalance: f64) -> Instance {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut options = GenerateOptions::new(1);
    options.imbalance = imbalance;
    let city = preset.generate(&options).expect("the preset's options are valid");
    std::fs::write(dir.path().join("schools.csv"), csv_bytes(&city.schools, "schools.csv").unwrap()).unwrap();
    std::fs::write(dir.path().join("pupils.csv"), csv_bytes(&city.pupils, "pupils.csv").unwrap()).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        catchment::generate::scenario_toml("bench", &options),
    )
    .unwrap();
    load_scenario(&dir.path().join("scenario.toml")).expect("generated scenario loads")
}

/// One transportation problem: the instance, its groups and candidate arcs per group.
struct Problem {
    instance: Instance,
    groups: Vec<Group>,
    arcs: Vec<Vec<Arc>>,
}

impl Problem {
    fn new(instance: Instance) -> Self {
        let groups = build_groups(&instance);
        let tree = SchoolTree::new(&instance);
        let arcs = (0..groups.len()).map(|g| initial_arcs(&instance, &groups, &tree, g)).collect();
        Problem { instance, groups, arcs }
    }

    /// `cap_s`: seats at the largest class count less the reserved seats.
    fn seats(&self, s: usize) -> f64 {
        let school = &self.instance.schools[s];
        let size = self.instance.rules.class_size_for(school.prev_migration_share);
        (size * school.max_classes) as f64 - school.reserved_seats as f64
    }

    /// The optimum by the flow core (metres, unassigned pupils priced in).
    fn by_flow_core(&self) -> f64 {
        let mut core = FlowCore::new(&self.instance, &self.groups, Some(UNASSIGNED_PRICE_M));
        core.add_arcs(&self.groups, &self.arcs);
        core.solve(&self.instance)
            .expect("feasible with the unassigned arcs")
            .duals
            .lp_value
    }

    /// The optimum of the same problem as an LP in HiGHS (metres).
    fn by_highs_lp(&self) -> f64 {
        let mut vars = ProblemVariables::new();
        let mut objective = Expression::default();
        let mut assigned: Vec<Expression> = vec![Expression::default(); self.groups.len()];
        let mut seated: Vec<Expression> = vec![Expression::default(); self.instance.schools.len()];
        for arc in self.arcs.iter().flatten() {
            let x = vars.add(variable().min(0.0));
            objective += arc.cost_m * x;
            assigned[arc.group] += x;
            seated[arc.school] += x;
        }
        for sum in assigned.iter_mut() {
            let u = vars.add(variable().min(0.0));
            objective += UNASSIGNED_PRICE_M * u;
            *sum += u;
        }
        let mut model = vars.minimise(objective.clone()).using(highs);
        model.set_verbose(false);
        for (g, sum) in assigned.into_iter().enumerate() {
            model = model.with(constraint!(sum == self.groups[g].size() as f64));
        }
        for (s, sum) in seated.into_iter().enumerate() {
            model = model.with(constraint!(sum <= self.seats(s)));
        }
        model.solve().expect("the LP solves").eval(&objective)
    }
}

fn bench_cases(c: &mut Criterion, name: &str, preset: Preset, seconds: u64) {
    for imbalance in [0.0, 1.0] {
        let problem = Problem::new(city(preset, imbalance));
        let (flow, lp) = (problem.by_flow_core(), problem.by_highs_lp());
        let pupils = problem.instance.pupils.len() as f64;
        assert!(
            (flow - lp).abs() <= 1e-6 * pupils + 1e-9 * lp.abs(),
            "{name} imbalance {imbalance}: flow core {flow} against HiGHS {lp}"
        );
        let arcs: usize = problem.arcs.iter().map(Vec::len).sum();
        let mut group = c.benchmark_group(format!("{name}_imbalance_{imbalance}"));
        group.sample_size(10).measurement_time(Duration::from_secs(seconds));
        eprintln!(
            "{name} imbalance {imbalance}: {} groups, {arcs} arcs, optimum {flow:.1} m",
            problem.groups.len()
        );
        group.bench_function("network_simplex", |b| b.iter(|| problem.by_flow_core()));
        group.bench_function("highs_lp", |b| b.iter(|| problem.by_highs_lp()));
        group.finish();
    }
}

fn magdeburg(c: &mut Criterion) {
    bench_cases(c, "magdeburg", Preset::Magdeburg, 10);
}

fn berlin(c: &mut Criterion) {
    bench_cases(c, "berlin", Preset::Berlin, 60);
}

criterion_group!(benches, magdeburg, berlin);
criterion_main!(benches);
