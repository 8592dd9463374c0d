//! `relmap animate`: films of the moving time window as PNG frames, GIF and MP4, checked by
//! decoding them (frame counts, sizes, frames that change, the MP4's boxes), and that a bad
//! input, a failed write or Ctrl+C leaves no file behind.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SAMPLE: &str = "assets/sample/belarus-iran.csv";
/// The example: March 2023 to March 2025, month by month, three-month windows.
const MONTHS: [&str; 8] = [
    "--from", "2023-03", "--to", "2025-03", "--step", "month", "--window", "3mo",
];

fn relmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_relmap"))
}

fn animate(args: &[&str], out: &Path) -> Output {
    relmap()
        .arg("animate")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (width, height)
}

/// A folder path ending in `/`, as the command takes it.
fn folder_arg(dir: &Path, name: &str) -> PathBuf {
    PathBuf::from(format!("{}/", dir.join(name).display()))
}

#[test]
fn png_frames_one_per_step_of_the_size_asked_and_changing() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![SAMPLE, "--size", "480x300"];
    args.extend(MONTHS);
    let out = animate(&args, &folder_arg(dir.path(), "frames"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let frames = dir.path().join("frames");
    let files = names(&frames);
    assert_eq!(files.len(), 25, "{files:?}");
    assert_eq!(files[0], "frame-0001.png");
    assert_eq!(files[24], "frame-0025.png");
    assert_eq!(names(dir.path()), ["frames"], "no temporary folder left");
    let bytes: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(frames.join(f)).unwrap())
        .collect();
    assert_eq!(png_size(&frames.join(&files[0])), (480, 300));
    assert_eq!(png_size(&frames.join(&files[24])), (480, 300));
    let distinct: std::collections::HashSet<&Vec<u8>> = bytes.iter().collect();
    assert!(
        distinct.len() >= 20,
        "{} distinct frames of 25",
        distinct.len()
    );
    // Progress went to stderr, and the summary.
    assert!(stderr(&out).contains("frame 25/25"), "{}", stderr(&out));

    // Again over the old frames: replaced whole. Six months with two in-between frames
    // before each month after the first: 6 + 5 × 2 frames.
    let mut args = vec![
        SAMPLE, "--size", "240x150", "--from", "2024-01", "--to", "2024-06",
    ];
    args.extend(["--layout", "force", "--tween", "2"]);
    let out = animate(&args, &folder_arg(dir.path(), "frames"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&frames).len(), 16);
    assert_eq!(png_size(&frames.join("frame-0016.png")), (240, 150));
    assert_eq!(names(dir.path()), ["frames"]);

    // A folder with other files is not replaced.
    std::fs::write(frames.join("notes.txt"), "mine").unwrap();
    let out = animate(&args, &folder_arg(dir.path(), "frames"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("other files"), "{}", stderr(&out));
    assert_eq!(names(&frames).len(), 17);
}

#[test]
fn gif_has_one_frame_per_step_in_one_palette_and_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    let gif = dir.path().join("film.gif");
    let mut args = vec![SAMPLE, "--size", "800x500", "--fps", "4"];
    args.extend(MONTHS);
    let out = animate(&args, &gif);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = std::fs::read(&gif).unwrap();
    assert!(bytes.len() < 2_000_000, "{} bytes", bytes.len());
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(&bytes[..]).unwrap();
    assert_eq!((decoder.width(), decoder.height()), (800, 500));
    assert!(decoder.global_palette().is_some());
    let mut frames = 0;
    let mut changed_area = 0usize;
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        frames += 1;
        assert_eq!(frame.delay, 25);
        assert!(frame.palette.is_none(), "one global palette");
        if frames == 1 {
            assert_eq!((frame.width, frame.height), (800, 500));
        } else {
            assert_eq!(frame.transparent, Some(255));
            changed_area += usize::from(frame.width) * usize::from(frame.height);
        }
    }
    assert_eq!(frames, 25);
    // Later frames hold only what changed: far less than 24 whole frames.
    assert!(
        changed_area > 0 && changed_area < 24 * 800 * 500,
        "{changed_area}"
    );
    assert_eq!(names(dir.path()), ["film.gif"]);
}

