//! Every menu action defined once: its label, its keyboard shortcut, whether it needs an open
//! document and whether it stays off while the user types. The menus, the key handling and
//! the shortcut help are all built from [`ACTIONS`], so a shortcut shown in a menu is the one
//! that works, and a test catches two actions on one shortcut.
//!
//! egui's `consume_shortcut` ignores an extra Shift (Ctrl+O also matches Ctrl+Shift+O), so
//! shortcuts are tried most specific first: more modifiers before fewer.

use eframe::egui::{self, InputState, Key, KeyboardShortcut, Modifiers};

use crate::layout::LayoutKind;

/// A user action that has a menu entry or a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Open,
    OpenSample,
    Save,
    SaveAs,
    ExportImage,
    ExportEvents,
    ExportNetwork,
    ExportAnimation,
    ImportArticle,
    BuildIndex,
    Quit,
    Undo,
    Redo,
    AddEvent,
    AddNote,
    FindActor,
    FitView,
    Diagnostics,
    Messages,
    FiltersPanel,
    EventTable,
    ActorsPanel,
    Scenes,
    Present,
    FullScreen,
    Layout(LayoutKind),
    PlayPause,
    KeyboardShortcuts,
}

/// How an action is shown and reached.
#[derive(Clone, Copy, Debug)]
pub struct ActionDef {
    pub action: Action,
    /// The menu label (an ellipsis when it asks something first).
    pub label: &'static str,
    pub shortcut: Option<KeyboardShortcut>,
    /// A second shortcut (Ctrl+Y for redo, as on Windows).
    pub alternative: Option<KeyboardShortcut>,
    /// Only with a document open.
    pub needs_document: bool,
    /// Its shortcut is a plain key, or one a text field uses: off while typing.
    pub not_while_typing: bool,
}

const fn def(action: Action, label: &'static str, shortcut: Option<KeyboardShortcut>) -> ActionDef {
    ActionDef {
        action,
        label,
        shortcut,
        alternative: None,
        needs_document: false,
        not_while_typing: false,
    }
}

const fn key(modifiers: Modifiers, key: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(modifiers, key))
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const NONE: Modifiers = Modifiers::NONE;

const fn with_document(mut d: ActionDef) -> ActionDef {
    d.needs_document = true;
    d
}

const fn not_while_typing(mut d: ActionDef) -> ActionDef {
    d.not_while_typing = true;
    d
}

/// Every action, in menu order.
pub const ACTIONS: &[ActionDef] = &[
    def(Action::Open, "Open…", key(CMD, Key::O)),
    def(
        Action::OpenSample,
        "Open Bundled Sample",
        key(CMD_SHIFT, Key::O),
    ),
    with_document(def(Action::Save, "Save", key(CMD, Key::S))),
    with_document(def(Action::SaveAs, "Save As…", key(CMD_SHIFT, Key::S))),
    with_document(def(Action::ExportImage, "Export Image…", key(CMD, Key::E))),
    with_document(def(
        Action::ExportEvents,
        "Export Events…",
        key(CMD_SHIFT, Key::E),
    )),
    def(Action::ImportArticle, "Import Article…", None),
    def(Action::BuildIndex, "Build Index…", None),
    with_document(def(Action::ExportNetwork, "Export Network (GEXF)…", None)),
    with_document(def(Action::ExportAnimation, "Export Animation…", None)),
    def(Action::Quit, "Quit", key(CMD, Key::Q)),
    not_while_typing(def(Action::Undo, "Undo", key(CMD, Key::Z))),
    ActionDef {
        alternative: key(CMD, Key::Y),
        ..not_while_typing(def(Action::Redo, "Redo", key(CMD_SHIFT, Key::Z)))
    },
    with_document(def(Action::AddEvent, "Add Event…", key(CMD_SHIFT, Key::A))),
    with_document(def(Action::AddNote, "Add Note…", key(CMD_SHIFT, Key::N))),
    with_document(def(Action::FindActor, "Find Actor", key(CMD, Key::F))),
    not_while_typing(def(Action::FitView, "Fit Map to Window", key(NONE, Key::F))),
    def(Action::Diagnostics, "Diagnostics", key(CMD_SHIFT, Key::D)),
    def(Action::Messages, "Messages", key(CMD_SHIFT, Key::M)),
    def(
        Action::FiltersPanel,
        "Filters Panel",
        key(CMD_SHIFT, Key::L),
    ),
    def(Action::EventTable, "Event Table", key(CMD_SHIFT, Key::T)),
    with_document(def(
        Action::ActorsPanel,
        "Actors and Metrics",
        key(CMD_SHIFT, Key::K),
    )),
    def(Action::Scenes, "Scenes…", key(CMD_SHIFT, Key::P)),
    with_document(def(Action::Present, "Present", key(NONE, Key::F5))),
    def(Action::FullScreen, "Full Screen", key(NONE, Key::F11)),
    with_document(def(
        Action::Layout(LayoutKind::Geographic),
        "Geographic",
        key(CMD, Key::Num1),
    )),
    with_document(def(
        Action::Layout(LayoutKind::Force),
        "Force-directed",
        key(CMD, Key::Num2),
    )),
    with_document(def(
        Action::Layout(LayoutKind::Circle),
        "Circle",
        key(CMD, Key::Num3),
    )),
    with_document(def(
        Action::Layout(LayoutKind::Grouped),
        "Grouped by country",
        key(CMD, Key::Num4),
    )),
    with_document(def(
        Action::Layout(LayoutKind::Communities),
        "Grouped by community",
        key(CMD, Key::Num5),
    )),
    not_while_typing(with_document(def(
        Action::PlayPause,
        "Play or Pause",
        key(NONE, Key::Space),
    ))),
    def(
        Action::KeyboardShortcuts,
        "Keyboard Shortcuts",
        key(NONE, Key::F1),
    ),
];

