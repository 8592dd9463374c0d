//! The scenes of a document: saved views (window, filters, camera, selection) to present
//! in order. Recording, reordering and stepping through them, without a window.

use crate::workspace::SceneSpec;

/// The scenes recorded for a document, and the one shown last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenes {
    list: Vec<SceneSpec>,
    current: Option<usize>,
}

impl Scenes {
    pub fn list(&self) -> &[SceneSpec] {
        &self.list
    }

    /// The scene shown (or recorded) last.
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    pub fn current_scene(&self) -> Option<&SceneSpec> {
        self.current.and_then(|i| self.list.get(i))
    }

    /// The title a new scene gets: what the user typed, trimmed, else "Scene N".
    pub(super) fn title_for(&self, typed: &str) -> String {
        match typed.trim() {
            "" => format!("Scene {}", self.list.len() + 1),
            title => title.to_string(),
        }
    }

    pub(super) fn record(&mut self, scene: SceneSpec) {
        self.list.push(scene);
        self.current = Some(self.list.len() - 1);
    }

    /// Whether there was such a scene.
    pub(super) fn delete(&mut self, index: usize) -> bool {
        if index >= self.list.len() {
            return false;
        }
        self.list.remove(index);
        self.current = None;
        true
    }

    /// Moves a scene `by` places up (negative) or down the list; false when it cannot.
    pub(super) fn move_by(&mut self, index: usize, by: i32) -> bool {
        let to = index as i64 + by as i64;
        if index >= self.list.len() || to < 0 || to as usize >= self.list.len() {
            return false;
        }
        self.list.swap(index, to as usize);
        true
    }

    /// The scene `step` places from the current one (clamped to the list); from none, the
    /// first going forward and the last going back.
    pub(super) fn stepped(&self, step: i32) -> Option<usize> {
        if self.list.is_empty() {
            return None;
        }
        let last = self.list.len() as i64 - 1;
        Some(match self.current {
            Some(i) => (i as i64 + step as i64).clamp(0, last) as usize,
            None if step >= 0 => 0,
            None => last as usize,
        })
    }

    pub(super) fn show(&mut self, index: usize) -> Option<&SceneSpec> {
        let scene = self.list.get(index)?;
        self.current = Some(index);
        Some(scene)
    }

    pub(super) fn replace(&mut self, list: Vec<SceneSpec>) {
        self.list = list;
        self.current = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenes(titles: &[&str]) -> Scenes {
        let mut s = Scenes::default();
        for t in titles {
            s.record(SceneSpec {
                title: t.to_string(),
                ..SceneSpec::default()
            });
        }
        s
    }

    fn titles(s: &Scenes) -> Vec<&str> {
        s.list().iter().map(|s| s.title.as_str()).collect()
    }

    #[test]
    fn an_untitled_scene_is_numbered_and_a_title_is_trimmed() {
        let s = scenes(&["a"]);
        assert_eq!(s.title_for("  "), "Scene 2");
        assert_eq!(s.title_for(" Early contacts "), "Early contacts");
    }

    #[test]
    fn stepping_stays_within_the_list() {
        let mut s = scenes(&["a", "b", "c"]);
        s.current = None;
        assert_eq!(s.stepped(1), Some(0));
        assert_eq!(s.stepped(-1), Some(2));
        s.show(2);
        assert_eq!(s.stepped(1), Some(2));
        assert_eq!(s.stepped(-5), Some(0));
        assert_eq!(Scenes::default().stepped(1), None);
    }

    #[test]
    fn moving_and_deleting_refuse_what_is_not_there() {
        let mut s = scenes(&["a", "b", "c"]);
        assert!(s.move_by(0, 1));
        assert_eq!(titles(&s), ["b", "a", "c"]);
        assert!(!s.move_by(0, -1));
        assert!(!s.move_by(2, 1));
        assert!(!s.delete(3));
        assert!(s.delete(1));
        assert_eq!(titles(&s), ["b", "c"]);
        assert_eq!(s.current(), None);
    }
}
