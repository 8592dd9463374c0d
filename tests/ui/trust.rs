//! What makes the core trustworthy: a window at rest asks for no frames; every failure says what failed and why.

use super::*;

/// The app on the sample, allowed enough steps for its animations to end.
fn settling_app(files: Vec<PathBuf>) -> Harness<'static, RelmapApp> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(120)
        .wgpu()
        .build_eframe(move |cc| RelmapApp::new(cc, files, LoadOptions::default()));
    wait_until_loaded(&mut harness);
    harness
}

#[test]
fn an_untouched_window_stops_asking_for_frames() {
    let mut harness = settling_app(Vec::new());
    // `try_run` steps until no frame asks for another; a window that repaints every frame
    // (the title sent as a viewport command each frame did) never gets there.
    let settled = harness.try_run();
    assert!(settled.is_ok(), "{}", settled.unwrap_err());
    // And stays quiet: another frame, unprompted, asks for nothing immediate either.
    let again = harness.try_run();
    assert_eq!(again.ok(), Some(1), "one frame, then quiet");
}

#[test]
fn a_failed_export_says_what_failed_and_why_in_the_window() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("no/such/folder/map.png");
    apply(&mut harness, Command::ExportImage(nowhere));
    assert_eq!(
        harness.state().error_title(),
        Some("Could not export the map")
    );
    assert!(harness.state().error().unwrap().contains("map.png"));
    // The window and the status bar's history both say it.
    harness.get_by_label("Could not export the map");
    assert!(
        harness
            .state()
            .notices()
            .iter()
            .any(|n| n.text.contains("Could not export the map"))
    );
    // A success is said too (it used to go to a message nothing drew).
    apply(&mut harness, Command::DismissError);
    let png = dir.path().join("map.png");
    apply(&mut harness, Command::ExportImage(png.clone()));
    assert!(png.exists());
    assert!(
        harness
            .get_all_by_label_contains("Saved the map as")
            .count()
            >= 1
    );
}
