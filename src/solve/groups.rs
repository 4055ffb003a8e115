//! Merging pupils into groups that share one integer variable per school.
//!
//! - `assign = "pupils"`: pupils with the same home, the same migration
//!   background, the same lock, sibling school and baseline school (and,
//!   under a table metric, the same ways to every school) are
//!   interchangeable; a group's variable
//!   counts how many of them go to a school (integer in [0, n]).
//! - `assign = "units"`: all pupils of a unit form one group whose binary
//!   variable sends the whole unit to a school. A pupil without `unit_id` is a
//!   unit of its own.
//! - `assign = "homes"`: all pupils at one home form one group whose binary
//!   variable sends the whole home to a school. A home joins the pupils
//!   with the same address (normalised street and house number) and those
//!   with the same coordinates, transitively, so that no point of the map
//!   ever holds pupils of two schools.

use crate::model::{AssignMode, Instance, Location};
use std::collections::BTreeMap;

/// Pupils that are decided on together.
#[derive(Debug, Clone)]
pub struct Group {
    /// Pupil indices, ascending.
    pub pupils: Vec<usize>,
    /// Pupils with migration background among them.
    pub migrants: u32,
    /// `true`: the whole group goes to one school (a unit). `false`: the group
    /// is homogeneous and may be split pupil by pupil.
    pub whole: bool,
    /// A representative home: the common home, or a unit's centroid.
    pub location: Location,
    /// Sum over the group's pupils of their distance to `location`, in metres
    /// (0 for a merged group of identical pupils).
    pub spread_m: f64,
    /// The school the group is locked to, if any.
    pub fixed_school: Option<usize>,
}

impl Group {
    /// Pupils in the group.
    pub fn size(&self) -> u32 {
        self.pupils.len() as u32
    }

    /// Pupils moved by one unit of the group's variable.
    pub fn seats_per_unit(&self) -> f64 {
        if self.whole { self.size() as f64 } else { 1.0 }
    }

    /// Migrants moved by one unit of the group's variable.
    pub fn migrants_per_unit(&self) -> f64 {
        if self.whole {
            self.migrants as f64
        } else if self.migrants > 0 {
            1.0
        } else {
            0.0
        }
    }

    /// Upper bound of the group's variable on one arc (and the right-hand side
    /// of its assignment row).
    pub fn variable_upper(&self) -> f64 {
        if self.whole { 1.0 } else { self.size() as f64 }
    }
}

/// Merges the instance's pupils into groups, in a deterministic order.
pub fn build_groups(instance: &Instance) -> Vec<Group> {
    match instance.rules.assign {
        AssignMode::Pupils => merge_identical(instance),
        AssignMode::Units => merge_units(instance),
        AssignMode::Homes => merge_homes(instance),
    }
}

/// Groups without merging, for the reference formulation: one per pupil
/// (one per unit with unit assignment, which must stay whole).
pub fn unmerged_groups(instance: &Instance) -> Vec<Group> {
    match instance.rules.assign {
        AssignMode::Pupils => instance
            .pupils
            .iter()
            .enumerate()
            .map(|(i, p)| Group {
                pupils: vec![i],
                migrants: p.migrant as u32,
                whole: false,
                location: p.location,
                spread_m: 0.0,
                fixed_school: p.fixed_school,
            })
            .collect(),
        AssignMode::Units => merge_units(instance),
        AssignMode::Homes => merge_homes(instance),
    }
}

fn merge_identical(instance: &Instance) -> Vec<Group> {
    type Key = (u64, u64, bool, Option<usize>, Option<usize>, Option<usize>, Vec<u64>);
    let mut by_key: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (i, p) in instance.pupils.iter().enumerate() {
        let key = (
            p.location.lat().to_bits(),
            p.location.lon().to_bits(),
            p.migrant,
            p.fixed_school,
            p.sibling_school,
            p.baseline_school,
            instance.way_row_bits(i),
        );
        by_key.entry(key).or_default().push(i);
    }
    let mut groups: Vec<Group> = by_key
        .into_values()
        .map(|pupils| {
            let first = &instance.pupils[pupils[0]];
            Group {
                migrants: if first.migrant { pupils.len() as u32 } else { 0 },
                whole: false,
                location: first.location,
                spread_m: 0.0,
                fixed_school: first.fixed_school,
                pupils,
            }
        })
        .collect();
    groups.sort_by_key(|g| g.pupils[0]);
    groups
}

fn merge_units(instance: &Instance) -> Vec<Group> {
    let mut by_unit: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut singles = Vec::new();
    for (i, p) in instance.pupils.iter().enumerate() {
        match &p.unit {
            Some(u) => by_unit.entry(u.as_str()).or_default().push(i),
            None => singles.push(vec![i]),
        }
    }
    let mut groups: Vec<Group> = by_unit
        .into_values()
        .chain(singles)
        .map(|pupils| unit_group(instance, pupils))
        .collect();
    groups.sort_by_key(|g| g.pupils[0]);
    groups
}

fn merge_homes(instance: &Instance) -> Vec<Group> {
    let mut groups: Vec<Group> = home_members(instance)
        .into_iter()
        .map(|pupils| unit_group(instance, pupils))
        .collect();
    groups.sort_by_key(|g| g.pupils[0]);
    groups
}

/// The pupils of each home (see the module doc), each list ascending.
pub fn home_members(instance: &Instance) -> Vec<Vec<usize>> {
    let n = instance.pupils.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut first_at_point: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    let mut first_at_address: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, p) in instance.pupils.iter().enumerate() {
        let point = (p.location.lat().to_bits(), p.location.lon().to_bits());
        let first = *first_at_point.entry(point).or_insert(i);
        union(&mut parent, first, i);
        if let Some(address) = &p.address {
            let first = *first_at_address.entry(address.key()).or_insert(i);
            union(&mut parent, first, i);
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        members.entry(root).or_default().push(i);
    }
    members.into_values().collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

fn unit_group(instance: &Instance, pupils: Vec<usize>) -> Group {
    let n = pupils.len() as f64;
    let (lat, lon) = pupils.iter().fold((0.0, 0.0), |(a, b), &i| {
        let l = instance.pupils[i].location;
        (a + l.lat() / n, b + l.lon() / n)
    });
    let location = Location::new(lat, lon).expect("mean of valid coordinates is valid");
    let spread_m = pupils.iter().map(|&i| instance.pupils[i].location.distance_m(&location)).sum();
    Group {
        migrants: pupils.iter().filter(|&&i| instance.pupils[i].migrant).count() as u32,
        whole: true,
        location,
        spread_m,
        fixed_school: pupils.iter().find_map(|&i| instance.pupils[i].fixed_school),
        pupils,
    }
}
