//! Scenes and presenting.

use super::*;

#[test]
fn recorded_scenes_are_presented_with_the_arrow_keys_and_saved_with_the_workspace() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("briefing.relmap");
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let belarus = ds.actors.find("Belarus").unwrap();
    let early = TimeWindow::new(ds.start[1], ds.start[6]);
    let late = TimeWindow::new(ds.start[10], ds.start[16]);
    apply(&mut harness, Command::SetWindow(early));
    apply(&mut harness, Command::Select(Some(belarus)));
    apply(
        &mut harness,
        Command::RecordScene {
            title: "Early contacts".into(),
            camera: None,
        },
    );
    apply(&mut harness, Command::Select(None));
    apply(&mut harness, Command::SetWindow(late));
    apply(
        &mut harness,
        Command::RecordScene {
            title: "The 2025 agreements".into(),
            camera: None,
        },
    );
    assert_eq!(harness.state().scenes().len(), 2);

    // Present: the first scene, full screen, its title large.
    harness.key_press(Key::F5);
    harness.run_steps(6);
    assert!(harness.state().is_presenting());
    harness.get_by_label("Early contacts");
    assert_eq!(harness.state().document().unwrap().window(), early);
    assert_eq!(harness.state().selection(), &[belarus]);
    harness.key_press(Key::ArrowRight);
    harness.run_steps(2);
    let midway = harness.state().document().unwrap().window();
    assert_ne!(midway, early, "the window glides");
    harness.run_steps(4);
    assert_eq!(harness.state().document().unwrap().window(), late);
    harness.get_by_label("The 2025 agreements");
    harness.key_press(Key::ArrowLeft);
    harness.run_steps(6);
    assert_eq!(harness.state().document().unwrap().window(), early);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().is_presenting());

    apply(&mut harness, Command::SaveWorkspace(path.clone()));
    drop(harness);
    let reopened = app(vec![path]);
    let titles: Vec<&str> = reopened
        .state()
        .scenes()
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["Early contacts", "The 2025 agreements"]);
}

#[test]
fn a_scene_title_typed_just_before_record_keeps_every_character() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    apply(&mut harness, Command::ShowScenes(true));
    harness
        .get_by_role_and_label(Role::TextInput, "Title")
        .click();
    harness.run_steps(1);
    // The last keys and the click land in one frame, as on a slow (software-rendered)
    // display: kittest's own helpers give each event a frame, so the events go in as one.
    let button = harness.get_by_label("Record Scene").rect().center();
    let press = |pressed| egui::Event::PointerButton {
        pos: button,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    harness.input_mut().events.extend([
        egui::Event::Text("Belt of Secu".into()),
        egui::Event::Text("rity".into()),
        egui::Event::PointerMoved(button),
        press(true),
        press(false),
    ]);
    harness.step();
    harness.run_steps(3);
    let titles: Vec<&str> = harness
        .state()
        .scenes()
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, vec!["Belt of Security"]);
}
