#!/usr/bin/env python3
"""A network-flow baseline for the benchmarks (not part of the tool).

Reads a generated city (schools.csv, pupils.csv; previous-year basis: a
school's class size is the reduced one when prev_migration_share is above
the threshold), computes every pupil-school great-circle distance (radius
6,371,008.8 m) in numpy, and solves the transportation problem with
OR-tools' SimpleMinCostFlow (costs in whole millimetres). Prints
`seconds objective_m` for the whole script after imports, the way a
planner's own script would run.

    python3 benches/mcf_baseline.py CITY_DIR [class_size reduced threshold]
"""
import csv
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow

R = 6_371_008.8


def main(city, class_size=22, reduced=17, threshold=0.25):
    start = time.perf_counter()
    schools = list(csv.DictReader(open(f"{city}/schools.csv", encoding="utf-8")))
    pupils = list(csv.DictReader(open(f"{city}/pupils.csv", encoding="utf-8")))
    s_lat = np.radians([float(s["lat"]) for s in schools])
    s_lon = np.radians([float(s["lon"]) for s in schools])
    p_lat = np.radians([float(p["lat"]) for p in pupils])
    p_lon = np.radians([float(p["lon"]) for p in pupils])
    dlat = p_lat[:, None] - s_lat[None, :]
    dlon = p_lon[:, None] - s_lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(p_lat)[:, None] * np.cos(s_lat)[None, :] * np.sin(dlon / 2) ** 2
    dist = 2 * R * np.arcsin(np.sqrt(h))
    n, m = dist.shape
    caps = []
    for s in schools:
        size = reduced if float(s["prev_migration_share"]) > threshold else class_size
        caps.append(size * int(s.get("max_classes") or s["classes"]) - int(s.get("reserved_seats") or 0))
    flow = min_cost_flow.SimpleMinCostFlow()
    sink = n + m
    tails = np.repeat(np.arange(n), m)
    heads = n + np.tile(np.arange(m), n)
    costs = np.rint(dist * 1000).astype(np.int64).ravel()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, np.ones(n * m, dtype=np.int64), costs)
    flow.add_arcs_with_capacity_and_unit_cost(n + np.arange(m), np.full(m, sink), np.array(caps, dtype=np.int64), np.zeros(m, dtype=np.int64))
    supplies = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(m, dtype=np.int64), [-n]])
    flow.set_nodes_supplies(np.arange(n + m + 1), supplies)
    status = flow.solve()
    seconds = time.perf_counter() - start
    if status != flow.OPTIMAL:
        print(f"{seconds:.3f} infeasible")
        return
    print(f"{seconds:.3f} {flow.optimal_cost() / 1000:.3f}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], *(float(a) if "." in a else int(a) for a in args[1:]))
