//! Running HiGHS on a built model and reading back what it proved.

use super::{Deadline, Progress, SolveError};
use good_lp::solvers::highs::HighsProblem;
use highs::{HighsModelStatus, Model};
use std::time::Instant;

/// How one HiGHS run is configured.
#[derive(Debug, Clone, Copy)]
pub struct RunSettings {
    /// When the run must end.
    pub deadline: Deadline,
    /// Relative gap at which the MIP stops.
    pub mip_gap: f64,
    /// Threads HiGHS may use.
    pub threads: u32,
    /// Most branch-and-bound nodes (`None`: no limit). A work limit, not a
    /// clock: runs stay reproducible. Used for heuristic runs only.
    pub node_limit: Option<u64>,
    /// Integer programs only: solutions of total way at or above this are of
    /// no interest (HiGHS's `objective_bound`): the run prunes every node
    /// whose bound reaches it and ends without a solution when it finds none
    /// below. `None`: no cutoff.
    pub cutoff: Option<f64>,
    /// Integer programs only: whether HiGHS runs its primal heuristics
    /// (RINS, RENS, feasibility jump, root reduced cost and their effort).
    /// Off where the run is mostly a proof from a good start: a leaf of the
    /// regime search, the certificate's round after a class-range start.
    pub primal_heuristics: bool,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Solved to optimality (within the requested gap).
    Optimal,
    /// Stopped by the time limit.
    TimeLimit,
    /// Proven infeasible.
    Infeasible,
}

/// What one HiGHS run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// How it ended.
    pub status: RunStatus,
    /// Column values, when a feasible solution exists.
    pub columns: Option<Vec<f64>>,
    /// Row duals (LP runs only).
    pub row_duals: Vec<f64>,
    /// Column duals = reduced costs (LP runs only).
    pub column_duals: Vec<f64>,
    /// Objective of the solution (metres).
    pub objective: Option<f64>,
    /// Best proven lower bound (metres): the MIP dual bound, or the LP optimum.
    pub bound: Option<f64>,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
    /// The final basis (LP runs only, when HiGHS has one).
    pub basis: Option<Basis>,
}

/// Solves `problem` with HiGHS. `is_mip` tells whether to read MIP information.
pub fn run(problem: HighsProblem, settings: &RunSettings, is_mip: bool) -> Result<RunResult, SolveError> {
    run_from(problem, settings, is_mip, None)
}

/// Environment variable that turns HiGHS's own log on (to standard output),
/// for a developer looking at where the solver spends its time.
pub const LOG_VARIABLE: &str = "CATCHMENT_HIGHS_LOG";

/// Solves `problem` with HiGHS, starting from `start` (a value per column of a
/// feasible solution, see [`super::warm_start`]) when one is given.
pub fn run_from(problem: HighsProblem, settings: &RunSettings, is_mip: bool, start: Option<&[f64]>) -> Result<RunResult, SolveError> {
    run_fixed(problem, settings, is_mip, start, &[])
}

/// Solves `problem` with each listed column fixed to its value (and from
/// `start`, when given).
pub fn run_fixed(
    problem: HighsProblem,
    settings: &RunSettings,
    is_mip: bool,
    start: Option<&[f64]>,
    fixed: &[(usize, f64)],
) -> Result<RunResult, SolveError> {
    run_with_rows(problem, settings, is_mip, start, fixed, &[])
}

/// A row added to a built model: `sum coefficient x_column <= upper`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraRow {
    /// (column, coefficient) pairs, each column once.
    pub terms: Vec<(usize, f64)>,
    /// Right-hand side.
    pub upper: f64,
}

/// [`run_fixed`] with `rows` added to the model before it is solved (the
/// cuts of [`super::contiguity`]).
pub fn run_with_rows(
    problem: HighsProblem,
    settings: &RunSettings,
    is_mip: bool,
    start: Option<&[f64]>,
    fixed: &[(usize, f64)],
    rows: &[ExtraRow],
) -> Result<RunResult, SolveError> {
    run_configured(problem, settings, (is_mip, is_mip || LP_PRESOLVE), start, fixed, rows)
}

