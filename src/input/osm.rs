//! Reader for OpenStreetMap extracts (`.osm` XML, `.osm.gz`, `.osm.pbf`):
//! the ways a child may walk on, with the positions of their nodes.
//!
//! The format is told by the bytes, not the name: gzip (`1f 8b`) is
//! decompressed and read as XML, text starting with `<` is XML, anything
//! else is read as PBF. Nothing is fetched; the file is read once (its
//! SHA-256 is recorded like every input's).
//!
//! Which ways are kept is decided by [`is_walkable`] alone (the rules are
//! written down in the README, section *Walking distances*). For maps,
//! [`parse_osm_map`] also reads the water ([`is_water`]) as lines.

use super::InputError;
use crate::model::Location;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Values of `highway` a child may walk on.
pub const WALK_HIGHWAYS: &[&str] = &[
    "footway",
    "path",
    "pedestrian",
    "steps",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "track",
    "cycleway",
    "road",
    "bridleway",
];

/// Values of `foot` that open a way whose `access` is `no` or `private`.
pub const FOOT_ALLOWED: &[&str] = &["yes", "designated", "permissive"];

/// Whether a way with these tags is part of the walk graph: its `highway`
/// is one of [`WALK_HIGHWAYS`] (so never motorway, motorway_link, trunk,
/// trunk_link), it is not tagged `foot=no`, and it is not `access=no` or
/// `access=private` unless `foot` is one of [`FOOT_ALLOWED`].
pub fn is_walkable(highway: Option<&str>, foot: Option<&str>, access: Option<&str>) -> bool {
    let Some(highway) = highway else { return false };
    if !WALK_HIGHWAYS.contains(&highway) || foot == Some("no") {
        return false;
    }
    let closed = matches!(access, Some("no" | "private"));
    !closed || foot.is_some_and(|f| FOOT_ALLOWED.contains(&f))
}

/// Values of `waterway` drawn as water on a map (`natural=water` too).
pub const WATER_WAYS: &[&str] = &["river", "canal", "stream", "riverbank", "ditch", "drain"];

/// Whether a way with these tags is water to draw on a map: its `waterway`
/// is one of [`WATER_WAYS`], or it is tagged `natural=water` (a lake or a
/// river's area, drawn by its outline). Water plays no part in the walk graph.
pub fn is_water(waterway: Option<&str>, natural: Option<&str>) -> bool {
    waterway.is_some_and(|w| WATER_WAYS.contains(&w)) || natural == Some("water")
}

/// The lines of an extract worth drawing under a district map: the walkable
/// streets and paths, and the water, each as a line of positions in file
/// order (a way cut where the extract lacks a node is split there).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmMapLines {
    /// Walkable ways ([`is_walkable`]).
    pub streets: Vec<Vec<Location>>,
    /// Rivers, canals, streams and water areas' outlines ([`is_water`]).
    pub water: Vec<Vec<Location>>,
}

/// The walkable ways of an extract: node positions and, per way, its node
/// ids in order. Only nodes some walkable way uses are kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmWalkWays {
    /// Position of each node used by a walkable way (nodes a way names but
    /// the extract does not hold are missing: the way is cut there).
    pub nodes: HashMap<i64, Location>,
    /// Node ids of each walkable way, in file order.
    pub ways: Vec<Vec<i64>>,
}

