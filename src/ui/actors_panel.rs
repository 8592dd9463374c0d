//! The Actors panel: every actor with a tie in the time window, with its network metrics
//! (degree, weighted degree, betweenness, closeness, eigenvector, PageRank) and community,
//! sortable by any column and searchable. Linked with the map: a click selects the actor
//! (Ctrl adds it), a double click also centres the map on it; selected actors are marked.
//! The table can be written as CSV.

use eframe::egui::{self, Align, Layout, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use super::Command;
use crate::analysis::{Measure, WindowMetrics};
use crate::export::style;
use crate::model::{ActorId, Dataset};
use crate::session::Document;

const ROW_HEIGHT: f32 = 20.0;

/// A column of the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorColumn {
    Name,
    Kind,
    Country,
    Community,
    Metric(Measure),
}

impl ActorColumn {
    pub const ALL: [ActorColumn; 11] = [
        ActorColumn::Name,
        ActorColumn::Kind,
        ActorColumn::Country,
        ActorColumn::Community,
        ActorColumn::Metric(Measure::Events),
        ActorColumn::Metric(Measure::Degree),
        ActorColumn::Metric(Measure::WeightedDegree),
        ActorColumn::Metric(Measure::Betweenness),
        ActorColumn::Metric(Measure::Closeness),
        ActorColumn::Metric(Measure::Eigenvector),
        ActorColumn::Metric(Measure::PageRank),
    ];

    fn label(self) -> &'static str {
        match self {
            ActorColumn::Name => "Actor",
            ActorColumn::Kind => "Kind",
            ActorColumn::Country => "Country",
            ActorColumn::Community => "Community",
            ActorColumn::Metric(m) => m.label(),
        }
    }
}

/// The panel's state across frames: sort, search and the rows they give.
pub struct ActorsPanelState {
    pub sort: ActorColumn,
    pub descending: bool,
    pub search: String,
    rows: Vec<ActorId>,
    /// What `rows` was worked out for: the metrics (by address), search and sort.
    computed: Option<(usize, String, ActorColumn, bool)>,
}

impl Default for ActorsPanelState {
    fn default() -> Self {
        Self {
            sort: ActorColumn::Metric(Measure::PageRank),
            descending: true,
            search: String::new(),
            rows: Vec::new(),
            computed: None,
        }
    }
}

impl ActorsPanelState {
    /// The rows in the order shown.
    pub fn rows(&self) -> &[ActorId] {
        &self.rows
    }

    fn refresh(&mut self, ds: &Dataset, metrics: &WindowMetrics) {
        let key = (
            metrics as *const WindowMetrics as usize,
            self.search.clone(),
            self.sort,
            self.descending,
        );
        if self.computed.as_ref() == Some(&key) {
            return;
        }
        let needle = self.search.trim().to_lowercase();
        let mut rows: Vec<ActorId> = metrics
            .graph
            .actors
            .iter()
            .copied()
            .filter(|&a| {
                needle.is_empty() || ds.actors.get(a).name.to_lowercase().contains(&needle)
            })
            .collect();
        let name = |a: ActorId| ds.actors.get(a).name.as_str();
        let country = |a: ActorId| country_name(ds, a);
        match self.sort {
            ActorColumn::Name => rows.sort_by(|&a, &b| name(a).cmp(name(b))),
            ActorColumn::Kind => rows.sort_by_key(|&a| ds.actors.get(a).kind.label()),
            ActorColumn::Country => rows.sort_by(|&a, &b| country(a).cmp(country(b))),
            ActorColumn::Community => rows.sort_by_key(|&a| metrics.community_of(a)),
            ActorColumn::Metric(m) => rows.sort_by(|&a, &b| {
                let v = |x| metrics.value(x, m).unwrap_or(0.0);
                v(a).total_cmp(&v(b)).then_with(|| name(b).cmp(name(a)))
            }),
        }
        if self.descending {
            rows.reverse();
        }
        self.rows = rows;
        self.computed = Some(key);
    }
}

