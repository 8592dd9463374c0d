//! The one channel through which the app tells the user what happened: every save, export,
//! autosave failure and long action ends here. New notices show as toasts in the lower right
//! corner for a few seconds (errors stay until dismissed); all of them stay in a history that
//! the status bar shows the latest of and opens in full.

use std::time::{Duration, Instant};

use eframe::egui::{self, Align2, Color32, RichText};

/// How much a notice matters: errors stay on screen until dismissed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Warning,
    Error,
}

impl Level {
    fn colour(self, dark: bool) -> Color32 {
        match (self, dark) {
            (Level::Info, _) => Color32::from_rgb(0x56, 0x8f, 0xd8),
            (Level::Success, false) => Color32::from_rgb(0x1f, 0x8a, 0x4c),
            (Level::Success, true) => Color32::from_rgb(0x5c, 0xc2, 0x84),
            (Level::Warning, false) => Color32::from_rgb(0xb3, 0x6b, 0x00),
            (Level::Warning, true) => Color32::from_rgb(0xe6, 0xa2, 0x3c),
            (Level::Error, false) => Color32::from_rgb(0xc0, 0x2b, 0x2b),
            (Level::Error, true) => Color32::from_rgb(0xef, 0x6b, 0x6b),
        }
    }

    fn word(self) -> &'static str {
        match self {
            Level::Info => "Note",
            Level::Success => "Done",
            Level::Warning => "Warning",
            Level::Error => "Error",
        }
    }
}

/// One thing the user was told.
#[derive(Clone, Debug)]
pub struct Notice {
    pub level: Level,
    pub text: String,
    pub at: Instant,
    /// When it was said, as the user's clock shows it (for the history).
    pub clock: String,
    /// Still shown as a toast.
    toast: bool,
}

/// Seconds a toast stays (errors stay until dismissed).
const TOAST_SECONDS: f32 = 6.0;
/// Notices kept in the history.
const MAX_HISTORY: usize = 200;
/// Toasts shown at once; older ones leave the screen (they stay in the history).
const MAX_TOASTS: usize = 4;

/// The notices of this session, newest last.
#[derive(Default)]
pub struct Notifications {
    history: Vec<Notice>,
    show_history: bool,
}

impl Notifications {
    pub fn push(&mut self, level: Level, text: impl Into<String>) {
        self.add(level, text.into(), true);
    }

    /// Into the history (and stderr) without a toast: for a failure a window already shows.
    pub fn log(&mut self, level: Level, text: impl Into<String>) {
        self.add(level, text.into(), false);
    }

    fn add(&mut self, level: Level, text: String, toast: bool) {
        if level == Level::Error || level == Level::Warning {
            eprintln!("relmap: {text}");
        }
        let clock = jiff::Zoned::now().strftime("%H:%M:%S").to_string();
        self.history.push(Notice {
            level,
            text,
            at: Instant::now(),
            clock,
            toast,
        });
        if self.history.len() > MAX_HISTORY {
            self.history.remove(0);
        }
        let shown = self.history.iter().filter(|n| n.toast).count();
        if shown > MAX_TOASTS {
            let extra = shown - MAX_TOASTS;
            for n in self.history.iter_mut().filter(|n| n.toast).take(extra) {
                n.toast = false;
            }
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Level::Info, text);
    }

    pub fn success(&mut self, text: impl Into<String>) {
        self.push(Level::Success, text);
    }

    pub fn warning(&mut self, text: impl Into<String>) {
        self.push(Level::Warning, text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Level::Error, text);
    }

    /// Every notice of the session, oldest first.
    pub fn history(&self) -> &[Notice] {
        &self.history
    }

    pub fn latest(&self) -> Option<&Notice> {
        self.history.last()
    }

    /// The notices still on screen as toasts.
    pub fn toasts(&self) -> impl Iterator<Item = &Notice> {
        self.history.iter().filter(|n| n.toast)
    }

    pub fn toggle_history(&mut self) {
        self.show_history = !self.show_history;
    }

    /// Retires toasts whose time is up; errors stay until dismissed.
    fn expire(&mut self, now: Instant) -> Option<Duration> {
        let life = Duration::from_secs_f32(TOAST_SECONDS);
        let mut next: Option<Duration> = None;
        for n in self.history.iter_mut().filter(|n| n.toast) {
            if n.level == Level::Error {
                continue;
            }
            let age = now.saturating_duration_since(n.at);
            if age >= life {
                n.toast = false;
            } else {
                let left = life - age;
                next = Some(next.map_or(left, |d| d.min(left)));
            }
        }
        next
    }

