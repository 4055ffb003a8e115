//! The column registry of the formulation says which HiGHS column is which:
//! the costs, bounds and integrality HiGHS holds for each column are those
//! of the variable the registry names there, for every kind of model (intake
//! and previous-year basis, elastic slacks, unassigned pupils, fixed regimes),
//! and a warm start written through the registry is a solution of the model
//! it is written for.

mod common;

use catchment::model::{Instance, MigrationBasis, Rules, School};
use catchment::solve::Deadline;
use catchment::solve::candidates::{Arc, all_arcs};
use catchment::solve::formulation::{
    Column, Formulation, Regime, SlackKind, Slacks, build, build_elastic, build_lp_with_unassigned, build_with_regimes,
};
use catchment::solve::groups::{Group, build_groups};
use catchment::solve::highs_run::{Basis, LpProbe, RunSettings, RunStatus, run, run_fixed};
use catchment::solve::warm_start::{ColumnMap, Incumbent, SolvedLp, carry_basis};
use common::{assert_close, dist, instance, pupil, school};

/// A school on the meridian with a class range.
fn ranged_school(id: &str, pos: f64, min_classes: u32, max_classes: u32) -> School {
    School {
        min_classes,
        max_classes,
        ..school(id, pos, max_classes, 0.1)
    }
}

/// Two schools, A at 0 (1 to 2 classes) and B at 50 (0 to 3 classes), and
/// five pupils: p1 and p2 share a home at 10 (one group of 2), p3 at 30,
/// p4 (migrant) at 45, p5 at 75. Every way differs, so every arc column has
/// its own cost.
fn city(basis: MigrationBasis) -> Instance {
    let rules = Rules {
        min_class_size: Some(1),
        ..common::rules(3, 2, basis)
    };
    let pupils = vec![
        pupil("p1", 10.0, false),
        pupil("p2", 10.0, false),
        pupil("p3", 30.0, false),
        pupil("p4", 45.0, true),
        pupil("p5", 75.0, false),
    ];
    instance(vec![ranged_school("A", 0.0, 1, 2), ranged_school("B", 50.0, 0, 3)], pupils, rules)
}

/// Groups of the instance and every allowed arc.
fn groups_and_arcs(instance: &Instance) -> (Vec<Group>, Vec<Arc>) {
    let groups = build_groups(instance);
    let arcs = (0..groups.len()).flat_map(|g| all_arcs(instance, &groups, g)).collect();
    (groups, arcs)
}

/// What HiGHS holds for one column.
#[derive(Debug, Clone, Copy, PartialEq)]
struct HighsColumn {
    cost: f64,
    lower: f64,
    upper: f64,
    integer: bool,
}

/// Hands the model to HiGHS and reads back cost, bounds and integrality of every column.
fn highs_columns(formulation: Formulation) -> Vec<HighsColumn> {
    let mut model = formulation.problem.try_into_inner().expect("HiGHS takes the model");
    let ptr = model.as_mut_ptr();
    // SAFETY: `ptr` is a live HiGHS instance owned by `model`; every buffer
    // is sized by HiGHS's own counts and outlives the calls.
    unsafe {
        let n = highs_sys::Highs_getNumCol(ptr);
        let nz = highs_sys::Highs_getNumNz(ptr).max(1) as usize;
        let count = n as usize;
        let (mut costs, mut lower, mut upper) = (vec![0.0; count], vec![0.0; count], vec![0.0; count]);
        let (mut got, mut got_nz) = (0, 0);
        let mut start = vec![0; count + 1];
        let mut index = vec![0; nz];
        let mut value = vec![0.0; nz];
        let status = highs_sys::Highs_getColsByRange(
            ptr,
            0,
            n - 1,
            &mut got,
            costs.as_mut_ptr(),
            lower.as_mut_ptr(),
            upper.as_mut_ptr(),
            &mut got_nz,
            start.as_mut_ptr(),
            index.as_mut_ptr(),
            value.as_mut_ptr(),
        );
        assert_ne!(status, highs_sys::STATUS_ERROR);
        assert_eq!(got, n);
        (0..count)
            .map(|c| {
                let mut integrality = 0;
                highs_sys::Highs_getColIntegrality(ptr, c as highs_sys::HighsInt, &mut integrality);
                HighsColumn {
                    cost: costs[c],
                    lower: lower[c],
                    upper: upper[c],
                    integer: integrality == 1,
                }
            })
            .collect()
    }
}

