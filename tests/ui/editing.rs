//! Editing, all undoable: renames, kinds, countries, merges and splits, events added and rejected, moves and pins.

use super::*;

/// What the user can see of the data: every event with its actors, and every actor.
fn data_picture(harness: &Harness<'static, RelmapApp>) -> (Vec<String>, Vec<String>) {
    let ds = &harness.state().document().unwrap().dataset;
    let mut events: Vec<String> = (0..ds.len() as u32)
        .map(|e| {
            let names: Vec<&str> = ds
                .actors_of(e)
                .iter()
                .map(|&a| ds.actors.get(a).name.as_str())
                .collect();
            format!(
                "{} {names:?} {} {}",
                ds.date_of(e),
                ds.type_name(e),
                ds.title(e)
            )
        })
        .collect();
    events.sort();
    let actors = ds
        .actors
        .iter()
        .map(|(_, a)| {
            let country = a
                .affiliation
                .map(|c| ds.actors.get(c).name.clone())
                .unwrap_or_default();
            format!("{} {} {country}", a.name, a.kind.label())
        })
        .collect();
    (events, actors)
}

#[test]
fn every_kind_of_edit_is_undone_and_redone_from_the_keyboard() {
    use relmap::model::{ActorKind, Edit, NewEvent};
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let find = |name: &str| ds.actors.find(name).unwrap();
    let (khrenin, nasirzadeh, iran) = (
        find("Viktar Khrenin"),
        find("Aziz Nasirzadeh"),
        find("Iran"),
    );
    let new_event = NewEvent {
        date: PartialDate::ymd(2025, 6, 1).unwrap(),
        actors: vec![khrenin, iran],
        event_type: "consult".into(),
        title: "A call between Minsk and Tehran".into(),
        weight: 1.0,
        ..NewEvent::default()
    };
    let edits = vec![
        (
            "rename Viktar Khrenin",
            Command::Edit(Edit::RenameActor {
                actor: khrenin,
                name: "V. Khrenin".into(),
            }),
        ),
        (
            "set the kind of Viktar Khrenin",
            Command::Edit(Edit::SetKind {
                actor: khrenin,
                kind: ActorKind::Organisation,
            }),
        ),
        (
            "set the country of Viktar Khrenin",
            Command::Edit(Edit::SetCountry {
                actor: khrenin,
                country: Some(iran),
            }),
        ),
        (
            "merge Aziz Nasirzadeh into Viktar Khrenin",
            Command::Edit(Edit::Merge {
                keep: khrenin,
                merged: nasirzadeh,
            }),
        ),
        (
            "add event",
            Command::Edit(Edit::AddEvent { event: new_event }),
        ),
        (
            "edit event",
            Command::Edit(Edit::ChangeEvent {
                event: 4,
                with: relmap::model::event_record(ds, 4).with_title("Retitled"),
            }),
        ),
        (
            "delete event",
            Command::Edit(Edit::DeleteEvent { event: 2 }),
        ),
    ];
    for (label, command) in edits {
        let before = data_picture(&harness);
        apply(&mut harness, command);
        let after = data_picture(&harness);
        assert_ne!(after, before, "{label} changed the data");
        assert_eq!(harness.state().undo_label(), Some(label));
        // Undo from the Edit menu, which names the action.
        harness.get_by_label("Edit").click();
        harness.run_steps(3);
        harness
            .get_by_label_contains(&format!("Undo {label}"))
            .click();
        harness.run_steps(3);
        assert_eq!(data_picture(&harness), before, "{label} undone");
        harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        harness.run_steps(2);
        assert_eq!(data_picture(&harness), after, "{label} redone");
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run_steps(2);
        assert_eq!(data_picture(&harness), before);
    }
}