/// Whether HiGHS presolves a linear program (integer programs always are).
/// Off: the LPs here are transportation problems with a few side rows per
/// school, and presolve looks for parallel rows and columns in them for
/// longer than the dual simplex then takes (2026-12-01, bundled
/// `magdeburg-intake.toml`: the first LP from scratch in 0.16 s with
/// presolve, 0.04-0.05 s without; a rebuilt probing LP 0.17 s and 0.05 s;
/// the whole solve 1.9-2.0 s and 1.3 s). A solver setting, not a rule: the
/// optimum is the same either way.
const LP_PRESOLVE: bool = false;

/// [`run_with_rows`] for an integer program; when HiGHS fails while solving
/// it, the model is built again (`rebuild`) and solved with HiGHS's
/// presolve off. HiGHS 1.16's presolve can reduce a feasible model to empty
/// and then end with "Solve error" (kept in `tests/known_defects.rs`); the
/// `highs` crate drops a model whose solve failed, hence `rebuild`.
pub fn run_mip_with_rows_or_without_presolve(
    problem: HighsProblem,
    rebuild: impl FnOnce() -> HighsProblem,
    settings: &RunSettings,
    start: Option<&[f64]>,
    fixed: &[(usize, f64)],
    rows: &[ExtraRow],
) -> Result<RunResult, SolveError> {
    match run_configured(problem, settings, (true, true), start, fixed, rows) {
        Err(SolveError::Highs(_)) => run_configured(rebuild(), settings, (true, false), start, fixed, rows),
        other => other,
    }
}

/// [`run_with_rows`] with `(is_mip, presolve)`: HiGHS's presolve on or off.
fn run_configured(
    problem: HighsProblem,
    settings: &RunSettings,
    (is_mip, presolve): (bool, bool),
    start: Option<&[f64]>,
    fixed: &[(usize, f64)],
    rows: &[ExtraRow],
) -> Result<RunResult, SolveError> {
    let started = Instant::now();
    let mut model = configured(problem, settings)?;
    if !presolve {
        switch_off_presolve(&mut model)?;
    }
    for row in rows {
        add_row(&mut model, row)?;
    }
    for &(column, value) in fixed {
        change_bounds(&mut model, column, value, value)?;
    }
    // With a start, the values HiGHS hands back are checked against its
    // objective (see `hands_back_its_start`): the costs are read now.
    let costs = match (start, is_mip) {
        (Some(_), true) => Some(column_costs(&mut model)?),
        _ => None,
    };
    if let Some(start) = start {
        model
            .try_set_solution(Some(start), None, None, None)
            .map_err(|e| SolveError::Highs(format!("cannot pass the start solution: {e:?}")))?;
    }
    // Lives until the solve returns: HiGHS holds a pointer to it meanwhile.
    let mut watch = BranchWatch {
        deadline: settings.deadline,
    };
    // Heuristic runs (with a node limit) have incumbents and bounds of their
    // own sub-problem only: the observer hears of the integer programs proper.
    if is_mip && settings.node_limit.is_none() && settings.deadline.is_observed() {
        watch.install(&mut model)?;
    }
    let mut solved = model.try_solve().map_err(|e| SolveError::Highs(format!("{e:?}")))?;
    if costs.as_ref().is_some_and(|costs| hands_back_its_start(&solved, costs)) {
        solved = solve_without_start(solved, settings.deadline)?;
    }
    let status = run_status(solved.status())?;
    let feasible = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let solution = solved.get_solution();
    let basis = if is_mip {
        None
    } else {
        basis_of(solved.as_mut_ptr(), solution.columns().len(), solution.rows().len())
    };
    let objective = (feasible && status != RunStatus::Infeasible).then(|| solved.objective_value());
    let bound = if is_mip {
        solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite())
    } else if status == RunStatus::Optimal {
        objective
    } else {
        None
    };
    Ok(RunResult {
        status,
        columns: objective.map(|_| solution.columns().to_vec()),
        row_duals: if is_mip { Vec::new() } else { solution.dual_rows().to_vec() },
        column_duals: if is_mip { Vec::new() } else { solution.dual_columns().to_vec() },
        objective,
        bound,
        seconds: started.elapsed().as_secs_f64(),
        basis,
    })
}

