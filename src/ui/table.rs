//! The event table: every event of the time window (date, actors, type, title, location,
//! source), sortable by any column and searchable. Only the rows on screen are laid out
//! (egui_extras' `TableBuilder::rows`), so a million rows scroll as fast as ten. Clicking
//! rows selects their events (and through them their actors on the map and their bins on
//! the timeline); a double click opens the event's source. A noted event's title has a note
//! mark before it, and its note on hover.

use eframe::egui::{self, Align, Layout, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use super::Command;
use super::theme;
use crate::export::callouts::NOTE_COLOUR;
use crate::model::{EventColumn, EventId, EventQuery, NoteSubject};
use crate::session::Document;

/// Row height in points.
const ROW_HEIGHT: f32 = 20.0;

/// Table state kept across frames: the query and its rows.
pub struct TableState {
    pub sort: EventColumn,
    pub ascending: bool,
    pub search: String,
    /// Only the selection's events (the highlighted ones).
    pub only_selection: bool,
    rows: Vec<EventId>,
    /// What `rows` was computed for.
    computed: Option<(EventQuery, Option<u64>, (usize, u64))>,
    /// The selection generation seen last, and whether the table itself made it.
    seen_highlight: u64,
    own_selection: bool,
    scroll_to: Option<usize>,
    /// Where a shift-click range starts.
    anchor: Option<usize>,
    /// The first row laid out in the last frame.
    first_visible: usize,
}

impl Default for TableState {
    fn default() -> Self {
        Self {
            sort: EventColumn::Date,
            ascending: true,
            search: String::new(),
            only_selection: false,
            rows: Vec::new(),
            computed: None,
            seen_highlight: 0,
            own_selection: false,
            scroll_to: None,
            anchor: None,
            first_visible: 0,
        }
    }
}

impl TableState {
    /// Scrolls the table so that this row is in the middle, on the next frame.
    pub fn scroll_to_row(&mut self, row: usize) {
        self.scroll_to = Some(row);
    }

    /// The first row on screen in the last frame.
    pub fn first_visible_row(&self) -> usize {
        self.first_visible
    }

    /// The rows as last shown.
    pub fn rows(&self) -> &[EventId] {
        &self.rows
    }

    /// Recomputes the rows if the window, filter, search, sort or (when only the selection
    /// is shown) the selection changed.
    fn refresh(&mut self, doc: &Document, highlight: &[EventId], generation: u64) {
        let query = EventQuery {
            window: doc.window(),
            filter: doc.counts.filter.clone(),
            search: self.search.clone(),
            sort: self.sort,
            ascending: self.ascending,
        };
        let restricted = self.only_selection.then_some(generation);
        let key = (query, restricted, (doc.dataset.len(), doc.data_generation));
        if self.computed.as_ref() == Some(&key) {
            return;
        }
        let among = self.only_selection.then_some(highlight);
        self.rows = key.0.run(&doc.dataset, among);
        self.computed = Some(key);
        self.anchor = None;
    }
}

/// Draws the search row and the table.
pub fn table_ui(
    ui: &mut Ui,
    doc: &Document,
    state: &mut TableState,
    highlight: &[EventId],
    generation: u64,
    commands: &mut Vec<Command>,
) {
    state.refresh(doc, highlight, generation);
    // A selection made elsewhere scrolls its first event into view.
    if generation != state.seen_highlight {
        state.seen_highlight = generation;
        if !std::mem::take(&mut state.own_selection) && !highlight.is_empty() {
            state.scroll_to = state
                .rows
                .iter()
                .position(|e| highlight.binary_search(e).is_ok());
        }
    }
    let ds = &doc.dataset;
    ui.horizontal(|ui| {
        ui.strong("Events");
        let label = ui.label("Search");
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .desired_width(220.0)
                .hint_text("title, actor, type, place, source"),
        )
        .labelled_by(label.id);
        if !state.search.is_empty() && ui.small_button("×").on_hover_text("Clear").clicked() {
            state.search.clear();
        }
        if ui
            .button("Add event…")
            .on_hover_text("Add an event by hand (Edit ▸ Undo takes it back)")
            .clicked()
        {
            commands.push(Command::EditEventDialog(None));
        }
        ui.checkbox(&mut state.only_selection, "Only the selection")
            .on_hover_text("List only the events of the selected actors, tie or events");
        ui.separator();
        let shown = state.rows.len();
        ui.label(format!(
            "{shown} row{} · {} selected",
            if shown == 1 { "" } else { "s" },
            highlight.len()
        ));
    });
    // Searching or sorting changed the rows: recount before drawing them.
    state.refresh(doc, highlight, generation);

    if state.scroll_to.is_some() {
        // The scroll area moves at the end of this frame: draw the next one to show it.
        ui.ctx().request_repaint();
    }
    // The count of events a row stands for, only where some row stands for several.
    let columns: &[EventColumn] = if ds.is_aggregated() {
        &EventColumn::AGGREGATED
    } else {
        &EventColumn::ALL
    };
    let mut builder = TableBuilder::new(ui)
        .id_salt("event-table")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::exact(96.0));
    if ds.is_aggregated() {
        builder = builder.column(Column::exact(60.0));
    }
    builder = builder
        .column(Column::initial(210.0).at_least(60.0).clip(true))
        .column(Column::initial(170.0).at_least(50.0).clip(true))
        .column(Column::initial(380.0).at_least(80.0).clip(true))
        .column(Column::initial(150.0).at_least(50.0).clip(true))
        .column(Column::remainder().at_least(60.0).clip(true))
        .min_scrolled_height(0.0)
        .auto_shrink([false, false]);
    if let Some(row) = state.scroll_to.take() {
        // A jump, not a glide: it can be a million rows away.
        builder = builder
            .scroll_to_row(row, Some(Align::Center))
            .animate_scrolling(false);
    }
    let mut clicked: Option<(usize, bool, bool)> = None;
    let mut open_url: Option<String> = None;
    let mut first_visible = None;
    builder
        .header(ROW_HEIGHT + 2.0, |mut header| {
            for &column in columns {
                header.col(|ui| {
                    let arrow = match (state.sort == column, state.ascending) {
                        (false, _) => "",
                        (true, true) => " ▲",
                        (true, false) => " ▼",
                    };
                    let text = RichText::new(format!("{}{arrow}", column.label())).strong();
                    let button = ui
                        .add(egui::Button::new(text).frame(false))
                        .on_hover_text(format!("Sort by {}", column.label().to_lowercase()));
                    if button.clicked() {
                        if state.sort == column {
                            state.ascending = !state.ascending;
                        } else {
                            state.sort = column;
                            state.ascending = true;
                        }
                    }
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, state.rows.len(), |mut row| {
                let i = row.index();
                first_visible.get_or_insert(i);
                let e = state.rows[i];
                row.set_selected(highlight.binary_search(&e).is_ok());
                let cell = |ui: &mut Ui, text: RichText| {
                    ui.add(egui::Label::new(text).selectable(false).truncate());
                };
                row.col(|ui| cell(ui, RichText::new(ds.date_of(e).to_string()).monospace()));
                if ds.is_aggregated() {
                    row.col(|ui| {
                        let n = ds.multiplicity(e);
                        let text = RichText::new(n.to_string()).monospace();
                        cell(ui, if n == 1 { text.weak() } else { text });
                    });
                }
                row.col(|ui| {
                    let names: Vec<&str> = ds
                        .actors_of(e)
                        .iter()
                        .map(|&a| ds.actors.get(a).name.as_str())
                        .collect();
                    cell(ui, RichText::new(names.join(" – ")));
                });
                row.col(|ui| {
                    let colour = theme::class_colour(ds.class[e as usize]);
                    cell(ui, RichText::new(ds.type_name(e)).color(colour));
                });
                row.col(|ui| match doc.notes.get(NoteSubject::Event(e)) {
                    // A noted event: a note mark before its title, the note on hover.
                    Some(note) => {
                        let [r, g, b, _] = NOTE_COLOUR;
                        let mut text = egui::text::LayoutJob::default();
                        let font = egui::TextStyle::Body.resolve(ui.style());
                        text.append(
                            "■ ",
                            0.0,
                            egui::TextFormat::simple(
                                font.clone(),
                                egui::Color32::from_rgb(r, g, b),
                            ),
                        );
                        text.append(
                            ds.title(e),
                            0.0,
                            egui::TextFormat::simple(font, ui.visuals().text_color()),
                        );
                        ui.add(egui::Label::new(text).selectable(false).truncate())
                            .on_hover_text(format!("Note: {note}"));
                    }
                    None => cell(ui, RichText::new(ds.title(e))),
                });
                row.col(|ui| cell(ui, RichText::new(ds.location(e))));
                row.col(|ui| cell(ui, RichText::new(ds.url(e)).weak()));
                let response = row.response();
                response.context_menu(|ui| {
                    if ui.button("Edit event…").clicked() {
                        commands.push(Command::EditEventDialog(Some(e)));
                    }
                    if ui.button("Delete event").clicked() {
                        commands.push(Command::Edit(crate::model::Edit::DeleteEvent { event: e }));
                    }
                });
                if response.double_clicked() {
                    open_url = Some(ds.url(e).to_string());
                } else if response.clicked() {
                    let (shift, command) = response
                        .ctx
                        .input(|i| (i.modifiers.shift, i.modifiers.command));
                    clicked = Some((i, shift, command));
                }
            });
        });

    state.first_visible = first_visible.unwrap_or(0);
    if let Some((i, shift, add)) = clicked {
        let events: Vec<EventId> = match (shift, state.anchor) {
            (true, Some(anchor)) => state.rows[anchor.min(i)..=anchor.max(i)].to_vec(),
            _ => vec![state.rows[i]],
        };
        if !shift {
            state.anchor = Some(i);
        }
        state.own_selection = true;
        commands.push(Command::SelectEvents(events, add || shift));
    }
    if let Some(url) = open_url {
        if url.starts_with("http://") || url.starts_with("https://") {
            ui.ctx().open_url(egui::OpenUrl::new_tab(url));
        } else if !url.is_empty() {
            commands.push(Command::Notify(format!(
                "The source is not a web link: {url}"
            )));
        }
    }
}