/// The way of an arc by the test's own haversine, per unit of its variable.
fn way(instance: &Instance, groups: &[Group], arc: &Arc) -> f64 {
    let group = &groups[arc.group];
    let home = &instance.pupils[group.pupils[0]].location;
    dist(home, &instance.schools[arc.school].location)
}

#[test]
fn elastic_intake_columns_are_arcs_then_classes_then_slacks_in_highs_order() {
    let inst = city(MigrationBasis::Intake);
    let (groups, arcs) = groups_and_arcs(&inst);
    assert_eq!(
        (groups.len(), arcs.len()),
        (4, 8),
        "p1 and p2 merged; every pupil may go to A and B"
    );
    let all = Slacks {
        classes: true,
        seats: true,
        class_minimum: true,
    };
    let model = build_elastic(&inst, &groups, arcs.clone(), all);
    let columns = model.columns.clone();
    // 8 arcs x 2 regimes, 2 schools x (kf, kr, y), 2 schools x 4 slacks.
    assert_eq!(columns.len(), 16 + 6 + 8);
    let mut expected = Vec::new();
    for arc in 0..8 {
        expected.extend([Regime::Full, Regime::Reduced].map(|regime| Column::Arc { arc, regime }));
    }
    for school in 0..2 {
        expected.extend([
            Column::Classes {
                school,
                regime: Regime::Full,
            },
            Column::Classes {
                school,
                regime: Regime::Reduced,
            },
            Column::RegimeFlag(school),
        ]);
    }
    for kind in [
        SlackKind::Classes,
        SlackKind::Seats(Regime::Full),
        SlackKind::ClassMinimum,
        SlackKind::Seats(Regime::Reduced),
    ] {
        expected.extend((0..2).map(|school| Column::Slack { kind, school }));
    }
    assert_eq!(columns.iter().map(|(_, role)| role).collect::<Vec<_>>(), expected);

    let highs = highs_columns(model);
    assert_eq!(highs.len(), columns.len());
    // Up to ceil(5 pupils / 2 per reduced class) = 3 extra classes per school.
    let most_classes = [2.0 + 3.0, 3.0 + 3.0];
    for (c, role) in columns.iter() {
        let got = highs[c];
        let want = match role {
            Column::Arc { arc, .. } => HighsColumn {
                cost: way(&inst, &groups, &arcs[arc]),
                lower: 0.0,
                upper: groups[arcs[arc].group].pupils.len() as f64,
                integer: true,
            },
            Column::Classes { school, .. } => HighsColumn {
                cost: 0.0,
                lower: 0.0,
                upper: most_classes[school],
                integer: true,
            },
            Column::RegimeFlag(_) => HighsColumn {
                cost: 0.0,
                lower: 0.0,
                upper: 1.0,
                integer: true,
            },
            Column::Slack { .. } => HighsColumn {
                cost: 1.0,
                lower: 0.0,
                upper: f64::INFINITY,
                integer: true,
            },
            Column::Unassigned(_) => panic!("no unassigned pupils in an elastic model"),
        };
        assert_close(got.cost, want.cost, 1e-6, &format!("cost of column {c} ({role:?})"));
        assert_eq!(
            (got.lower, got.upper, got.integer),
            (want.lower, want.upper, want.integer),
            "column {c} ({role:?})"
        );
    }
    // The lookups agree with the roles.
    for arc in 0..8 {
        assert_eq!(columns.arc(arc, Regime::Full), Some(2 * arc));
        assert_eq!(columns.arc(arc, Regime::Reduced), Some(2 * arc + 1));
    }
    assert_eq!(columns.class_counts(1).collect::<Vec<_>>(), vec![19, 20]);
    assert_eq!(columns.regime_flag(1), Some(21));
    let seat_slacks: Vec<usize> = columns
        .slacks()
        .filter(|s| matches!(s.1, SlackKind::Seats(_)))
        .map(|s| s.0)
        .collect();
    assert_eq!(seat_slacks, vec![24, 25, 28, 29]);
}