/// An MP4's boxes: `(type, payload)` of each box in `data`.
fn boxes(data: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 8 <= data.len() {
        let size = u32::from_be_bytes(data[at..at + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = data[at + 4..at + 8].try_into().unwrap();
        let (header, size) = match size {
            1 => (
                16,
                u64::from_be_bytes(data[at + 8..at + 16].try_into().unwrap()) as usize,
            ),
            0 => (8, data.len() - at),
            s => (8, s),
        };
        assert!(size >= header && at + size <= data.len(), "box {kind:?}");
        out.push((kind, &data[at + header..at + size]));
        at += size;
    }
    assert_eq!(at, data.len(), "boxes fill the data");
    out
}

fn child<'a>(data: &'a [u8], path: &[&[u8; 4]]) -> &'a [u8] {
    let mut here = data;
    for kind in path {
        here = boxes(here)
            .into_iter()
            .find(|(k, _)| k == *kind)
            .unwrap_or_else(|| panic!("no {}", String::from_utf8_lossy(*kind)))
            .1;
    }
    here
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

#[test]
fn mp4_holds_one_h264_sample_per_step() {
    let dir = tempfile::tempdir().unwrap();
    let mp4 = dir.path().join("film.mp4");
    // An odd width is rounded down to even for H.264.
    let mut args = vec![SAMPLE, "--size", "641x360", "--fps", "5"];
    args.extend(MONTHS);
    let out = animate(&args, &mp4);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let data = std::fs::read(&mp4).unwrap();
    let top: Vec<[u8; 4]> = boxes(&data).iter().map(|b| b.0).collect();
    assert_eq!(top[0], *b"ftyp");
    for kind in [b"moov", b"mdat"] {
        assert!(top.contains(kind), "{top:?}");
    }
    let stbl = child(&data, &[b"moov", b"trak", b"mdia", b"minf", b"stbl"]);
    // stts: version/flags, entry count, then (sample count, delta) pairs.
    let stts = child(stbl, &[b"stts"]);
    let entries = be32(stts, 4) as usize;
    let samples: u32 = (0..entries).map(|i| be32(stts, 8 + 8 * i)).sum();
    assert_eq!(samples, 25);
    // stsz: version/flags, uniform size (0 = listed), sample count.
    let stsz = child(stbl, &[b"stsz"]);
    assert_eq!(be32(stsz, 8), 25);
    let sizes: Vec<u32> = (0..25).map(|i| be32(stsz, 12 + 4 * i)).collect();
    assert!(sizes.iter().all(|&s| s > 0), "{sizes:?}");
    // The frame rate: the media's time scale is frames per second, one unit a frame.
    let mdhd = child(&data, &[b"moov", b"trak", b"mdia", b"mdhd"]);
    assert_eq!(be32(mdhd, 12), 5);
    // The picture: avc1 inside stsd, 640 × 360.
    let stsd = child(stbl, &[b"stsd"]);
    let entry = &stsd[8..];
    assert_eq!(&entry[4..8], b"avc1");
    let (w, h) = (
        u16::from_be_bytes([entry[32], entry[33]]),
        u16::from_be_bytes([entry[34], entry[35]]),
    );
    assert_eq!((w, h), (640, 360));
    // The first sample (where the chunk offset says, inside mdat) is a key frame: its
    // length-prefixed NAL units hold an IDR slice (type 5).
    let stco = child(stbl, &[b"stco"]);
    let first = be32(stco, 8) as usize;
    let (mdat_start, mdat_end) = {
        let mut at = 0;
        let mut span = (0, 0);
        for (kind, payload) in boxes(&data) {
            let start = payload.as_ptr() as usize - data.as_ptr() as usize;
            if &kind == b"mdat" {
                span = (start, start + payload.len());
            }
            at = start + payload.len();
        }
        assert_eq!(at, data.len());
        span
    };
    assert!(first >= mdat_start && first + sizes[0] as usize <= mdat_end);
    let sample = &data[first..first + sizes[0] as usize];
    let mut at = 0;
    let mut types = Vec::new();
    while at + 4 <= sample.len() {
        let len = be32(sample, at) as usize;
        types.push(sample[at + 4] & 0x1f);
        at += 4 + len;
    }
    assert_eq!(at, sample.len(), "NAL lengths add up to the sample");
    assert!(types.contains(&5), "{types:?}");
    assert_eq!(names(dir.path()), ["film.mp4"]);
}

#[test]
fn a_workspace_gives_its_layout_and_positions() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("story.relmap");
    let out = relmap()
        .args(["convert", SAMPLE])
        .arg(&ws)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = animate(
        &[
            ws.to_str().unwrap(),
            "--from",
            "2024",
            "--to",
            "2025",
            "--step",
            "year",
            "--size",
            "320x200",
        ],
        &folder_arg(dir.path(), "years"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&dir.path().join("years")).len(), 2);

    // Without scenes a tour is refused; with two, each is held two seconds (4 frames at
    // 2 fps) with one second (2 frames) gliding between them: 4 + 2 + 4 frames.
    let out = animate(
        &[ws.to_str().unwrap(), "--scenes"],
        &dir.path().join("tour.gif"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("scenes"), "{}", stderr(&out));
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&ws).unwrap()).unwrap();
    json["view"]["scenes"] = serde_json::json!([
        {"title": "Exercises in Tehran", "window": ["2024-01-01", "2024-12-31"]},
        {"title": "The protocol", "window": ["2025-03-01", "2025-03-31"],
         "selected": ["Belarus", "Iran"], "camera": [0.0, 0.0, 0.5]}
    ]);
    std::fs::write(&ws, serde_json::to_string(&json).unwrap()).unwrap();
    let out = animate(
        &[ws.to_str().unwrap(), "--scenes", "--size", "320x200"],
        &folder_arg(dir.path(), "tour"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tour = dir.path().join("tour");
    assert_eq!(names(&tour).len(), 10);
    let frame = |i: usize| std::fs::read(tour.join(format!("frame-{i:04}.png"))).unwrap();
    assert_eq!(frame(1), frame(4), "a scene holds still");
    assert_ne!(frame(4), frame(5), "then glides");
    assert_ne!(frame(5), frame(6));
    assert_eq!(frame(7), frame(10));
}

#[test]
fn bad_input_exits_2_with_a_clear_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let gif = dir.path().join("film.gif");
    let cases: Vec<(Vec<&str>, PathBuf, &str)> = vec![
        (vec!["tests/fixtures/empty.csv"], gif.clone(), ""),
        (vec!["no/such/file.csv"], gif.clone(), "no/such/file.csv"),
        (vec![SAMPLE], dir.path().join("film.avi"), ".gif or .mp4"),
        (
            vec![SAMPLE, "--from", "2030", "--to", "2031"],
            gif.clone(),
            "no events",
        ),
        (
            vec![SAMPLE, "--step", "day", "--max-frames", "100"],
            gif.clone(),
            "--max-frames",
        ),
        (vec![SAMPLE, "--window", "3x"], gif.clone(), "30d"),
        (vec![SAMPLE], dir.path().join("missing/film.gif"), "missing"),
    ];
    for (args, out_path, says) in cases {
        let out = animate(&args, &out_path);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(
            names(dir.path()).is_empty(),
            "{args:?}: {:?}",
            names(dir.path())
        );
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_film_and_leaves_no_file() {
    for name in ["film.gif", "film.mp4", "frames/"] {
        let dir = tempfile::tempdir().unwrap();
        let out_path = PathBuf::from(format!("{}/{name}", dir.path().display()));
        // Day by day over two years: long enough to be stopped half way.
        let mut child = relmap()
            .args([
                "animate", SAMPLE, "--step", "day", "--from", "2023-03", "--to", "2025-03",
            ])
            .args(["--size", "320x200", "--out"])
            .arg(&out_path)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut seen = Vec::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            let drawing = line.contains("frames/s");
            seen.push(line);
            if drawing {
                break;
            }
        }
        assert!(
            seen.last().is_some_and(|l| l.contains("frames/s")),
            "{seen:?}"
        );
        let killed = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{name}: {seen:?} {rest:?}");
        assert!(rest.iter().any(|l| l.contains("cancelled")), "{rest:?}");
        assert!(
            names(dir.path()).is_empty(),
            "{name}: {:?}",
            names(dir.path())
        );
    }
}
