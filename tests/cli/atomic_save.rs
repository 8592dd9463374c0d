//! Killing relmap while it saves never leaves a broken file: `relmap convert` is killed at
//! random moments while it writes a workspace over an older one, many times; afterwards the
//! file always opens, with either the old events or the new, all of them.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// A native CSV of `n` events.
fn write_events(path: &Path, n: usize, tag: &str) {
    let mut text = String::from("date,actor1,actor2,type,title,location,url\n");
    for i in 0..n {
        text.push_str(&format!(
            "{}-{:02}-{:02},Person {} ({tag}),Person {},consult,\"Meeting {i}, with notes\",Minsk,https://example.org/{i}\n",
            2000 + i % 25,
            1 + i % 12,
            1 + i % 28,
            i % 300,
            (i * 7) % 300
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn events_in(path: &Path) -> Result<usize, String> {
    relmap::workspace::open(path, &relmap::io::Progress::new())
        .map(|(loaded, _)| loaded.dataset.len())
        .map_err(|e| e.to_string())
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let (na, nb) = (12_000, 18_000);
    write_events(&a, na, "a");
    write_events(&b, nb, "b");
    let out = dir.path().join("work.relmap");
    let exe = env!("CARGO_BIN_EXE_relmap");
    let save = |input: &Path| {
        let status = Command::new(exe)
            .arg("convert")
            .arg(input)
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success(), "{status:?}");
    };

    // Complete saves first, timed: the kills are spread over the longer one and a bit more.
    save(&b);
    assert_eq!(events_in(&out), Ok(nb));
    let started = Instant::now();
    save(&a);
    let full = started.elapsed().mul_f64(nb as f64 / na as f64);
    assert_eq!(events_in(&out), Ok(na));

    let mut current = na;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let (mut killed_while_running, mut kept_old, mut got_new) = (0, 0, 0);
    for round in 0..24 {
        let (input, n_new) = if current == na { (&b, nb) } else { (&a, na) };
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = full.mul_f64((seed % 1000) as f64 / 1000.0 * 1.3);
        let mut child = Command::new(exe)
            .arg("convert")
            .arg(input)
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        let n = events_in(&out).unwrap_or_else(|e| panic!("round {round}: {e}"));
        if n == current {
            kept_old += 1;
        } else {
            assert_eq!(n, n_new, "round {round}: neither the old nor the new file");
            got_new += 1;
        }
        current = n;
    }
    eprintln!(
        "{killed_while_running} of 24 saves killed while running; {kept_old} left the old file, {got_new} the new"
    );
    assert!(
        killed_while_running >= 8,
        "only {killed_while_running} kills mid-save"
    );
    assert!(kept_old > 0 && got_new > 0, "old {kept_old}, new {got_new}");
}