/// The basis of the HiGHS instance `highs` with `columns` columns and `rows`
/// rows (`None` when it has none).
fn basis_of(highs: *mut std::ffi::c_void, columns: usize, rows: usize) -> Option<Basis> {
    let mut basis = Basis {
        columns: vec![0; columns],
        rows: vec![0; rows],
    };
    // SAFETY: `highs` is a live instance and both arrays have its lengths.
    let status = unsafe { highs_sys::Highs_getBasis(highs, basis.columns.as_mut_ptr(), basis.rows.as_mut_ptr()) };
    (status == highs_sys::kHighsStatusOk).then_some(basis)
}

/// The objective coefficient of every column of a loaded model.
fn column_costs(model: &mut Model) -> Result<Vec<f64>, SolveError> {
    let columns = model.num_cols();
    let mut costs = vec![0.0; columns];
    if columns == 0 {
        return Ok(costs);
    }
    let last = i32::try_from(columns - 1).map_err(|_| SolveError::Highs("too many columns".into()))?;
    let (mut count, mut nonzeros) = (0, 0);
    // SAFETY: the pointer is the live HiGHS instance owned by `model`;
    // `costs` holds one value per column; HiGHS fills no bounds or matrix
    // when their pointers are null.
    let status = unsafe {
        highs_sys::Highs_getColsByRange(
            model.as_mut_ptr(),
            0,
            last,
            &mut count,
            costs.as_mut_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut nonzeros,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    if status == highs_sys::kHighsStatusError || count as usize != columns {
        return Err(SolveError::Highs("cannot read the objective coefficients".into()));
    }
    Ok(costs)
}

/// Whether a MIP solved from a start reports an objective that its values
/// do not have: HiGHS 1.16 can hand back the start's values with the
/// objective of a better solution it found (seen when presolve reduces the
/// model to a few columns). Such values must not be taken for the optimum.
fn hands_back_its_start(solved: &highs::SolvedModel, costs: &[f64]) -> bool {
    if solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible {
        return false;
    }
    let solution = solved.get_solution();
    let values = solution.columns();
    let total: f64 = costs.iter().zip(values).map(|(c, x)| c * x).sum();
    let objective = solved.objective_value();
    // The model's objective has no constant term (see `formulation`).
    (total - objective).abs() > 1e-6 * objective.abs().max(1.0)
}

/// Solves a model again from scratch, its start (and basis) cleared.
fn solve_without_start(solved: highs::SolvedModel, deadline: Deadline) -> Result<highs::SolvedModel, SolveError> {
    let mut model = Model::from(solved);
    // SAFETY: the pointer is the live HiGHS instance owned by `model`.
    if unsafe { highs_sys::Highs_clearSolver(model.as_mut_ptr()) } == highs_sys::kHighsStatusError {
        return Err(SolveError::Highs("cannot clear the start solution".into()));
    }
    set_time_limit(&mut model, deadline)?;
    model.try_solve().map_err(|e| SolveError::Highs(format!("{e:?}")))
}

/// Tells the observer of a deadline how HiGHS's branch and bound goes: the
/// incumbent, the bound, the gap and the nodes, at each of HiGHS's limit
/// checks (its "MIP interrupt" callback, which never interrupts here).
struct BranchWatch {
    deadline: Deadline,
}

impl BranchWatch {
    /// Registers the callback with `model`; `self` must outlive the solve.
    fn install(&mut self, model: &mut Model) -> Result<(), SolveError> {
        let data = (self as *mut BranchWatch).cast::<std::ffi::c_void>();
        // SAFETY: the pointer is the live HiGHS instance owned by `model`;
        // `data` points at `self`, which the caller keeps alive (and does not
        // move) until the solve has returned.
        let status = unsafe {
            let highs = model.as_mut_ptr();
            let set = highs_sys::Highs_setCallback(highs, Some(branch_callback), data);
            match set {
                highs_sys::kHighsStatusError => set,
                _ => highs_sys::Highs_startCallback(highs, highs_sys::kHighsCallbackMipInterrupt),
            }
        };
        match status {
            highs_sys::kHighsStatusError => Err(SolveError::Highs("cannot register the progress callback".into())),
            _ => Ok(()),
        }
    }
}

/// HiGHS's callback: reads the branch-and-bound figures and tells them.
unsafe extern "C" fn branch_callback(
    kind: std::os::raw::c_int,
    _message: *const std::os::raw::c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    _input: *mut highs_sys::HighsCallbackDataIn,
    data: *mut std::ffi::c_void,
) {
    if kind != highs_sys::kHighsCallbackMipInterrupt || out.is_null() || data.is_null() {
        return;
    }
    // SAFETY: HiGHS passes its own live output record and our `BranchWatch`
    // (see `BranchWatch::install`); both are only read.
    let (out, watch) = unsafe { (&*out, &*(data as *const BranchWatch)) };
    let finite = |value: f64| value.is_finite().then_some(value);
    let progress = Progress::Branching {
        incumbent_m: finite(out.mip_primal_bound),
        bound_m: finite(out.mip_dual_bound),
        gap: finite(out.mip_gap).filter(|g| *g < 1e9),
        nodes: u64::try_from(out.mip_node_count).unwrap_or(0),
    };
    // A panic must not cross into C++: an observer that fails is ignored.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| watch.deadline.tell(progress)));
}

/// The HiGHS model of `problem` with the options every run uses: quiet
/// (unless [`LOG_VARIABLE`] is set), gap, threads, a fixed random seed and
/// the time limit.
fn configured(problem: HighsProblem, settings: &RunSettings) -> Result<Model, SolveError> {
    let mut model = problem.try_into_inner().map_err(|e| SolveError::Highs(e.to_string()))?;
    model.make_quiet();
    let option_error = |name: &str| SolveError::Highs(format!("cannot set option {name}"));
    if std::env::var_os(LOG_VARIABLE).is_some() {
        model
            .try_set_option("output_flag", true)
            .and_then(|_| model.try_set_option("log_to_console", true))
            .map_err(|_| option_error("output_flag"))?;
    }
    // The gap, the threads and the time limit are the user's values: HiGHS
    // refusing one of them is a setting to change, not a solver failure.
    let setting_error = |setting: &'static str, value: String, reason: &str| SolveError::Setting {
        setting,
        value,
        reason: reason.to_string(),
    };
    model
        .try_set_option("mip_rel_gap", settings.mip_gap)
        .map_err(|_| setting_error("mip_gap", settings.mip_gap.to_string(), "a relative gap of 0 or more"))?;
    let threads = i32::try_from(settings.threads)
        .map_err(|_| setting_error("threads", settings.threads.to_string(), "a thread count up to 2147483647"))?;
    model
        .try_set_option("threads", threads)
        .map_err(|_| setting_error("threads", settings.threads.to_string(), "a thread count of 1 or more"))?;
    model.try_set_option("random_seed", 0).map_err(|_| option_error("random_seed"))?;
    // HiGHS's enumeration presolve (rule bit 16) can drop an equality clique
    // such as a group's `every_pupil_once` row and then stop with a solve
    // error on a feasible model (ERGO-Code/HiGHS#3216): keep that rule off.
    model
        .try_set_option("presolve_rule_off", 65536)
        .map_err(|_| option_error("presolve_rule_off"))?;
    if let Some(nodes) = settings.node_limit {
        model
            .try_set_option("mip_max_nodes", i32::try_from(nodes).unwrap_or(i32::MAX))
            .map_err(|_| option_error("mip_max_nodes"))?;
    }
    if let Some(cutoff) = settings.cutoff {
        model
            .try_set_option("objective_bound", cutoff)
            .map_err(|_| option_error("objective_bound"))?;
    }
    if !settings.primal_heuristics {
        switch_off_primal_heuristics(&mut model)?;
    }
    set_time_limit(&mut model, settings.deadline)?;
    Ok(model)
}

/// HiGHS's presolve off.
fn switch_off_presolve(model: &mut Model) -> Result<(), SolveError> {
    model
        .try_set_option("presolve", "off")
        .map_err(|_| SolveError::Highs("cannot set option presolve".into()))
}

/// HiGHS's primal heuristics off (see [`RunSettings::primal_heuristics`]);
/// branching, cuts and its own reduced-cost fixing stay.
fn switch_off_primal_heuristics(model: &mut Model) -> Result<(), SolveError> {
    let option_error = |name: &str| SolveError::Highs(format!("cannot set option {name}"));
    model
        .try_set_option("mip_heuristic_effort", 0.0)
        .map_err(|_| option_error("mip_heuristic_effort"))?;
    for heuristic in [
        "mip_heuristic_run_rins",
        "mip_heuristic_run_rens",
        "mip_heuristic_run_feasibility_jump",
        "mip_heuristic_run_root_reduced_cost",
    ] {
        model.try_set_option(heuristic, false).map_err(|_| option_error(heuristic))?;
    }
    Ok(())
}

/// Sets HiGHS's time limit to what is left until `deadline`. HiGHS counts
/// its limit over all runs of one model (ERGO-Code/HiGHS#1477), so its
/// clocks are zeroed first: a model solved again (an LP probe) gets the time
/// left, not the time left minus its earlier runs.
fn set_time_limit(model: &mut Model, deadline: Deadline) -> Result<(), SolveError> {
    let Some(left) = deadline.remaining_s() else {
        return Ok(());
    };
    // SAFETY: the pointer is the live HiGHS instance owned by `model`.
    unsafe { highs_sys::Highs_zeroAllClocks(model.as_mut_ptr()) };
    model
        .try_set_option("time_limit", left.max(0.001))
        .map_err(|_| SolveError::Highs("cannot set option time_limit".into()))
}

/// Adds one row `terms <= upper` to a loaded model.
fn add_row(model: &mut Model, row: &ExtraRow) -> Result<(), SolveError> {
    let out_of_range = || SolveError::Highs("row index out of range".into());
    let columns: Vec<i32> = row
        .terms
        .iter()
        .map(|&(c, _)| i32::try_from(c).map_err(|_| out_of_range()))
        .collect::<Result<_, _>>()?;
    let values: Vec<f64> = row.terms.iter().map(|&(_, v)| v).collect();
    let count = i32::try_from(columns.len()).map_err(|_| out_of_range())?;
    // SAFETY: the pointer is the live HiGHS object owned by `model`; the
    // two arrays hold `count` entries each and outlive the call, and HiGHS
    // checks the column indices.
    let status = unsafe {
        highs_sys::Highs_addRow(
            model.as_mut_ptr(),
            f64::NEG_INFINITY,
            row.upper,
            count,
            columns.as_ptr(),
            values.as_ptr(),
        )
    };
    if status == highs_sys::kHighsStatusError {
        return Err(SolveError::Highs("cannot add a cut row".into()));
    }
    Ok(())
}

/// Sets the bounds of one column of a loaded model.
fn change_bounds(model: &mut Model, column: usize, lower: f64, upper: f64) -> Result<(), SolveError> {
    let index = i32::try_from(column).map_err(|_| SolveError::Highs("column index out of range".into()))?;
    // SAFETY: the pointer is the live HiGHS object owned by `model`, and
    // `index` is checked by HiGHS against the number of columns.
    let status = unsafe { highs_sys::Highs_changeColBounds(model.as_mut_ptr(), index, lower, upper) };
    if status == highs_sys::kHighsStatusError {
        return Err(SolveError::Highs(format!("cannot change the bounds of column {column}")));
    }
    Ok(())
}

/// Maps HiGHS's model status to how a run ended.
fn run_status(status: HighsModelStatus) -> Result<RunStatus, SolveError> {
    Ok(match status {
        HighsModelStatus::Optimal | HighsModelStatus::ObjectiveBound | HighsModelStatus::ObjectiveTarget => RunStatus::Optimal,
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => RunStatus::Infeasible,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => RunStatus::TimeLimit,
        other => return Err(SolveError::Highs(format!("unexpected model status {other:?}"))),
    })
}

/// A simplex basis of an LP: HiGHS's status of each column and each row
/// (`kHighsBasisStatus`: at its lower bound, basic, at its upper bound, ...).
/// Handed to another LP over mostly the same columns and rows (see
/// `warm_start::carry_basis`), it starts the dual simplex there instead of
/// from the slack basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    /// Per column, its status.
    pub columns: Vec<i32>,
    /// Per row, its status.
    pub rows: Vec<i32>,
}

