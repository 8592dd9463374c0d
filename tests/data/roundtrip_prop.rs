//! Saving and reading back loses nothing: random datasets written as native CSV, native JSON
//! and `.relmap` workspaces are read again and compared field by field (proptest).

use std::path::Path;

use proptest::prelude::*;
use relmap::io::{FormatChoice, LoadOptions, load_bytes};
use relmap::model::{ActorKind, Dataset, DatasetBuilder, EventClass, NewEvent, PartialDate};

const COUNTRIES: [&str; 5] = ["Belarus", "Iran", "Pakistan", "Brazil", "Kenya"];
const TYPES: [&str; 4] = ["", "consult", "sign agreement", "military exercise"];

#[derive(Clone, Debug)]
struct PersonSpec {
    name: String,
    kind: ActorKind,
    country: Option<usize>,
    aliases: Vec<String>,
}

#[derive(Clone, Debug)]
struct EventSpec {
    date: (i32, Option<u8>, Option<u8>),
    end_after: Option<u16>,
    people: (usize, Option<usize>),
    third_country: Option<usize>,
    kind: usize,
    class: usize,
    title: String,
    location: String,
    place: Option<(f32, f32)>,
    url: Option<u32>,
    weight: f32,
}

fn text() -> impl Strategy<Value = String> {
    // Commas, quotes, semicolons, line breaks and non-Latin letters: what breaks writers.
    "[A-Za-z0-9 ,;\"'\n–éБж]{0,24}".prop_map(|s| s.trim().to_string())
}

fn person() -> impl Strategy<Value = PersonSpec> {
    (
        "[A-Z][a-z]{3,8} [A-Z][a-z]{3,8}",
        prop_oneof![
            Just(ActorKind::Person),
            Just(ActorKind::Organisation),
            Just(ActorKind::Group),
            Just(ActorKind::Other)
        ],
        proptest::option::of(0..COUNTRIES.len()),
        proptest::collection::vec("[A-Z][a-z]{4,9}x", 0..2),
    )
        .prop_map(|(name, kind, country, aliases)| PersonSpec {
            name: format!("Actor {name}"),
            kind,
            country,
            aliases,
        })
}

fn event(people: usize) -> impl Strategy<Value = EventSpec> {
    (
        (
            1950i32..2030,
            proptest::option::of(1u8..=12),
            1u8..=28,
            any::<bool>(),
        ),
        proptest::option::of(0u16..400),
        (0..people, proptest::option::of(0..people)),
        proptest::option::of(0..COUNTRIES.len()),
        (0..TYPES.len(), 0..5usize),
        (text(), text()),
        proptest::option::of((-80.0f32..80.0, -170.0f32..170.0)),
        proptest::option::of(0u32..1000),
        prop_oneof![Just(1.0f32), Just(0.5), Just(2.0), Just(3.25)],
    )
        .prop_map(
            |(
                (y, m, d, with_day),
                end_after,
                pair,
                third,
                (kind, class),
                (title, location),
                place,
                url,
                weight,
            )| {
                EventSpec {
                    date: (y, m, m.and(with_day.then_some(d))),
                    end_after,
                    people: pair,
                    third_country: third,
                    kind,
                    class,
                    title,
                    location,
                    place,
                    url,
                    weight,
                }
            },
        )
}

fn dataset() -> impl Strategy<Value = Dataset> {
    proptest::collection::vec(person(), 2..6)
        .prop_flat_map(|people| {
            let n = people.len();
            (Just(people), proptest::collection::vec(event(n), 1..25))
        })
        .prop_map(|(people, events)| build(&people, &events))
}

fn build(people: &[PersonSpec], events: &[EventSpec]) -> Dataset {
    let mut b = DatasetBuilder::new();
    let countries: Vec<u32> = COUNTRIES
        .iter()
        .map(|c| b.actor(c, Some(ActorKind::Country)).unwrap())
        .collect();
    let ids: Vec<u32> = people
        .iter()
        .map(|p| {
            let id = b.actor(&p.name, Some(p.kind)).unwrap();
            let actor = b.actors.get_mut(id);
            actor.kind = p.kind;
            actor.affiliation = p.country.map(|c| countries[c]);
            for alias in &p.aliases {
                b.actors.add_alias(id, alias);
            }
            id
        })
        .collect();
    for (i, e) in events.iter().enumerate() {
        let (y, m, d) = e.date;
        let date = match (m, d) {
            (Some(m), Some(d)) => PartialDate::ymd(y, m, d).unwrap(),
            (Some(m), None) => PartialDate::parse(&format!("{y:04}-{m:02}")).unwrap(),
            _ => PartialDate::parse(&format!("{y:04}")).unwrap(),
        };
        let end_date = e.end_after.map(|days| {
            let (yy, mm, dd) = relmap::model::civil_from_day(date.last_day() + days as i32);
            PartialDate::ymd(yy, mm, dd).unwrap()
        });
        let mut actors = vec![ids[e.people.0]];
        if let Some(other) = e.people.1.filter(|&o| o != e.people.0) {
            actors.push(ids[other]);
        }
        if let Some(c) = e.third_country {
            // A third party only with two before it, so that it lands in the `actors` column.
            if actors.len() == 2 {
                actors.push(countries[c]);
            }
        }
        b.push(NewEvent {
            date,
            end_date,
            actors,
            event_type: TYPES[e.kind].to_string(),
            class: EventClass::ALL[e.class],
            title: e.title.clone(),
            location: e.location.clone(),
            lat: e.place.map(|p| p.0 as f64),
            lon: e.place.map(|p| p.1 as f64),
            url: e
                .url
                .map(|u| format!("https://example.org/{u}"))
                .unwrap_or_default(),
            weight: e.weight,
            // Some rows are aggregates (a `count` column): their counts must survive too.
            count: match e.url {
                Some(u) if u % 3 == 0 => 1 + u % 50,
                _ => 1,
            },
            line: i as u32 + 2,
        });
    }
    b.finish(None)
}