    /// The status bar's part: the latest notice, which opens the history when clicked.
    pub fn status_ui(&mut self, ui: &mut egui::Ui) {
        let Some(latest) = self.history.last() else {
            return;
        };
        let dark = ui.visuals().dark_mode;
        let text = RichText::new(format!("{}: {}", latest.level.word(), latest.text))
            .color(latest.level.colour(dark));
        let response = ui
            .add(
                egui::Label::new(text)
                    .truncate()
                    .sense(egui::Sense::click()),
            )
            .on_hover_text("Click for every message of this session");
        if response.clicked() {
            self.show_history = !self.show_history;
        }
    }

    /// Toasts (lower right) and the history window. Asks for a repaint only when a toast
    /// is due to leave, so a quiet window stays quiet.
    pub fn show(&mut self, ctx: &egui::Context, bottom_margin: f32) {
        if let Some(wait) = self.expire(Instant::now()) {
            ctx.request_repaint_after(wait + Duration::from_millis(20));
        }
        let dark = ctx.global_style().visuals.dark_mode;
        let mut dismiss: Option<usize> = None;
        let toasts: Vec<(usize, Level, String)> = self
            .history
            .iter()
            .enumerate()
            .filter(|(_, n)| n.toast)
            .map(|(i, n)| (i, n.level, n.text.clone()))
            .collect();
        if !toasts.is_empty() {
            egui::Area::new(egui::Id::unique("relmap-toasts"))
                .anchor(Align2::RIGHT_BOTTOM, [-12.0, -bottom_margin - 12.0])
                .order(egui::Order::Foreground)
                .interactable(true)
                .show(ctx, |ui| {
                    ui.set_max_width(420.0);
                    for (i, level, text) in toasts {
                        egui::Frame::popup(ui.style())
                            .stroke(egui::Stroke::new(1.5, level.colour(dark)))
                            .show(ui, |ui| {
                                ui.set_max_width(400.0);
                                ui.horizontal(|ui| {
                                    ui.label(
                                        RichText::new(level.word())
                                            .strong()
                                            .color(level.colour(dark)),
                                    );
                                    ui.add(egui::Label::new(&text).wrap());
                                    if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                                        dismiss = Some(i);
                                    }
                                });
                            });
                        ui.add_space(4.0);
                    }
                });
        }
        if let Some(i) = dismiss {
            self.history[i].toast = false;
        }
        let mut open = self.show_history;
        if open {
            egui::Window::new("Messages")
                .open(&mut open)
                .default_size([560.0, 320.0])
                .show(ctx, |ui| {
                    egui::ScrollArea::vertical()
                        .stick_to_bottom(true)
                        .show(ui, |ui| {
                            for n in &self.history {
                                ui.horizontal_wrapped(|ui| {
                                    ui.label(RichText::new(&n.clock).weak().monospace());
                                    ui.label(
                                        RichText::new(n.level.word())
                                            .strong()
                                            .color(n.level.colour(dark)),
                                    );
                                    ui.label(&n.text);
                                });
                            }
                        });
                });
            self.show_history = open;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toasts_expire_but_errors_stay_and_history_keeps_all() {
        let mut n = Notifications::default();
        n.success("Saved a.relmap");
        n.error("Could not save b.relmap: permission denied");
        assert_eq!(n.toasts().count(), 2);
        let later = Instant::now() + Duration::from_secs_f32(TOAST_SECONDS + 1.0);
        assert_eq!(n.expire(later), None);
        let left: Vec<_> = n.toasts().map(|t| t.level).collect();
        assert_eq!(left, vec![Level::Error]);
        assert_eq!(n.history().len(), 2);
        assert_eq!(n.latest().unwrap().level, Level::Error);
    }

    #[test]
    fn at_most_a_few_toasts_at_once() {
        let mut n = Notifications::default();
        for i in 0..10 {
            n.info(format!("step {i}"));
        }
        assert_eq!(n.toasts().count(), MAX_TOASTS);
        assert_eq!(n.toasts().last().unwrap().text, "step 9");
        assert_eq!(n.history().len(), 10);
    }

    #[test]
    fn a_pending_toast_asks_for_a_wake_up_before_it_leaves() {
        let mut n = Notifications::default();
        n.info("hello");
        let wait = n.expire(Instant::now()).expect("a toast is due to leave");
        assert!(wait <= Duration::from_secs_f32(TOAST_SECONDS));
    }
}