impl Basis {
    /// Status of a column at its lower bound.
    pub const LOWER: i32 = highs_sys::kHighsBasisStatusLower;
    /// Status of a basic column or row.
    pub const BASIC: i32 = highs_sys::kHighsBasisStatusBasic;
}

/// An LP kept alive in HiGHS so that it can be solved again after a bound
/// change, from the basis of the solve before (a few dual simplex
/// iterations instead of a solve from scratch). Used for probing.
pub struct LpProbe {
    /// The model; `None` only while HiGHS holds it during a solve.
    model: Option<Model>,
    /// When the probing must end.
    deadline: Deadline,
    /// Whether the row duals and column values are read after each solve.
    keeps_duals: bool,
    /// The row duals of the last solve (empty unless it was optimal and
    /// `keeps_duals`).
    row_duals: Vec<f64>,
    /// The column values of the last solve (as `row_duals`).
    columns: Vec<f64>,
}

impl LpProbe {
    /// Loads the LP `problem` and solves it once; returns the probe and the
    /// LP's optimum (infinite when infeasible, `None` when out of time).
    pub fn new(problem: HighsProblem, settings: &RunSettings) -> Result<(Self, Option<f64>), SolveError> {
        Self::keeping_duals(problem, settings, false)
    }

    /// As [`LpProbe::new`]; with `keeps_duals`, the row duals and column
    /// values of every optimal solve are kept (see [`LpProbe::row_duals`],
    /// [`LpProbe::columns`]).
    pub fn keeping_duals(problem: HighsProblem, settings: &RunSettings, keeps_duals: bool) -> Result<(Self, Option<f64>), SolveError> {
        Self::keeping_duals_from(problem, settings, keeps_duals, None)
    }