/// The definition of `action`.
pub fn get(action: Action) -> &'static ActionDef {
    ACTIONS
        .iter()
        .find(|d| d.action == action)
        .expect("every action is in ACTIONS")
}

/// A menu entry for `action`, with its shortcut; true when clicked.
pub fn menu_item(ui: &mut egui::Ui, action: Action, enabled: bool) -> bool {
    menu_item_labelled(ui, action, get(action).label, enabled)
}

/// [`menu_item`] with a label of the moment ("Undo Rename Belarus").
pub fn menu_item_labelled(ui: &mut egui::Ui, action: Action, label: &str, enabled: bool) -> bool {
    let mut button = egui::Button::new(label);
    if let Some(shortcut) = get(action).shortcut {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    ui.add_enabled(enabled, button).clicked()
}

/// A checkable menu entry (a panel shown or not).
pub fn menu_toggle(ui: &mut egui::Ui, action: Action, on: bool) -> bool {
    let d = get(action);
    let mut button = egui::Button::selectable(on, d.label);
    if let Some(shortcut) = d.shortcut {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    ui.add(button).clicked()
}

/// Number of modifiers a shortcut needs: the more, the more specific.
fn specificity(shortcut: &KeyboardShortcut) -> u32 {
    let m = shortcut.modifiers;
    u32::from(m.alt) + u32::from(m.shift) + u32::from(m.ctrl || m.command || m.mac_cmd)
}

/// Every shortcut with its action, most specific first.
fn shortcuts_by_specificity() -> Vec<(KeyboardShortcut, &'static ActionDef)> {
    let mut all: Vec<(KeyboardShortcut, &ActionDef)> = ACTIONS
        .iter()
        .flat_map(|d| {
            d.shortcut
                .into_iter()
                .chain(d.alternative)
                .map(move |s| (s, d))
        })
        .collect();
    all.sort_by_key(|(s, _)| std::cmp::Reverse(specificity(s)));
    all
}

/// Takes this frame's shortcut presses out of the input, the most specific first, and
/// returns their actions in that order. `typing`: a text field has the keyboard.
/// `has_document`: actions that need one are left alone without one.
pub fn consume_shortcuts(input: &mut InputState, typing: bool, has_document: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    for (shortcut, d) in shortcuts_by_specificity() {
        if (typing && d.not_while_typing) || (d.needs_document && !has_document) {
            continue;
        }
        if input.consume_shortcut(&shortcut) {
            actions.push(d.action);
        }
    }
    actions
}

/// Rows of the shortcut help: the keys as this platform writes them, and the label.
pub fn help_rows(ctx: &egui::Context) -> Vec<(String, &'static str)> {
    ACTIONS
        .iter()
        .filter_map(|d| {
            let keys = d.shortcut?;
            let mut text = ctx.format_shortcut(&keys);
            if let Some(other) = d.alternative {
                text = format!("{text} or {}", ctx.format_shortcut(&other));
            }
            Some((text, d.label))
        })
        .collect()
}

/// Help ▸ Keyboard Shortcuts: generated from [`ACTIONS`], then the gestures that have no
/// menu entry.
pub fn shortcuts_window(ctx: &egui::Context, open: &mut bool) {
    // Generated from the actions table, then the gestures that are no menu entry.
    let rows: Vec<(String, &str)> = help_rows(ctx)
        .into_iter()
        .chain([
            (
                "Esc".to_string(),
                "Clear the focus or selection; end presenting",
            ),
            ("→ ←".to_string(), "Next or previous scene, when presenting"),
            (
                "Shift+click".to_string(),
                "Add to the selection (map and table)",
            ),
            ("Shift+drag".to_string(), "Select with a box on the map"),
            (
                "Double-click".to_string(),
                "Focus on an actor's neighbourhood",
            ),
        ])
        .collect();
    egui::Window::new("Keyboard Shortcuts")
        .open(open)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in &rows {
                        ui.label(egui::RichText::new(keys).monospace().strong());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let all = shortcuts_by_specificity();
        for (i, (a, da)) in all.iter().enumerate() {
            for (b, db) in &all[i + 1..] {
                assert!(a != b, "{:?} and {:?} both use {a:?}", da.action, db.action);
            }
        }
    }

    #[test]
    fn every_action_is_defined_once() {
        for (i, a) in ACTIONS.iter().enumerate() {
            assert!(
                ACTIONS[i + 1..].iter().all(|b| b.action != a.action),
                "{:?} twice",
                a.action
            );
        }
        for kind in LayoutKind::ALL {
            assert_eq!(get(Action::Layout(kind)).label, kind.label());
        }
    }

    /// The actions a frame with these key presses gives.
    fn pressed(keys: &[(Modifiers, Key)], typing: bool) -> Vec<Action> {
        let ctx = egui::Context::default();
        let events = keys
            .iter()
            .map(|&(modifiers, key)| egui::Event::Key {
                key,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers,
            })
            .collect();
        let mut actions = Vec::new();
        let mut output = ctx.run_ui(
            egui::RawInput {
                events,
                ..Default::default()
            },
            |ui| actions = ui.input_mut(|i| consume_shortcuts(i, typing, true)),
        );
        output.textures_delta.clear();
        actions
    }

    #[test]
    fn the_most_specific_shortcut_wins() {
        // Ctrl+O matches Ctrl+Shift+O too in egui: the sample must win, not the dialog.
        assert_eq!(
            pressed(&[(CMD_SHIFT, Key::O)], false),
            vec![Action::OpenSample]
        );
        assert_eq!(pressed(&[(CMD, Key::O)], false), vec![Action::Open]);
        assert_eq!(pressed(&[(CMD_SHIFT, Key::S)], false), vec![Action::SaveAs]);
        assert_eq!(pressed(&[(CMD_SHIFT, Key::Z)], false), vec![Action::Redo]);
        assert_eq!(pressed(&[(CMD, Key::Y)], false), vec![Action::Redo]);
        assert_eq!(pressed(&[(CMD, Key::Z)], false), vec![Action::Undo]);
    }

    #[test]
    fn plain_keys_are_left_to_text_fields() {
        assert_eq!(pressed(&[(NONE, Key::F)], false), vec![Action::FitView]);
        assert!(pressed(&[(NONE, Key::F)], true).is_empty());
        assert!(pressed(&[(NONE, Key::Space)], true).is_empty());
        // Saving works while typing.
        assert_eq!(pressed(&[(CMD, Key::S)], true), vec![Action::Save]);
    }
}
