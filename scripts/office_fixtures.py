"""Writes tests/fixtures/office/: one small city (5 schools, 80 pupils near
Magdeburg) in every input dialect that `tests/office_formats.rs` solves and
compares with the plain WGS84 CSV.

The projected coordinates are computed by PROJ (pyproj), independently of
the Rust crate that reads them: `pip install pyproj` and run
`python3 scripts/office_fixtures.py` from the repository root. The city is
drawn from a fixed seed, so the files only change when this script does.
"""

import os
import random

from pyproj import Transformer

OUT = "tests/fixtures/office"
rng = random.Random(15)

SCHOOLS = [
    # id, name, lat, lon, classes, share
    ("GS01", "Grundschule Am Dom", 52.1250, 11.6350, 1, 0.31),
    ("GS02", "Grundschule Brückfeld", 52.1180, 11.6600, 1, 0.12),
    ("GS03", "Grundschule \"Weiße Taube\"; Sudenburg", 52.1120, 11.6100, 1, 0.26),
    ("GS04", "Grundschule Am Großen Silberberg", 52.1450, 11.6250, 1, 0.05),
    ("GS05", "Grundschule Süd", 52.0950, 11.6400, 1, 0.18),
]

PUPILS = []
for i in range(80):
    s = SCHOOLS[i % 4]  # GS05 gets no pupils of its own: its seats draw the overflow
    lat = round(s[2] + rng.uniform(-0.012, 0.012), 6)
    lon = round(s[3] + rng.uniform(-0.018, 0.018), 6)
    PUPILS.append((f"p{i + 1:02d}", lat, lon, 1 if rng.random() < 0.3 else 0))

DHDN = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +inv +proj=longlat +datum=WGS84"
    " +step +proj=cart +ellps=WGS84 +step +inv +proj=helmert +x=598.1 +y=73.7 +z=418.2 +rx=0.202 +ry=0.045"
    " +rz=-2.455 +s=6.7 +convention=position_vector +step +inv +proj=cart +ellps=bessel"
    " +step +proj=tmerc +lat_0=0 +lon_0={lon0} +k=1 +x_0={x0} +y_0=0 +ellps=bessel"
)


def projector(code):
    if 31466 <= code <= 31469:
        zone = code - 31464
        return Transformer.from_pipeline(DHDN.format(lon0=3 * zone, x0=zone * 1_000_000 + 500_000))
    return Transformer.from_crs("EPSG:4326", f"EPSG:{code}", always_xy=True)


def quote(field, delimiter):
    text = str(field)
    if any(c in text for c in (delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def number(value, decimal, digits):
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if decimal == "," else text


def write_variant(folder, *, delimiter=",", decimal=".", encoding="utf-8", bom=False, newline="\n",
                  crs=None, xy=("x", "y"), scenario_input=""):
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    project = projector(crs) if crs else None

    def coords(lat, lon):
        if project is None:
            return [number(lat, decimal, 6), number(lon, decimal, 6)]
        x, y = project.transform(lon, lat)
        return [number(x, decimal, 3), number(y, decimal, 3)]

    place = ["lat", "lon"] if project is None else list(xy)
    tables = {
        "schools.csv": (["school_id", "name", *place, "classes", "prev_migration_share"],
                        [[s[0], s[1], *coords(s[2], s[3]), s[4], number(s[5], decimal, 2)] for s in SCHOOLS]),
        "pupils.csv": (["pupil_id", *place, "migration_background"],
                       [[p[0], *coords(p[1], p[2]), p[3]] for p in PUPILS]),
    }
    for name, (header, rows) in tables.items():
        lines = [delimiter.join(quote(h, delimiter) for h in header)]
        lines += [delimiter.join(quote(f, delimiter) for f in row) for row in rows]
        data = (newline.join(lines) + newline).encode(encoding)
        with open(os.path.join(OUT, folder, name), "wb") as f:
            f.write((b"\xef\xbb\xbf" if bom else b"") + data)
    with open(os.path.join(OUT, folder, "scenario.toml"), "w", encoding="utf-8") as f:
        f.write(f'name = "office {folder}"\nschools = "schools.csv"\npupils = "pupils.csv"\n\n'
                '[rules]\nclass_size = 22\nreduced_class_size = 17\n' + scenario_input)


write_variant("plain")
write_variant("excel_de", delimiter=";", decimal=",", encoding="cp1252", newline="\r\n")
write_variant("utf8_bom_tab", delimiter="\t", bom=True, newline="\r\n")
write_variant("utm32", crs=25832, scenario_input='\n[input]\ncrs = "EPSG:25832"\n')
write_variant("utm32_excel_de", delimiter=";", decimal=",", encoding="cp1252", newline="\r\n", crs=25832,
              xy=("Rechtswert", "Hochwert"), scenario_input='\n[input]\ncrs = "EPSG:25832"\n')
write_variant("gk4", crs=31468, xy=("rechtswert", "hochwert"), scenario_input='\n[input]\ncrs = "EPSG:31468"\n')
write_variant("laea", crs=3035, xy=("east", "north"), scenario_input='\n[input]\ncrs = "EPSG:3035"\n')