#[test]
fn lp_with_unassigned_previous_year_columns_match_highs() {
    let inst = city(MigrationBasis::PreviousYear);
    let (groups, arcs) = groups_and_arcs(&inst);
    let model = build_lp_with_unassigned(&inst, &groups, arcs.clone(), 1_000.0);
    let columns = model.columns.clone();
    // 8 arcs, k_A and k_B, 4 unassigned groups.
    assert_eq!(columns.len(), 8 + 2 + 4);
    assert_eq!(columns.unassigned().collect::<Vec<_>>(), vec![10, 11, 12, 13]);
    assert_eq!(columns.regime_flag(0), None);
    assert_eq!(columns.arc(3, Regime::Reduced), None);
    let highs = highs_columns(model);
    let class_range = [(1.0, 2.0), (0.0, 3.0)];
    for (c, role) in columns.iter() {
        let got = highs[c];
        let (cost, lower, upper) = match role {
            Column::Arc { arc, regime } => {
                assert_eq!(regime, Regime::Full);
                (way(&inst, &groups, &arcs[arc]), 0.0, groups[arcs[arc].group].pupils.len() as f64)
            }
            Column::Classes { school, regime } => {
                assert_eq!((c, regime), (8 + school, Regime::Full));
                (0.0, class_range[school].0, class_range[school].1)
            }
            Column::Unassigned(g) => (1_000.0, 0.0, groups[g].pupils.len() as f64),
            other => panic!("unexpected column {other:?}"),
        };
        assert_close(got.cost, cost, 1e-6, &format!("cost of column {c} ({role:?})"));
        assert_eq!(
            (got.lower, got.upper, got.integer),
            (lower, upper, false),
            "column {c} ({role:?}): relaxed"
        );
    }
}

#[test]
fn fixed_regimes_bound_the_flag_column_the_registry_names() {
    let inst = city(MigrationBasis::Intake);
    let (groups, arcs) = groups_and_arcs(&inst);
    let model = build_with_regimes(&inst, &groups, arcs, &[None, Some(Regime::Reduced)]);
    let columns = model.columns.clone();
    let highs = highs_columns(model);
    let flag = |s| highs[columns.regime_flag(s).unwrap()];
    assert_eq!((flag(0).lower, flag(0).upper), (0.0, 1.0));
    assert_eq!((flag(1).lower, flag(1).upper), (1.0, 1.0));
    // No extra classes outside elastic models: kf and kr up to max_classes.
    let uppers: Vec<f64> = (0..2)
        .flat_map(|s| columns.class_counts(s).collect::<Vec<_>>())
        .map(|c| highs[c].upper)
        .collect();
    assert_eq!(uppers, vec![2.0, 2.0, 3.0, 3.0]);
}

/// Solves the integer program over `arcs`; returns its columns and total way.
fn solve_columns(inst: &Instance, groups: &[Group], arcs: Vec<Arc>) -> (ColumnMap, Vec<f64>, f64) {
    let model = build(inst, groups, arcs, false);
    let map = ColumnMap::of(&model);
    let result = run(model.problem, &settings(), true).unwrap();
    assert_eq!(result.status, RunStatus::Optimal);
    (map, result.columns.unwrap(), result.objective.unwrap())
}

fn settings() -> RunSettings {
    RunSettings {
        deadline: Deadline::after(Some(60.0)),
        mip_gap: 0.0,
        threads: 1,
        node_limit: None,
        cutoff: None,
        primal_heuristics: true,
    }
}

#[test]
fn a_start_written_through_the_registry_is_a_solution_of_the_wider_model() {
    for basis in [MigrationBasis::PreviousYear, MigrationBasis::Intake] {
        let inst = city(basis);
        let (groups, arcs) = groups_and_arcs(&inst);
        // The narrow model: each group's nearest school only (p1/p2 to A; p3, p4, p5 to B).
        let nearest = nearest_arcs(&arcs, groups.len());
        let (narrow_map, narrow, objective) = solve_columns(&inst, &groups, nearest);
        let by_hand = common::steps_m(2.0 * 10.0 + 20.0 + 5.0 + 25.0);
        assert_close(objective, by_hand, 1e-6, "narrow model: everyone at the nearest school");
        let start = Incumbent::new(&narrow_map, &narrow, objective);
        // The wide model has every arc, in another order: the start must land
        // on the same (group, school) columns and the same class columns.
        let mut wide_arcs = arcs.clone();
        wide_arcs.reverse();
        let wide = build(&inst, &groups, wide_arcs, false);
        let wide_map = ColumnMap::of(&wide);
        let values = start.columns_for(&wide_map);
        assert_eq!(values.len(), wide.columns.len());
        let fixed: Vec<(usize, f64)> = values.iter().copied().enumerate().collect();
        let checked = run_fixed(wide.problem, &settings(), true, None, &fixed).unwrap();
        assert_eq!(
            checked.status,
            RunStatus::Optimal,
            "{basis:?}: the start is feasible in the wide model"
        );
        assert_close(checked.objective.unwrap(), objective, 1e-6, "same total way");
    }
}