    /// As [`LpProbe::keeping_duals`], the first solve starting from `basis`
    /// when given (a basis HiGHS refuses, for one, one with too few or too
    /// many basic columns, is left out: the solve then starts from scratch).
    pub fn keeping_duals_from(
        problem: HighsProblem,
        settings: &RunSettings,
        keeps_duals: bool,
        basis: Option<&Basis>,
    ) -> Result<(Self, Option<f64>), SolveError> {
        let mut model = configured(problem, settings)?;
        if !LP_PRESOLVE {
            switch_off_presolve(&mut model)?;
        }
        if let Some(basis) = basis.filter(|b| b.columns.len() == model.num_cols() && b.rows.len() == model.num_rows()) {
            // SAFETY: both arrays have the model's length, checked above.
            unsafe { highs_sys::Highs_setBasis(model.as_mut_ptr(), basis.columns.as_ptr(), basis.rows.as_ptr()) };
        }
        let mut probe = LpProbe {
            model: Some(model),
            deadline: settings.deadline,
            keeps_duals,
            row_duals: Vec::new(),
            columns: Vec::new(),
        };
        let value = probe.solve()?;
        Ok((probe, value))
    }

    /// The LP optimum with column `column` bounded to `[lower, upper]`, the
    /// bounds being reset to `restore` afterwards; infinite when infeasible,
    /// `None` when out of time.
    pub fn optimum_with_bounds(&mut self, column: usize, lower: f64, upper: f64, restore: (f64, f64)) -> Result<Option<f64>, SolveError> {
        self.change_bounds(column, lower, upper)?;
        let value = self.solve();
        self.change_bounds(column, restore.0, restore.1)?;
        value
    }