/// Everything an analyst sees of an event, independent of ids and order.
type EventView = (
    String,
    String,
    Vec<String>,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn events(ds: &Dataset) -> Vec<EventView> {
    let mut out: Vec<EventView> = (0..ds.len() as u32)
        .map(|e| {
            (
                ds.date_of(e).to_string(),
                ds.end_date_of(e).map(|d| d.to_string()).unwrap_or_default(),
                ds.actors_of(e)
                    .iter()
                    .map(|&a| ds.actors.get(a).name.clone())
                    .collect(),
                ds.type_name(e).to_string(),
                ds.class[e as usize].label().to_string(),
                ds.title(e).to_string(),
                ds.location(e).to_string(),
                format!("{:?}", ds.lat_lon(e)),
                ds.url(e).to_string(),
                format!("{} ×{}", ds.weight[e as usize], ds.multiplicity(e)),
            )
        })
        .collect();
    out.sort();
    out
}

/// Each actor that takes part in an event: kind, country and (if asked) aliases.
fn actors(ds: &Dataset, aliases: bool) -> Vec<(String, String, String, Vec<String>)> {
    let mut used = vec![false; ds.actors.len()];
    for &a in &ds.event_actors {
        used[a as usize] = true;
    }
    let mut out: Vec<_> = ds
        .actors
        .iter()
        .filter(|(id, _)| used[*id as usize])
        .map(|(_, a)| {
            let mut names = if aliases {
                a.aliases.clone()
            } else {
                Vec::new()
            };
            names.sort();
            (
                a.name.clone(),
                a.kind.label().to_string(),
                a.affiliation
                    .map(|c| ds.actors.get(c).name.clone())
                    .unwrap_or_default(),
                names,
            )
        })
        .collect();
    out.sort();
    out
}

fn read(bytes: &[u8], name: &str, format: FormatChoice) -> Dataset {
    let loaded = load_bytes(
        bytes,
        Path::new(name),
        &LoadOptions {
            format,
            mapping: None,
        },
    )
    .unwrap_or_else(|e| panic!("{name}: {e}\n{}", String::from_utf8_lossy(bytes)));
    assert_eq!(
        loaded.diagnostics.skipped, 0,
        "{name}: {:?}",
        loaded.diagnostics.errors
    );
    assert_eq!(
        loaded.diagnostics.warned, 0,
        "{name}: {:?}",
        loaded.diagnostics.warnings
    );
    loaded.dataset
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn native_json_keeps_everything(ds in dataset()) {
        let all: Vec<u32> = (0..ds.len() as u32).collect();
        let mut bytes = Vec::new();
        relmap::io::write::write_native_json(&ds, &all, &mut bytes).unwrap();
        let back = read(&bytes, "events.json", FormatChoice::Json);
        prop_assert_eq!(events(&back), events(&ds));
        prop_assert_eq!(actors(&back, true), actors(&ds, true));
    }

    #[test]
    fn native_csv_and_tsv_keep_everything_but_aliases(ds in dataset()) {
        let all: Vec<u32> = (0..ds.len() as u32).collect();
        for (separator, name) in [(b',', "events.csv"), (b'\t', "events.tsv")] {
            let mut bytes = Vec::new();
            relmap::io::write::write_native_csv(&ds, &all, &mut bytes, separator).unwrap();
            let back = read(&bytes, name, FormatChoice::Csv);
            prop_assert_eq!(events(&back), events(&ds));
            prop_assert_eq!(actors(&back, false), actors(&ds, false));
        }
    }

    #[test]
    fn a_workspace_keeps_the_data_and_the_view(ds in dataset(), x in -500.0f32..500.0) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.relmap");
        let mut view = relmap::workspace::View {
            layout: Some(relmap::layout::LayoutKind::Circle),
            ..Default::default()
        };
        view.nodes.push(relmap::workspace::NodeState {
            name: ds.actors.get(0).name.clone(),
            x,
            y: -x,
            pinned: true,
            collapsed: false,
        });
        relmap::workspace::save(&path, &ds, relmap::workspace::DataChoice::Embed, &view).unwrap();
        let (loaded, back_view) =
            relmap::workspace::open(&path, &relmap::io::Progress::new()).unwrap();
        prop_assert_eq!(back_view, view);
        prop_assert_eq!(events(&loaded.dataset), events(&ds));
        prop_assert_eq!(actors(&loaded.dataset, true), actors(&ds, true));
    }
}
