//! Works out the time window's network metrics on a worker thread whenever the window, the
//! filters or the data change, while they are wanted (the Actors panel is open, or the map
//! sizes or colours nodes by them). One computation at a time: while the window moves
//! (playback, a drag) the latest window is computed next, the ones passed over are skipped.
//! Community ids are carried from window to window so that colours stay put.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

use eframe::egui;

use crate::analysis::{CommunityTracker, MetricsKey, WindowMetrics};
use crate::session::Document;

/// The latest metrics and the computation under way.
#[derive(Default)]
pub struct MetricsWorker {
    current: Option<(MetricsKey, Arc<WindowMetrics>)>,
    running: Option<(MetricsKey, Receiver<WindowMetrics>, Instant)>,
    tracker: CommunityTracker,
    /// How long the last computation took, in seconds.
    last_seconds: Option<f64>,
}

fn key_of(doc: &Document) -> MetricsKey {
    MetricsKey {
        data_generation: doc.data_generation,
        window: doc.window(),
        filter: doc.counts.filter.clone(),
    }
}

impl MetricsWorker {
    /// Takes a finished computation and starts the next one if the document's window is not
    /// the one computed (only when `wanted`). True when new metrics arrived.
    pub fn update(&mut self, ctx: &egui::Context, doc: &Document, wanted: bool) -> bool {
        let mut arrived = false;
        if let Some((key, receiver, started)) = &self.running
            && let Ok(mut metrics) = receiver.try_recv()
        {
            metrics.track(&mut self.tracker);
            self.last_seconds = Some(started.elapsed().as_secs_f64());
            self.current = Some((key.clone(), Arc::new(metrics)));
            self.running = None;
            arrived = true;
        }
        let key = key_of(doc);
        let up_to_date = self.current.as_ref().is_some_and(|(k, _)| *k == key);
        if wanted && !up_to_date && self.running.is_none() {
            let dataset = Arc::clone(&doc.dataset);
            let counts = doc.counts.clone();
            let (sender, receiver) = channel();
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                let _ = sender.send(WindowMetrics::compute(&dataset, &counts));
                ctx.request_repaint();
            });
            self.running = Some((key, receiver, Instant::now()));
        }
        arrived
    }

    /// The latest metrics, of this window or (while the next are worked out) a recent one.
    pub fn metrics(&self) -> Option<&WindowMetrics> {
        self.current.as_ref().map(|(_, m)| m.as_ref())
    }

    /// Whether the metrics shown are for the document's current window and filters.
    pub fn is_current(&self, doc: &Document) -> bool {
        self.current
            .as_ref()
            .is_some_and(|(k, _)| *k == key_of(doc))
    }

    pub fn last_seconds(&self) -> Option<f64> {
        self.last_seconds
    }

    /// A new document: nothing carries over.
    pub fn reset(&mut self) {
        *self = Self::default();
    }
}
