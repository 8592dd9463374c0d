//! Notes: added in the inspector, drawn on the map (and so in its exports), undone with
//! Ctrl+Z, saved with the workspace and read back.

use super::*;
use relmap::model::NoteSubject;
use relmap::ui::Command;

const TEXT: &str = "Khrenin's visit: check the date in the MoD's own release";

#[test]
fn a_note_added_in_the_inspector_is_on_the_map_and_survives_saving() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(Vec::new());
    let belarus = harness
        .state()
        .document()
        .unwrap()
        .dataset
        .actors
        .find("Belarus")
        .unwrap();
    apply(&mut harness, Command::Select(Some(belarus)));

    harness.get_by_label("Add note…").click();
    harness.run_steps(2);
    let field = harness.get_by_role(Role::MultilineTextInput);
    field.click();
    harness.run_steps(1);
    harness
        .get_by_role(Role::MultilineTextInput)
        .type_text(TEXT);
    harness.run_steps(1);
    harness.get_by_label("Save note").click();
    harness.run_steps(3);

    let note = |h: &Harness<'static, RelmapApp>| {
        let doc = h.state().document().unwrap();
        let b = doc.dataset.actors.find("Belarus").unwrap();
        doc.notes.get(NoteSubject::Actor(b)).map(str::to_string)
    };
    assert_eq!(note(&harness).as_deref(), Some(TEXT));
    assert!(harness.state().has_unsaved_changes());
    assert_eq!(harness.state().undo_label(), Some("add a note to Belarus"));
    // The inspector shows it, with what can be done to it.
    harness.get_by_label(TEXT);
    harness.get_by_label("Edit note");
    harness.get_by_label("Remove note");

    // On the map: the picture the map draws (and exports) has its callout.
    let svg_path = dir.path().join("map.svg");
    apply(&mut harness, Command::ExportImage(svg_path.clone()));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.contains(r#"<g id="note-marks""#), "a mark by Belarus");
    assert!(svg.contains("check the date"), "the callout's text: {svg}");

    // Ctrl+Z takes it away, Ctrl+Shift+Z brings it back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(note(&harness), None);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(2);
    assert_eq!(note(&harness).as_deref(), Some(TEXT));

    let path = dir.path().join("noted.relmap");
    apply(&mut harness, Command::SaveWorkspace(path.clone()));
    assert!(!harness.state().has_unsaved_changes());
    drop(harness);

    let mut reopened = app(vec![path]);
    assert_eq!(note(&reopened).as_deref(), Some(TEXT));
    let belarus = reopened
        .state()
        .document()
        .unwrap()
        .dataset
        .actors
        .find("Belarus")
        .unwrap();
    apply(&mut reopened, Command::Select(Some(belarus)));
    reopened.get_by_label(TEXT);
    // Edited from the inspector, saved with Ctrl+Enter.
    reopened.get_by_label("Edit note").click();
    reopened.run_steps(2);
    reopened
        .get_by_role(Role::MultilineTextInput)
        .type_text(" (done)");
    reopened.run_steps(1);
    reopened.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    reopened.run_steps(2);
    assert_eq!(note(&reopened), Some(format!("{TEXT} (done)")));
    assert_eq!(
        reopened.state().undo_label(),
        Some("edit the note on Belarus")
    );
    // Removed from the inspector: one more undoable step.
    reopened.get_by_label("Remove note").click();
    reopened.run_steps(2);
    assert_eq!(note(&reopened), None);
    assert_eq!(
        reopened.state().undo_label(),
        Some("remove the note on Belarus")
    );
}

#[test]
fn a_noted_event_is_marked_in_the_table() {
    let mut harness = app(Vec::new());
    let e = 5;
    apply(
        &mut harness,
        Command::SetNote {
            subject: NoteSubject::Event(e),
            text: "Only one source".into(),
        },
    );
    apply(&mut harness, Command::SelectEvents(vec![e], false));
    // The inspector's event view shows the note; the table's row carries the mark.
    harness.get_by_label("Only one source");
    let title = harness
        .state()
        .document()
        .unwrap()
        .dataset
        .title(e)
        .to_string();
    harness.get_by_label(&format!("■ {title}"));
}
