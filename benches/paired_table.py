"""The Markdown table of a bench script that solves each instance with the
new build ("catchment") and, optionally, a BASELINE build ("baseline").

Rows of the CSV: family, seed, case, total_s, cpu_s, peak_mb, objective_m
and the script's own columns. One table row per family: wall and CPU
median / worst of the new build, the script's columns, peak memory, and
with a baseline its wall and CPU median / worst and the CPU ratio
baseline / new (median, least). Pairs that reached different optima are
named on stderr.

    from paired_table import print_table
    print_table(csv_path, [("search nodes (median)", lambda rows: f"{median_of(rows, 'regime_nodes'):.0f}")])
"""
import csv
import statistics
import sys


def median_of(rows, column):
    """The median of an integer column over rows."""
    return statistics.median(int(r[column]) for r in rows)


def _seconds(rows, column):
    return [float(r[column]) for r in rows]


def _median_worst(values):
    return f"{statistics.median(values):.2f} / {max(values):.2f} s"


def _different_optima(family, old, new):
    for a, b in zip(old, new):
        if abs(float(a["objective_m"]) - float(b["objective_m"])) > 1e-6 * max(1.0, float(b["objective_m"])):
            print(f"DIFFERENT OPTIMUM: {family} seed {b['seed']}: {a['objective_m']} vs {b['objective_m']}", file=sys.stderr)


def print_table(csv_path, columns):
    """Prints the table; `columns` are (title, function of the new rows)."""
    rows = list(csv.DictReader(open(csv_path)))
    families = list(dict.fromkeys(r["family"] for r in rows))
    titles = ["instances", "catchment wall median / worst", "CPU median / worst"]
    titles += [title for title, _ in columns]
    titles += ["peak MB", "baseline wall median / worst", "baseline CPU median / worst", "CPU ratio median / least"]
    print("| " + " | ".join(titles) + " |")
    print("|" + "---|" * len(titles))
    for family in families:
        new = [r for r in rows if r["family"] == family and r["case"] == "catchment"]
        old = [r for r in rows if r["family"] == family and r["case"] == "baseline"]
        cells = [f"{family} ({len(new)})", _median_worst(_seconds(new, "total_s")), _median_worst(_seconds(new, "cpu_s"))]
        cells += [cell(new) for _, cell in columns]
        cells.append(str(max(int(r["peak_mb"]) for r in new)))
        if old:
            ratios = [a / max(b, 0.01) for a, b in zip(_seconds(old, "cpu_s"), _seconds(new, "cpu_s"))]
            cells += [_median_worst(_seconds(old, "total_s")), _median_worst(_seconds(old, "cpu_s"))]
            cells.append(f"{statistics.median(ratios):.1f}x / {min(ratios):.1f}x")
            _different_optima(family, old, new)
        else:
            cells += ["–", "–", "–"]
        print("| " + " | ".join(cells) + " |")