    /// The LP optimum with each listed column fixed to its value, the
    /// columns' bounds being reset to `restore` afterwards; infinite when
    /// infeasible, `None` when out of time.
    pub fn optimum_with_fixed(&mut self, fixed: &[(usize, f64)], restore: (f64, f64)) -> Result<Option<f64>, SolveError> {
        for &(column, value) in fixed {
            self.change_bounds(column, value, value)?;
        }
        let value = self.solve();
        for &(column, _) in fixed {
            self.change_bounds(column, restore.0, restore.1)?;
        }
        value
    }

    /// The basis of the last solve (`None` when HiGHS has none).
    pub fn basis(&mut self) -> Option<Basis> {
        let model = self.model.as_mut()?;
        let (columns, rows) = (model.num_cols(), model.num_rows());
        basis_of(model.as_mut_ptr(), columns, rows)
    }

    /// The row duals of the last solve: empty unless it was optimal and the
    /// probe keeps duals.
    pub fn row_duals(&self) -> &[f64] {
        &self.row_duals
    }

    /// The column values of the last solve: empty unless it was optimal and
    /// the probe keeps duals.
    pub fn columns(&self) -> &[f64] {
        &self.columns
    }

    fn change_bounds(&mut self, column: usize, lower: f64, upper: f64) -> Result<(), SolveError> {
        let model = self
            .model
            .as_mut()
            .ok_or_else(|| SolveError::Highs("LP probe lost its model".into()))?;
        change_bounds(model, column, lower, upper)
    }