fn osm_error(path: &Path, line: Option<u64>, message: String) -> InputError {
    InputError::Osm {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// Parses an OSM extract (XML, gzip-compressed XML or PBF) from its bytes.
pub fn parse_osm(bytes: &[u8], path: &Path) -> Result<OsmWalkWays, InputError> {
    let parts = parse_parts(bytes, path)?;
    Ok(keep_used_nodes(parts.nodes, parts.walk))
}

/// Parses an OSM extract (XML, gzip-compressed XML or PBF) for a map: its
/// streets and its water as lines.
pub fn parse_osm_map(bytes: &[u8], path: &Path) -> Result<OsmMapLines, InputError> {
    let parts = parse_parts(bytes, path)?;
    let lines = |ways: &[Vec<i64>]| -> Vec<Vec<Location>> {
        ways.iter()
            .flat_map(|refs| refs.split(|id| !parts.nodes.contains_key(id)))
            .filter(|run| run.len() >= 2)
            .map(|run| run.iter().map(|id| parts.nodes[id]).collect())
            .collect()
    };
    Ok(OsmMapLines {
        streets: lines(&parts.walk),
        water: lines(&parts.water),
    })
}

/// Reads the OSM extract at `path` for a map (see [`parse_osm_map`]), with
/// the same checks as every input file.
pub fn read_osm_map(path: &Path) -> Result<OsmMapLines, InputError> {
    let input = super::source::read_input(path, super::source::InputKind::Osm)?;
    parse_osm_map(&input.bytes, path)
}

/// Every node, and the node ids of the walkable ways and of the water ways.
fn parse_parts(bytes: &[u8], path: &Path) -> Result<Parts, InputError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut text).map_err(|e| {
            osm_error(
                path,
                None,
                format!("the gzip data cannot be decompressed ({e}); check that the file is a complete .osm.gz"),
            )
        })?;
        parse_xml(&text, path)
    } else if bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        == Some(&b'<')
    {
        parse_xml(bytes, path)
    } else {
        parse_pbf(bytes, path)
    }
}

fn keep_used_nodes(all: HashMap<i64, Location>, ways: Vec<Vec<i64>>) -> OsmWalkWays {
    let mut nodes = HashMap::new();
    for id in ways.iter().flatten() {
        if let Some(location) = all.get(id) {
            nodes.insert(*id, *location);
        }
    }
    OsmWalkWays { nodes, ways }
}

/// What a pass over an extract keeps.
#[derive(Default)]
struct Parts {
    /// Every node's position.
    nodes: HashMap<i64, Location>,
    /// Node ids of each walkable way.
    walk: Vec<Vec<i64>>,
    /// Node ids of each water way.
    water: Vec<Vec<i64>>,
}

impl Parts {
    /// Keeps a finished way where it belongs (walkable, water, or nowhere).
    fn keep(&mut self, way: WayDraft) {
        if way.walkable() {
            self.walk.push(way.refs);
        } else if way.water() {
            self.water.push(way.refs);
        }
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &[u8], offset: u64) -> u64 {
    let end = (offset as usize).min(text.len());
    text[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// A way being read: its node ids and the tags that decide.
#[derive(Default)]
struct WayDraft {
    refs: Vec<i64>,
    highway: Option<String>,
    foot: Option<String>,
    access: Option<String>,
    waterway: Option<String>,
    natural: Option<String>,
}

impl WayDraft {
    fn walkable(&self) -> bool {
        is_walkable(self.highway.as_deref(), self.foot.as_deref(), self.access.as_deref())
    }

    fn water(&self) -> bool {
        is_water(self.waterway.as_deref(), self.natural.as_deref())
    }

    /// Takes note of a tag that decides.
    fn tag(&mut self, key: &str, value: &str) {
        let slot = match key {
            "highway" => &mut self.highway,
            "foot" => &mut self.foot,
            "access" => &mut self.access,
            "waterway" => &mut self.waterway,
            "natural" => &mut self.natural,
            _ => return,
        };
        *slot = Some(value.to_string());
    }
}

fn parse_xml(text: &[u8], path: &Path) -> Result<Parts, InputError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut parts = Parts::default();
    let mut way: Option<WayDraft> = None;
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            osm_error(
                path,
                Some(line_of(text, at)),
                format!("not valid OSM XML ({e}); check that the file is a complete .osm export"),
            )
        })?;
        let line = || line_of(text, at);
        let self_closing = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let attributes = xml_attributes(&e, path, &line)?;
                let get = |key: &str| attributes.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_ref());
                match e.name().as_ref() {
                    "node" => {
                        let (id, location) = xml_node(&get, path, &line)?;
                        parts.nodes.insert(id, location);
                    }
                    "way" => way = Some(WayDraft::default()),
                    "nd" => {
                        if let Some(w) = way.as_mut() {
                            w.refs.push(xml_id(get("ref"), "nd ref", path, &line)?);
                        }
                    }
                    "tag" => {
                        if let (Some(w), Some(k), Some(v)) = (way.as_mut(), get("k"), get("v")) {
                            w.tag(k, v);
                        }
                    }
                    _ => {}
                }
                if self_closing && e.name().as_ref() == "way" {
                    finish_way(&mut way, &mut parts);
                }
            }
            Event::End(e) if e.name().as_ref() == "way" => finish_way(&mut way, &mut parts),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(parts)
}