/// The cutoff of a run (HiGHS's `objective_bound`, used by the regime
/// search's leaves): above the optimum the run finds the optimum; below it
/// the run still ends proven (optimal or infeasible, never out of work) and
/// hands back nothing better than the optimum, which is what lets a leaf
/// count as solved with "nothing better than the best".
#[test]
fn a_cutoff_below_the_optimum_ends_proven_without_a_better_solution() {
    for basis in [MigrationBasis::PreviousYear, MigrationBasis::Intake] {
        let inst = city(basis);
        let (groups, arcs) = groups_and_arcs(&inst);
        let (_, _, optimum) = solve_columns(&inst, &groups, arcs.clone());
        let with_cutoff = |cutoff: f64| {
            let model = build(&inst, &groups, arcs.clone(), false);
            let settings = RunSettings {
                cutoff: Some(cutoff),
                ..settings()
            };
            run(model.problem, &settings, true).unwrap()
        };
        let above = with_cutoff(optimum + 1.0);
        assert_eq!(above.status, RunStatus::Optimal, "{basis:?}");
        assert_close(above.objective.unwrap(), optimum, 1e-9, "a cutoff above the optimum finds it");
        let below = with_cutoff(optimum - 1.0);
        assert!(
            matches!(below.status, RunStatus::Optimal | RunStatus::Infeasible),
            "{basis:?}: {:?}",
            below.status
        );
        assert!(
            below.objective.is_none_or(|o| o >= optimum - 1e-6),
            "{basis:?}: {:?}",
            below.objective
        );
    }
}

/// HiGHS's primal heuristics off (as the regime search's leaves and a round
/// from a start run it) changes how an optimum is found, never its value:
/// on a cut of the bundled city with the intake basis (regimes free) and
/// with whole street sections, with and without a cutoff above the optimum.
#[test]
fn without_primal_heuristics_a_run_reaches_the_same_optimum() {
    use catchment::model::AssignMode;
    use catchment::scenario::load_scenario;
    for (basis, assign) in [
        (MigrationBasis::Intake, AssignMode::Pupils),
        (MigrationBasis::PreviousYear, AssignMode::Units),
    ] {
        let mut inst = load_scenario(std::path::Path::new("scenarios/magdeburg.toml")).unwrap();
        inst.pupils.truncate(400);
        inst.rules.migration_basis = basis;
        inst.rules.assign = assign;
        inst.rules.class_size = 4;
        inst.rules.reduced_class_size = 3;
        let (groups, arcs) = groups_and_arcs(&inst);
        let (_, _, with_heuristics) = solve_columns(&inst, &groups, arcs.clone());
        for cutoff in [None, Some(with_heuristics + 1.0)] {
            let model = build(&inst, &groups, arcs.clone(), false);
            let settings = RunSettings {
                primal_heuristics: false,
                cutoff,
                ..settings()
            };
            let without = run(model.problem, &settings, true).unwrap();
            assert_eq!(without.status, RunStatus::Optimal, "{basis:?} {assign:?} {cutoff:?}");
            assert_close(
                without.objective.unwrap(),
                with_heuristics,
                1e-9 * with_heuristics,
                &format!("{basis:?} {assign:?} {cutoff:?}: same optimum"),
            );
        }
    }
}

/// Each group's nearest school's arc (p1/p2 to A; p3, p4, p5 to B).
fn nearest_arcs(arcs: &[Arc], groups: usize) -> Vec<Arc> {
    (0..groups)
        .map(|g| {
            let of_group = arcs.iter().filter(|a| a.group == g);
            of_group.min_by(|a, b| a.cost_m.total_cmp(&b.cost_m)).copied().unwrap()
        })
        .collect()
}

/// The LP over `arcs` (unassigned pupils at 1 km), solved from scratch: its
/// basis with its columns and rows, and its optimum.
fn solved_lp(inst: &Instance, groups: &[Group], arcs: Vec<Arc>) -> (SolvedLp, f64) {
    let model = build_lp_with_unassigned(inst, groups, arcs, 1_000.0);
    let map = ColumnMap::of(&model);
    let result = run(model.problem, &settings(), false).unwrap();
    assert_eq!(result.status, RunStatus::Optimal);
    let basis = result.basis.expect("an optimal LP has a basis");
    (
        SolvedLp {
            map,
            rows: model.rows,
            basis,
        },
        result.objective.unwrap(),
    )
}