    fn solve(&mut self) -> Result<Option<f64>, SolveError> {
        if self.deadline.passed() {
            return Ok(None);
        }
        let mut model = self
            .model
            .take()
            .ok_or_else(|| SolveError::Highs("LP probe lost its model".into()))?;
        set_time_limit(&mut model, self.deadline)?;
        let solved = model.try_solve().map_err(|e| SolveError::Highs(format!("{e:?}")))?;
        let status = run_status(solved.status())?;
        let value = match status {
            RunStatus::Optimal => Some(solved.objective_value()),
            RunStatus::Infeasible => Some(f64::INFINITY),
            RunStatus::TimeLimit => None,
        };
        self.row_duals.clear();
        self.columns.clear();
        if self.keeps_duals && status == RunStatus::Optimal {
            let solution = solved.get_solution();
            self.row_duals.extend_from_slice(solution.dual_rows());
            self.columns.extend_from_slice(solution.columns());
        }
        self.model = Some(Model::from(solved));
        Ok(value)
    }
}

/// The version of the HiGHS library linked in, e.g. `1.11.0`.
pub fn highs_version() -> String {
    // SAFETY: these functions only return compile-time constants of the library.
    let (major, minor, patch) = unsafe {
        (
            highs_sys::Highs_versionMajor(),
            highs_sys::Highs_versionMinor(),
            highs_sys::Highs_versionPatch(),
        )
    };
    format!("{major}.{minor}.{patch}")
}