fn finish_way(way: &mut Option<WayDraft>, parts: &mut Parts) {
    if let Some(w) = way.take() {
        parts.keep(w);
    }
}

/// The attributes of an element, borrowed from the reader's buffer (no
/// copy: an extract of a large city has millions of them).
fn xml_attributes<'a>(
    e: &'a quick_xml::events::BytesStart,
    path: &Path,
    line: &dyn Fn() -> u64,
) -> Result<Vec<(&'a str, std::borrow::Cow<'a, str>)>, InputError> {
    let mut out = Vec::with_capacity(4);
    for attribute in e.attributes() {
        let attribute =
            attribute.map_err(|err| osm_error(path, Some(line()), format!("a broken XML attribute ({err}); correct the element")))?;
        // The values that matter (ids, coordinates, highway, foot, access)
        // hold no entities: they are taken as written.
        out.push((attribute.key.0, attribute.value));
    }
    Ok(out)
}

fn xml_id(value: Option<&str>, what: &str, path: &Path, line: &dyn Fn() -> u64) -> Result<i64, InputError> {
    let value = value.ok_or_else(|| osm_error(path, Some(line()), format!("{what} is missing; every element needs its id")))?;
    value.parse().map_err(|_| {
        osm_error(
            path,
            Some(line()),
            format!("{what} `{value}` is not a whole number; correct the id"),
        )
    })
}

fn xml_node<'a>(get: &impl Fn(&str) -> Option<&'a str>, path: &Path, line: &dyn Fn() -> u64) -> Result<(i64, Location), InputError> {
    let id = xml_id(get("id"), "node id", path, line)?;
    let coordinate = |key: &str| -> Result<f64, InputError> {
        let value = get(key).ok_or_else(|| {
            osm_error(
                path,
                Some(line()),
                format!("node {id} has no `{key}`; every node needs lat and lon"),
            )
        })?;
        value.parse().map_err(|_| {
            osm_error(
                path,
                Some(line()),
                format!("node {id}: {key} `{value}` is not a number; correct it"),
            )
        })
    };
    let (lat, lon) = (coordinate("lat")?, coordinate("lon")?);
    let location = Location::new(lat, lon).ok_or_else(|| {
        osm_error(
            path,
            Some(line()),
            format!("node {id}: lat {lat}, lon {lon} is not a WGS84 position (lat -90..90, lon -180..180); correct it"),
        )
    })?;
    Ok((id, location))
}

fn parse_pbf(bytes: &[u8], path: &Path) -> Result<Parts, InputError> {
    use osmpbf::{Element, ElementReader};
    let mut parts = Parts::default();
    let mut bad_node = None;
    ElementReader::new(bytes)
        .for_each(|element| {
            let mut keep_node = |id: i64, lat: f64, lon: f64| match Location::new(lat, lon) {
                Some(location) => {
                    parts.nodes.insert(id, location);
                }
                None => bad_node = bad_node.or(Some((id, lat, lon))),
            };
            match element {
                Element::Node(n) => keep_node(n.id(), n.lat(), n.lon()),
                Element::DenseNode(n) => keep_node(n.id(), n.lat(), n.lon()),
                Element::Way(w) => {
                    let mut draft = WayDraft::default();
                    for (k, v) in w.tags() {
                        draft.tag(k, v);
                    }
                    if draft.walkable() || draft.water() {
                        draft.refs = w.refs().collect();
                        parts.keep(draft);
                    }
                }
                Element::Relation(_) => {}
            }
        })
        .map_err(|e| {
            osm_error(
                path,
                None,
                format!("not a readable OSM file ({e}); give an .osm.pbf, .osm (XML) or .osm.gz extract"),
            )
        })?;
    if let Some((id, lat, lon)) = bad_node {
        return Err(osm_error(
            path,
            None,
            format!("node {id}: lat {lat}, lon {lon} is not a WGS84 position; the extract is damaged"),
        ));
    }
    Ok(parts)
}