#[test]
fn moving_and_pinning_nodes_are_undone_in_one_step_each() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let belarus = ds.actors.find("Belarus").unwrap() as usize;
    let start = harness.state().document().unwrap().target[belarus];
    // A drag is many small moves: one step.
    for _ in 0..5 {
        apply(&mut harness, Command::MoveNode(belarus as u32, [10.0, 4.0]));
    }
    let doc = harness.state().document().unwrap();
    assert!(doc.pinned[belarus]);
    assert_ne!(doc.target[belarus], start);
    assert_eq!(harness.state().undo_label(), Some("move Belarus"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.target[belarus], start, "back where it was");
    assert!(!doc.pinned[belarus], "and not pinned");
    apply(&mut harness, Command::SetPinned(vec![belarus as u32], true));
    assert!(harness.state().document().unwrap().pinned[belarus]);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert!(!harness.state().document().unwrap().pinned[belarus]);
}

#[test]
fn an_event_added_in_the_editor_appears_in_the_table_and_on_the_map() {
    let mut harness = app(Vec::new());
    harness.get_by_label("Add event…").click();
    harness.run_steps(2);
    let set = |harness: &mut Harness<'static, RelmapApp>, label: &str, text: &str| {
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .click();
        harness.run_steps(1);
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
        harness.run_steps(1);
    };
    set(&mut harness, "Date", "2025-05-20");
    set(
        &mut harness,
        "Actors",
        "Belarus; Kazakhstan; Nikolai Ivanov",
    );
    set(&mut harness, "Title", "Trilateral talks in Astana");
    harness.get_by_label("OK").click();
    harness.run_steps(3);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.dataset.len(), 18);
    let kz = doc
        .dataset
        .actors
        .find("Kazakhstan")
        .expect("a new country");
    assert!(
        doc.counts.actor_events[kz as usize] > 0,
        "on the map in the window"
    );
    assert!(has_node(&harness, "Nikolai Ivanov"));
    let rows = harness.state().table_rows();
    assert!(
        rows.iter()
            .any(|&e| doc.dataset.title(e) == "Trilateral talks in Astana")
    );
    assert_eq!(harness.state().undo_label(), Some("add event"));
}

#[test]
fn a_merged_actor_is_split_off_again_from_the_inspector() {
    use relmap::model::Edit;
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let before = data_picture(&harness);
    let ds = &harness.state().document().unwrap().dataset;
    let (khrenin, nasirzadeh) = (
        ds.actors.find("Viktar Khrenin").unwrap(),
        ds.actors.find("Aziz Nasirzadeh").unwrap(),
    );
    apply(
        &mut harness,
        Command::Edit(Edit::Merge {
            keep: khrenin,
            merged: nasirzadeh,
        }),
    );
    // Something else happens after the merge: the split is not simply an undo.
    apply(&mut harness, Command::SetPinned(vec![khrenin], true));
    apply(&mut harness, Command::Select(Some(khrenin)));
    assert_ne!(data_picture(&harness), before);
    harness.get_by_label("Edit actor").click();
    harness.run_steps(2);
    harness
        .get_by_label("Split Aziz Nasirzadeh off again")
        .click();
    harness.run_steps(3);
    assert_eq!(data_picture(&harness), before, "the events went back");
    assert_eq!(
        harness.state().undo_label(),
        Some("split Aziz Nasirzadeh off")
    );
    assert!(harness.state().document().unwrap().pinned[khrenin as usize]);
}

#[test]
fn a_rejected_event_edit_adds_no_actors() {
    let mut harness = app(Vec::new());
    let actors_before = harness.state().document().unwrap().dataset.actors.len();
    harness.get_by_label("Add event…").click();
    harness.run_steps(2);
    let set = |harness: &mut Harness<'static, RelmapApp>, label: &str, text: &str| {
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .click();
        harness.run_steps(1);
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
        harness.run_steps(1);
    };
    set(&mut harness, "Date", "2025-05-20");
    // The end before the start: the edit is refused, after the names were read.
    set(&mut harness, "End date", "2024-01-01");
    set(&mut harness, "Actors", "Belarus; Nikolai Ivanov");
    harness.get_by_label("OK").click();
    harness.run_steps(3);
    assert_eq!(harness.state().error_title(), Some("Could not add event"));
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.dataset.len(), 17);
    assert_eq!(doc.dataset.actors.len(), actors_before);
    assert!(doc.dataset.actors.find("Nikolai Ivanov").is_none());
}

