//! The force layout on a worker thread: the UI sends it weight changes (a new time window or
//! filter) and pins, and takes the latest positions each frame, so the picture settles
//! while the user keeps working. Warm restarts start from the current positions, so the
//! picture does not jump when time moves.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::layout::Point;
use crate::layout::force::{ForceGraph, ForceLayout};
use crate::model::Dataset;

/// Steps after the last change before the worker rests even if not converged.
const MAX_STEPS_PER_CHANGE: usize = 600;
/// How often positions are handed to the UI while running.
const PUBLISH_EVERY: Duration = Duration::from_millis(15);

enum Message {
    Weights(Vec<f32>),
    Pin(usize, Point),
    Unpin(usize),
}

/// A running force layout; dropping it stops the thread.
pub struct ForceWorker {
    tx: Sender<Message>,
    latest: Arc<Mutex<Option<Vec<Point>>>>,
    /// Per pair, its events in the whole file: the base of the window multipliers.
    total_pair_events: Vec<u32>,
    ties: usize,
}

impl ForceWorker {
    /// Starts from `start` with the graph of `dataset` restricted to `window_pair_events`.
    pub fn start(
        dataset: &Dataset,
        start: &[Point],
        pinned: &[bool],
        window_pair_events: &[u32],
        repaint: impl Fn() + Send + 'static,
    ) -> Self {
        let graph = ForceGraph::of_dataset(dataset);
        // Events, like the window's counts it is divided into (aggregates count as many).
        let total_pair_events = dataset.pair_event_totals();
        let ties = graph.edges.len() - dataset.pairs.len();
        let (tx, rx) = channel();
        let latest = Arc::new(Mutex::new(None));
        let worker = Self {
            tx,
            latest: latest.clone(),
            total_pair_events,
            ties,
        };
        let mut layout = ForceLayout::new(&graph, start);
        layout.set_weights(&worker.multipliers(window_pair_events));
        for (node, &p) in pinned.iter().enumerate() {
            if p {
                layout.pin(node, start[node]);
            }
        }
        std::thread::Builder::new()
            .name("relmap-force".into())
            .spawn(move || run(layout, rx, latest, repaint))
            .expect("spawning the layout thread");
        worker
    }

    /// Per-edge multipliers for a window: a pair's weight becomes `1 + ln(events in the
    /// window)`, 0 when it has none there; ties to a country stay.
    fn multipliers(&self, window_pair_events: &[u32]) -> Vec<f32> {
        let weight = |c: u32| 1.0 + (c.max(1) as f32).ln();
        let mut m: Vec<f32> = self
            .total_pair_events
            .iter()
            .zip(window_pair_events)
            .map(|(&total, &now)| {
                if now == 0 {
                    0.0
                } else {
                    weight(now) / weight(total)
                }
            })
            .collect();
        m.resize(m.len() + self.ties, 1.0);
        m
    }

    /// The time window or the filters changed: warm restart with the new edge weights.
    pub fn set_window(&self, window_pair_events: &[u32]) {
        let _ = self
            .tx
            .send(Message::Weights(self.multipliers(window_pair_events)));
    }

    pub fn pin(&self, node: usize, at: Point) {
        let _ = self.tx.send(Message::Pin(node, at));
    }

    pub fn unpin(&self, node: usize) {
        let _ = self.tx.send(Message::Unpin(node));
    }

    /// The newest positions since the last call, if any.
    pub fn take_positions(&self) -> Option<Vec<Point>> {
        self.latest.lock().ok()?.take()
    }
}

fn run(
    mut layout: ForceLayout,
    rx: Receiver<Message>,
    latest: Arc<Mutex<Option<Vec<Point>>>>,
    repaint: impl Fn(),
) {
    let mut budget = MAX_STEPS_PER_CHANGE;
    let mut last_publish = Instant::now();
    loop {
        let resting = budget == 0 || layout.converged();
        let message = if resting {
            match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            }
        } else {
            match rx.try_recv() {
                Ok(m) => Some(m),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            }
        };
        if let Some(message) = message {
            match message {
                Message::Weights(w) => layout.set_weights(&w),
                Message::Pin(node, at) => layout.pin(node, at),
                Message::Unpin(node) => layout.unpin(node),
            }
            budget = MAX_STEPS_PER_CHANGE;
            continue;
        }
        layout.step();
        budget -= 1;
        let done = budget == 0 || layout.converged();
        if done || last_publish.elapsed() >= PUBLISH_EVERY {
            if let Ok(mut slot) = latest.lock() {
                *slot = Some(layout.positions_world());
            }
            last_publish = Instant::now();
            repaint();
        }
    }
}
