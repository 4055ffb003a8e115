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


def tables_of(crs=None, xy=("x", "y")):
    """Header and rows of schools and pupils with numbers as numbers."""
    project = projector(crs) if crs else None

    def coords(lat, lon):
        if project is None:
            return [lat, lon]
        x, y = project.transform(lon, lat)
        return [round(x, 3), round(y, 3)]

    place = ["lat", "lon"] if project is None else list(xy)
    return {
        "schools": (["school_id", "name", *place, "classes", "prev_migration_share"],
                    [[s[0], s[1], *coords(s[2], s[3]), s[4], s[5]] for s in SCHOOLS]),
        "pupils": (["pupil_id", *place, "migration_background"],
                   [[p[0], *coords(p[1], p[2]), p[3]] for p in PUPILS]),
    }


def write_xlsx(folder, scenario_input="", **kwargs):
    """Spreadsheets written by openpyxl (`pip install openpyxl`), data on the first sheet."""
    from openpyxl import Workbook

    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    for name, (header, rows) in tables_of(**kwargs).items():
        book = Workbook()
        sheet = book.active
        sheet.title = "Schulen" if name == "schools" else "Schüler"
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(os.path.join(OUT, folder, f"{name}.xlsx"))
    with open(os.path.join(OUT, folder, "scenario.toml"), "w", encoding="utf-8") as f:
        f.write(f'name = "office {folder}"\nschools = "schools.xlsx"\npupils = "pupils.xlsx"\n\n'
                '[rules]\nclass_size = 22\nreduced_class_size = 17\n' + scenario_input)


def write_ods(folder):
    """OpenDocument spreadsheets written by odfpy (`pip install odfpy`): a
    first sheet `Info` with a note, the data on sheet `Daten`."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def cell(value):
        if isinstance(value, (int, float)):
            c = TableCell(valuetype="float", value=value)
        else:
            c = TableCell(valuetype="string")
        c.addElement(P(text=str(value)))
        return c

    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    for name, (header, rows) in tables_of().items():
        doc = OpenDocumentSpreadsheet()
        info = Table(name="Info")
        note = TableRow()
        note.addElement(cell("Export des Schulverwaltungsamts"))
        info.addElement(note)
        doc.spreadsheet.addElement(info)
        data = Table(name="Daten")
        for row in [header, *rows]:
            tr = TableRow()
            for value in row:
                tr.addElement(cell(value))
            data.addElement(tr)
        doc.spreadsheet.addElement(data)
        doc.save(os.path.join(OUT, folder, f"{name}.ods"))
    with open(os.path.join(OUT, folder, "scenario.toml"), "w", encoding="utf-8") as f:
        f.write(f'name = "office {folder}"\nschools = "schools.ods"\npupils = "pupils.ods"\n\n'
                '[rules]\nclass_size = 22\nreduced_class_size = 17\n\n[input]\nsheet = "Daten"\n')


write_xlsx("xlsx")
write_xlsx("xlsx_utm32", scenario_input='\n[input]\ncrs = "EPSG:25832"\n', crs=25832)
write_ods("ods")


STREETS = ["Otto-von-Guericke-Straße", "Große Diesdorfer Straße", "Breiter Weg", "Am Krökentor",
           "Halberstädter Straße", "Leipziger Straße", "Jakobstraße", "Hegelstraße"]


def address_of(i):
    """Street and house number of pupil i in the register."""
    street = STREETS[i % len(STREETS)]
    number = f"{i // len(STREETS) + 1}{'a' if i % 5 == 0 else ''}"
    return street, number


def as_written(i, street, number):
    """The spelling a school office typed: Str., upper case, ss, a space before the letter."""
    if i % 4 == 1:
        street = street.replace("straße", "str.").replace("Straße", "Str.")
    elif i % 4 == 2:
        street = street.upper().replace("ß", "SS")
    if number.endswith("a") and i % 2 == 0:
        number = number[:-1] + " a"
    return street, number


def write_addresses(folder):
    """Pupils by address (no coordinates) and a register of house
    coordinates in ETRS89 / UTM 32N (semicolon-separated, as state survey
    offices publish them), with the schools in UTM too."""
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    project = projector(25832)
    register = ["street;house_number;postcode;x;y"]
    for i, p in enumerate(PUPILS):
        street, number = address_of(i)
        x, y = project.transform(p[2], p[1])
        register.append(f"{street};{number};39104;{x:.3f};{y:.3f}")
    register.append("Breiter Weg;999;39104;681000.000;5776000.000")  # a house no pupil lives in
    with open(os.path.join(OUT, folder, "hauskoordinaten.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(register) + "\r\n")
    pupils = ["pupil_id,street,house_number,postcode,migration_background"]
    for i, p in enumerate(PUPILS):
        street, number = as_written(i, *address_of(i))
        postcode = "39104" if i % 3 == 0 else ""
        pupils.append(f"{p[0]},{quote(street, ',')},{number},{postcode},{p[3]}")
    with open(os.path.join(OUT, folder, "pupils.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(pupils) + "\n")
    schools = ["school_id,name,x,y,classes,prev_migration_share"]
    for s in SCHOOLS:
        x, y = project.transform(s[3], s[2])
        schools.append(f"{s[0]},{quote(s[1], ',')},{x:.3f},{y:.3f},{s[4]},{s[5]:.2f}")
    with open(os.path.join(OUT, folder, "schools.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(schools) + "\n")
    with open(os.path.join(OUT, folder, "scenario.toml"), "w", encoding="utf-8") as f:
        f.write(f'name = "office {folder}"\nschools = "schools.csv"\npupils = "pupils.csv"\n\n'
                '[rules]\nclass_size = 22\nreduced_class_size = 17\n\n'
                '[input]\ncrs = "EPSG:25832"\naddresses = "hauskoordinaten.csv"\n')


write_addresses("addresses")