/// The name of the country an actor belongs to (itself for a country).
fn country_name(ds: &Dataset, actor: ActorId) -> &str {
    let a = ds.actors.get(actor);
    match (a.kind, a.affiliation) {
        (crate::model::ActorKind::Country, _) => &a.name,
        (_, Some(c)) => &ds.actors.get(c).name,
        _ => "",
    }
}

/// A metric as the table writes it: counts whole, shares with four significant digits.
fn format_value(measure: Measure, value: f64) -> String {
    match measure {
        Measure::Events | Measure::Degree | Measure::WeightedDegree => format!("{value:.0}"),
        _ => format!("{value:.4}"),
    }
}

/// Draws the panel.
#[allow(clippy::too_many_arguments)]
pub fn actors_panel_ui(
    ui: &mut Ui,
    doc: &Document,
    metrics: Option<&WindowMetrics>,
    current: bool,
    seconds: Option<f64>,
    state: &mut ActorsPanelState,
    selected: &[ActorId],
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    let Some(metrics) = metrics else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Working out the window's network metrics…");
        });
        // Keep the panel's height: it would otherwise shrink to this one line for good.
        ui.allocate_space(ui.available_size());
        return;
    };
    state.refresh(ds, metrics);
    ui.horizontal(|ui| {
        let l = ui.label("Find");
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .desired_width(160.0)
                .hint_text("actor name"),
        )
        .labelled_by(l.id);
        ui.label(format!(
            "{} of {} actors · {} ties · {} communities, modularity {:.3}",
            state.rows.len(),
            metrics.graph.node_count(),
            metrics.graph.tie_count(),
            metrics.community_sizes().len(),
            metrics.metrics.modularity
        ));
        if let Some(estimate) = &metrics.metrics.estimate {
            ui.label(
                RichText::new(format!(
                    "Betweenness and closeness estimated from {} sources (± {:.1e})",
                    estimate.sources, estimate.max_betweenness_standard_error
                ))
                .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text(
                "The window's graph is too big to compute them exactly at once: they are \
                 averaged over a sample of starting actors. The standard error is the largest \
                 of any actor's betweenness.",
            );
        }
        if !current {
            ui.spinner();
            ui.weak("updating to the window…");
        } else if let Some(s) = seconds {
            ui.weak(format!("computed in {:.0} ms", s * 1000.0));
        }
        if ui
            .button("Export CSV…")
            .on_hover_text("Write this table, in this order, as CSV")
            .clicked()
        {
            commands.push(Command::ExportActorsDialog);
        }
    });

    let mut builder = TableBuilder::new(ui)
        .id_salt("actors-table")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(220.0).at_least(80.0).clip(true))
        .column(Column::initial(100.0).at_least(50.0).clip(true))
        .column(Column::initial(120.0).at_least(50.0).clip(true));
    for _ in 3..ActorColumn::ALL.len() {
        builder = builder.column(Column::initial(92.0).at_least(50.0).clip(true));
    }
    let mut clicked: Option<(ActorId, bool, bool)> = None;
    builder
        .min_scrolled_height(0.0)
        .auto_shrink([false, false])
        .header(ROW_HEIGHT + 2.0, |mut header| {
            for column in ActorColumn::ALL {
                header.col(|ui| {
                    let arrow = match (state.sort == column, state.descending) {
                        (false, _) => "",
                        (true, false) => " ▲",
                        (true, true) => " ▼",
                    };
                    let text = RichText::new(format!("{}{arrow}", column.label())).strong();
                    if ui
                        .add(egui::Button::new(text).frame(false))
                        .on_hover_text(format!("Sort by {}", column.label().to_lowercase()))
                        .clicked()
                    {
                        if state.sort == column {
                            state.descending = !state.descending;
                        } else {
                            state.sort = column;
                            // Metrics read best from the top; names from A.
                            state.descending = matches!(column, ActorColumn::Metric(_));
                        }
                    }
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, state.rows.len(), |mut row| {
                let a = state.rows[row.index()];
                row.set_selected(selected.contains(&a));
                let actor = ds.actors.get(a);
                let cell = |ui: &mut Ui, text: RichText| {
                    ui.add(egui::Label::new(text).selectable(false).truncate());
                };
                row.col(|ui| cell(ui, RichText::new(&actor.name)));
                row.col(|ui| cell(ui, RichText::new(actor.kind.label())));
                row.col(|ui| cell(ui, RichText::new(country_name(ds, a))));
                row.col(|ui| {
                    if let Some(c) = metrics.community_of(a) {
                        let [r, g, b, _] = style::community_colour(c);
                        let colour = egui::Color32::from_rgb(r, g, b);
                        cell(ui, RichText::new(format!("● {}", c + 1)).color(colour));
                    }
                });
                for column in &ActorColumn::ALL[4..] {
                    if let ActorColumn::Metric(m) = *column {
                        let value = metrics.value(a, m).unwrap_or(0.0);
                        row.col(|ui| {
                            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                                cell(ui, RichText::new(format_value(m, value)).monospace())
                            });
                        });
                    }
                }
                let response = row.response();
                if response.clicked() || response.double_clicked() {
                    let add = response.ctx.input(|i| i.modifiers.command);
                    clicked = Some((a, add, response.double_clicked()));
                }
            });
        });
    if let Some((actor, add, centre)) = clicked {
        if centre {
            commands.push(Command::FindActor(ds.actors.get(actor).name.clone()));
        } else if add {
            commands.push(Command::ToggleSelected(actor));
        } else {
            commands.push(Command::Select(Some(actor)));
        }
    }
}

