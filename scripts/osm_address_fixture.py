#!/usr/bin/env python3
"""Makes tests/fixtures/bindlach from ../shared/osm/north-bayreuth.osm.gz.

Real addresses (c) OpenStreetMap contributors, ODbL 1.0: every node or way of
the extract with addr:street and addr:housenumber and addr:city = Bindlach
becomes a home at its position (a way: the mean of its nodes, rounded to
1e-6 degree), with 1 to 3 pupils and a migration background chosen by a
fixed hash of the address (deterministic, no random generator). Three
schools stand at fixed points in Bindlach. Run from the repository root:

    python3 scripts/osm_address_fixture.py ../shared/osm/north-bayreuth.osm.gz tests/fixtures/bindlach
"""
import gzip
import hashlib
import sys
import xml.etree.ElementTree as ET


def addresses(path):
    nodes, found = {}, []
    for _, el in ET.iterparse(gzip.open(path), events=("end",)):
        if el.tag not in ("node", "way"):
            continue
        tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
        if el.tag == "node":
            nodes[el.get("id")] = (float(el.get("lat")), float(el.get("lon")))
            refs = [el.get("id")]
        else:
            refs = [n.get("ref") for n in el.findall("nd")]
        if tags.get("addr:city") == "Bindlach" and "addr:street" in tags and "addr:housenumber" in tags:
            points = [nodes[r] for r in refs if r in nodes]
            if points:
                lat = round(sum(p[0] for p in points) / len(points), 6)
                lon = round(sum(p[1] for p in points) / len(points), 6)
                found.append((tags["addr:street"], tags["addr:housenumber"], lat, lon))
        el.clear()
    return found


def main(osm, out):
    homes = sorted(set(addresses(osm)))
    rows = ["pupil_id,lat,lon,migration_background,street,house_number"]
    n = 0
    for street, number, lat, lon in homes:
        digest = hashlib.sha256(f"{street}|{number}|{lat}|{lon}".encode()).digest()
        for k in range(1 + digest[0] % 3):
            n += 1
            migrant = 1 if digest[1 + k] % 5 == 0 else 0
            rows.append(f"B{n:04d},{lat:.6f},{lon:.6f},{migrant},{street},{number}")
    with open(f"{out}/pupils.csv", "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print(f"{len(homes)} homes, {n} pupils")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
