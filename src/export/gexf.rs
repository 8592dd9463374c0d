//! The actor network as GEXF 1.2 (Gephi's format; networkx's `read_gexf` reads it): a node per
//! actor with events, an edge per actor pair with its events as weight, both with spells (the
//! periods their events cover) so that Gephi's timeline plays the network as it grew, and the
//! metrics of the whole time span ([`crate::analysis`]) as node attributes.
//!
//! Written as `1.2draft`, the version networkx reads by default and Gephi opens; `timeformat`
//! is `date` and spells are inclusive days (`YYYY-MM-DD`).

use std::io::{self, Write};

use crate::analysis::{ActorMetrics, SourcePlan, WindowGraph};
use crate::model::{ActorKind, Dataset, DayNumber, TimeWindow, WindowCounts, format_day};

/// Periods, `(first, last)` inclusive days, merged as events come in start order.
#[derive(Clone, Default)]
struct Spells(Vec<(DayNumber, DayNumber)>);

impl Spells {
    /// Adds an event's days; events must come in order of their first day.
    fn add(&mut self, start: DayNumber, end: DayNumber) {
        match self.0.last_mut() {
            // Touching periods (the next day) are one spell.
            Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
            _ => self.0.push((start, end)),
        }
    }
}

/// Text as XML attribute content: the five special characters escaped, and characters that
/// XML 1.0 forbids (most control characters) left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The node attributes, in the order of their ids.
const NODE_ATTRIBUTES: [(&str, &str); 10] = [
    ("kind", "string"),
    ("country", "string"),
    ("events", "integer"),
    ("degree", "integer"),
    ("weighted_degree", "double"),
    ("betweenness", "double"),
    ("closeness", "double"),
    ("eigenvector", "double"),
    ("pagerank", "double"),
    ("community", "integer"),
];

/// Writes the dataset's network as GEXF. The metrics are those of the whole time span, every
/// event counted (the graph `relmap metrics FILE` measures).
pub fn write_gexf(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let counts = WindowCounts::full(ds, TimeWindow::all(ds));
    let graph = WindowGraph::from_counts(ds, &counts);
    let plan = SourcePlan::automatic(&graph);
    let metrics = ActorMetrics::compute(&graph, &plan);

    let mut actor_spells = vec![Spells::default(); ds.actors.len()];
    let mut pair_spells = vec![Spells::default(); ds.pairs.len()];
    for e in 0..ds.len() as u32 {
        let (start, end) = (ds.start[e as usize], ds.end[e as usize]);
        for &a in ds.actors_of(e) {
            actor_spells[a as usize].add(start, end);
        }
        for &p in ds.pairs_of(e) {
            pair_spells[p as usize].add(start, end);
        }
    }
    let write_spells = |out: &mut dyn Write, spells: &Spells| -> io::Result<()> {
        writeln!(out, "        <spells>")?;
        for &(start, end) in &spells.0 {
            writeln!(
                out,
                "          <spell start=\"{}\" end=\"{}\"/>",
                format_day(start),
                format_day(end)
            )?;
        }
        writeln!(out, "        </spells>")
    };

    let description = match &metrics.estimate {
        None => "relmap: actors and their ties (weight: shared events); metrics of the whole \
                 time span"
            .to_string(),
        Some(e) => format!(
            "relmap: actors and their ties (weight: shared events); metrics of the whole time \
             span, betweenness and closeness estimated from {} sources",
            e.sources
        ),
    };
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">"
    )?;
    writeln!(
        out,
        "  <meta>\n    <creator>relmap {}</creator>\n    <description>{}</description>\n  </meta>",
        env!("CARGO_PKG_VERSION"),
        escape(&description)
    )?;
    writeln!(
        out,
        "  <graph mode=\"dynamic\" defaultedgetype=\"undirected\" timeformat=\"date\">"
    )?;
    writeln!(out, "    <attributes class=\"node\" mode=\"static\">")?;
    for (id, (title, kind)) in NODE_ATTRIBUTES.iter().enumerate() {
        writeln!(
            out,
            "      <attribute id=\"{id}\" title=\"{title}\" type=\"{kind}\"/>"
        )?;
    }
    writeln!(out, "    </attributes>")?;

    writeln!(out, "    <nodes>")?;
    for (id, actor) in ds.actors.iter() {
        let events = counts.actor_events[id as usize];
        if events == 0 {
            continue;
        }
        let country = match actor.kind {
            ActorKind::Country => Some(actor),
            _ => actor
                .affiliation
                .map(|c| ds.actors.get(c))
                .filter(|c| c.kind == ActorKind::Country),
        };
        let mut values: Vec<String> = vec![
            actor.kind.label().to_string(),
            country.map(|c| escape(&c.name)).unwrap_or_default(),
            events.to_string(),
        ];
        if let Some(v) = graph.node_of(id) {
            let v = v as usize;
            values.extend([
                metrics.degree[v].to_string(),
                metrics.weighted_degree[v].to_string(),
                metrics.betweenness[v].to_string(),
                metrics.closeness[v].to_string(),
                metrics.eigenvector[v].to_string(),
                metrics.pagerank[v].to_string(),
                metrics.community[v].to_string(),
            ]);
        } else {
            // No tie: degree 0 and nothing else to say (no community).
            values.push("0".to_string());
        }
        writeln!(
            out,
            "      <node id=\"n{id}\" label=\"{}\">",
            escape(&actor.name)
        )?;
        writeln!(out, "        <attvalues>")?;
        for (attribute, value) in values.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            writeln!(
                out,
                "          <attvalue for=\"{attribute}\" value=\"{value}\"/>"
            )?;
        }
        writeln!(out, "        </attvalues>")?;
        write_spells(out, &actor_spells[id as usize])?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;

    writeln!(out, "    <edges>")?;
    for (p, &(a, b)) in ds.pairs.iter().enumerate() {
        let events = counts.pair_events[p];
        if events == 0 || a == b {
            continue;
        }
        writeln!(
            out,
            "      <edge id=\"e{p}\" source=\"n{a}\" target=\"n{b}\" weight=\"{events}\">"
        )?;
        write_spells(out, &pair_spells[p])?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_merge_touching_and_overlapping_periods() {
        let mut s = Spells::default();
        for (a, b) in [(1, 3), (2, 2), (4, 6), (8, 8), (8, 10)] {
            s.add(a, b);
        }
        assert_eq!(s.0, vec![(1, 6), (8, 10)]);
    }

    #[test]
    fn escape_keeps_xml_well_formed() {
        assert_eq!(
            escape("A&B <\"C\"> 'd'\u{1}\t"),
            "A&amp;B &lt;&quot;C&quot;&gt; &apos;d&apos; "
        );
    }
}