/// The table as CSV, these rows in this order.
pub fn actors_csv(ds: &Dataset, metrics: &WindowMetrics, rows: &[ActorId]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "name".to_string(),
        "kind".into(),
        "country".into(),
        "community".into(),
    ];
    header.extend(
        Measure::ALL
            .iter()
            .map(|m| m.label().to_lowercase().replace(' ', "_")),
    );
    // Writing to memory cannot fail.
    let _ = writer.write_record(&header);
    for &a in rows {
        let actor = ds.actors.get(a);
        let mut record = vec![
            actor.name.clone(),
            actor.kind.label().to_string(),
            country_name(ds, a).to_string(),
            metrics
                .community_of(a)
                .map(|c| (c + 1).to_string())
                .unwrap_or_default(),
        ];
        record.extend(
            Measure::ALL
                .iter()
                .map(|&m| metrics.value(a, m).unwrap_or(0.0).to_string()),
        );
        let _ = writer.write_record(&record);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventFilter, TimeWindow, WindowCounts};

    #[test]
    fn the_csv_has_a_row_per_actor_in_the_order_given_with_every_measure() {
        let loaded = crate::io::load_bytes(
            crate::SAMPLE_CSV.as_bytes(),
            std::path::Path::new("sample.csv"),
            &crate::io::LoadOptions::default(),
        )
        .unwrap();
        let ds = &loaded.dataset;
        let counts = WindowCounts::filtered(ds, TimeWindow::all(ds), EventFilter::all());
        let metrics = WindowMetrics::compute(ds, &counts);
        let mut state = ActorsPanelState::default();
        state.refresh(ds, &metrics);
        let text = String::from_utf8(actors_csv(ds, &metrics, state.rows())).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), metrics.graph.node_count() + 1);
        assert!(lines[0].starts_with("name,kind,country,community,events,degree"));
        assert!(lines[0].ends_with("pagerank"));
        // Sorted by PageRank, highest first.
        let first = state.rows()[0];
        let top = metrics.value(first, Measure::PageRank).unwrap();
        assert!(
            state
                .rows()
                .iter()
                .all(|&a| metrics.value(a, Measure::PageRank).unwrap() <= top)
        );
    }
}