#[test]
fn events_accepted_from_an_article_join_the_map_as_one_undoable_step() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Import Article…").click();
    harness.run_steps(3);
    harness
        .state_mut()
        .load_article(&fixture("tests/fixtures/articles/dev-black-sea-talks.txt"));
    harness.run_steps(3);
    let (found, accepted) = harness.state().article_candidates().unwrap();
    assert!(
        found >= 3 && accepted >= 1,
        "{found} found, {accepted} accepted"
    );
    // Nothing is added before "Add".
    assert_eq!(harness.state().document().unwrap().dataset.len(), 17);
    harness
        .get_by_label(&format!("Add {accepted} events"))
        .click();
    harness.run_steps(3);
    assert!(
        harness.state().article_candidates().is_none(),
        "the dialog closed"
    );
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.dataset.len(), 17 + accepted);
    assert!(
        doc.dataset.actors.find("Ukraine").is_some() || doc.dataset.actors.find("Turkey").is_some()
    );
    assert_eq!(
        harness.state().undo_label(),
        Some(format!("add {accepted} events from the article").as_str())
    );
    apply(&mut harness, Command::Undo);
    assert_eq!(harness.state().document().unwrap().dataset.len(), 17);
}

#[test]
fn an_article_can_make_a_new_map_of_its_own() {
    let mut harness = app(Vec::new());
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Import Article…").click();
    harness.run_steps(3);
    harness
        .state_mut()
        .load_article(&fixture("tests/fixtures/articles/dev-black-sea-talks.txt"));
    harness.run_steps(3);
    let (_, accepted) = harness.state().article_candidates().unwrap();
    harness.get_by_label("as a new map").click();
    harness.run_steps(2);
    harness
        .get_by_label(&format!("New map of {accepted} events"))
        .click();
    harness.run_steps(3);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.name, "dev-black-sea-talks.txt");
    assert_eq!(doc.dataset.len(), accepted);
}

#[test]
fn a_candidate_corrected_to_existing_actors_joins_them() {
    let article = fixture("tests/fixtures/articles/dev-black-sea-talks.txt");
    let mut harness = app(Vec::new());
    // What the dialog will list first.
    let text = std::fs::read_to_string(&article).unwrap();
    let known = relmap::extract::known_actors(&harness.state().document().unwrap().dataset);
    let extraction = relmap::extract::extract(
        &text,
        &relmap::extract::ExtractOptions {
            publication_date: None,
            known_actors: &known,
            today: None,
        },
    );
    let first = &extraction.candidates[0];
    let names: Vec<&str> = first.actors.iter().map(|a| a.name.as_str()).collect();
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Import Article…").click();
    harness.run_steps(3);
    harness.state_mut().load_article(&article);
    harness.run_steps(3);
    harness.get_by_label(&names.join(" – ")).click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Actors")
        .click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Actors")
        .type_text("belarus; Iran");
    harness.run_steps(1);
    harness.get_by_label("Apply").click();
    harness.run_steps(2);
    let (_, accepted) = harness.state().article_candidates().unwrap();
    harness
        .get_by_label(&format!("Add {accepted} events"))
        .click();
    harness.run_steps(3);
    let ds = &harness.state().document().unwrap().dataset;
    let (belarus, iran) = (
        ds.actors.find("Belarus").unwrap(),
        ds.actors.find("Iran").unwrap(),
    );
    let event = (0..ds.len() as u32)
        .find(|&e| ds.title(e) == first.title)
        .expect("the corrected event was added");
    assert_eq!(ds.actors_of(event), &[belarus, iran]);
    // The article's names for them are their aliases now (where no actor had them).
    if names.len() == 2 {
        for (name, id) in names.iter().zip([belarus, iran]) {
            let found = ds.actors.find(name);
            assert!(
                found == Some(id) || known.iter().any(|k| k.name == *name),
                "{name} → {found:?}"
            );
        }
    }
}