/// The status of the column of `(group, school, regime)` in `model`'s `basis`.
fn arc_status(model: &Formulation, basis: &Basis, (group, school, regime): (usize, usize, Regime)) -> Option<i32> {
    model.columns.iter().find_map(|(c, role)| match role {
        Column::Arc { arc, regime: r } if (model.arcs[arc].group, model.arcs[arc].school, r) == (group, school, regime) => {
            Some(basis.columns[c])
        }
        _ => None,
    })
}

/// A basis carried from the LP over each group's nearest arc to the LP over
/// every arc (in another order, as the regime search builds its LP again):
/// every arc of both keeps its status, every new arc starts at 0 pupils,
/// every row keeps its status, one basic per row; started from it, HiGHS
/// reaches the optimum it reaches from scratch. Carried back to a model
/// without an arc whose column was basic, it would lack a basic column, and
/// no basis is carried.
#[test]
fn a_basis_carried_to_a_wider_lp_keeps_each_status_and_reaches_the_same_optimum() {
    for basis in [MigrationBasis::PreviousYear, MigrationBasis::Intake] {
        let inst = city(basis);
        let (groups, arcs) = groups_and_arcs(&inst);
        let nearest = nearest_arcs(&arcs, groups.len());
        let (narrow, _) = solved_lp(&inst, &groups, nearest.clone());
        let mut wide_arcs = arcs.clone();
        wide_arcs.reverse();
        let wide = build_lp_with_unassigned(&inst, &groups, wide_arcs.clone(), 1_000.0);
        let wide_map = ColumnMap::of(&wide);
        let carried = carry_basis(&narrow, (&wide_map, &wide.rows)).expect("nothing basic was left out");
        assert_eq!((carried.columns.len(), carried.rows.len()), (wide.columns.len(), wide.rows.len()));
        assert_eq!(carried.rows, narrow.basis.rows, "{basis:?}: the same rows in the same order");
        let basic = carried.columns.iter().chain(&carried.rows).filter(|&&s| s == Basis::BASIC).count();
        assert_eq!(basic, wide.rows.len(), "{basis:?}: one basic column or slack per row");
        let narrow_model = build_lp_with_unassigned(&inst, &groups, nearest.clone(), 1_000.0);
        for arc in &wide_arcs {
            for regime in [Regime::Full, Regime::Reduced] {
                let key = (arc.group, arc.school, regime);
                let Some(status) = arc_status(&wide, &carried, key) else {
                    continue;
                };
                let expected = arc_status(&narrow_model, &narrow.basis, key).unwrap_or(Basis::LOWER);
                assert_eq!(status, expected, "{basis:?}: arc {key:?}");
            }
        }
        let (_, from_scratch) = solved_lp(&inst, &groups, wide_arcs.clone());
        let (_, carried_optimum) = LpProbe::keeping_duals_from(wide.problem, &settings(), true, Some(&carried)).unwrap();
        assert_close(
            carried_optimum.unwrap(),
            from_scratch,
            1e-6,
            "the same LP optimum from the carried basis",
        );
        // Back to a model without one arc whose column is basic in the wide LP's optimum.
        let (wide_solved, _) = solved_lp(&inst, &groups, wide_arcs.clone());
        let wide = build_lp_with_unassigned(&inst, &groups, wide_arcs.clone(), 1_000.0);
        let basic_arc = wide_arcs
            .iter()
            .find(|a| {
                [Regime::Full, Regime::Reduced]
                    .iter()
                    .any(|&r| arc_status(&wide, &wide_solved.basis, (a.group, a.school, r)) == Some(Basis::BASIC))
            })
            .copied()
            .expect("the wide LP's optimum has a basic arc column");
        let without: Vec<Arc> = wide_arcs.iter().filter(|a| **a != basic_arc).copied().collect();
        let smaller = build_lp_with_unassigned(&inst, &groups, without, 1_000.0);
        assert_eq!(
            carry_basis(&wide_solved, (&ColumnMap::of(&smaller), &smaller.rows)),
            None,
            "{basis:?}: a basic column left out"
        );
    }
}
