//! A parallel pipeline for line-oriented, tab-separated exports (GDELT, ICEWS): one thread
//! reads the file in blocks that end at a line break, workers parse blocks into partial
//! datasets, and the caller's thread appends the parts in file order. Memory stays bounded
//! (a few blocks in flight), both cores work, and cancelling is seen within one block.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use super::{Diagnostics, Progress, ReadFailure};
use crate::model::DatasetBuilder;

/// Bytes per block: large enough that per-block overhead stays small, small enough that the
/// few blocks in flight cost little memory (they count against the load's peak).
const BLOCK_BYTES: usize = 2 << 20;
/// Longest line kept whole; real exports have lines of a few hundred bytes.
const MAX_LINE_BYTES: usize = 8 * BLOCK_BYTES;
/// Input appended before the columns are sized for the whole file (see
/// [`DatasetBuilder::reserve_scaled`]): enough blocks for a steady bytes-per-event figure.
const RESERVE_AFTER_BYTES: usize = 8 * BLOCK_BYTES;
/// Room reserved beyond the estimate: lines at the end of a file may run a little longer.
const RESERVE_MARGIN: f64 = 1.05;

/// A block of whole lines and the number of the first of them (1-based).
struct Block {
    index: usize,
    first_line: u32,
    bytes: Vec<u8>,
}

/// What parsing one block gives.
pub struct Part {
    pub builder: DatasetBuilder,
    pub diagnostics: Diagnostics,
    /// Non-blank lines seen (read or skipped).
    pub rows: usize,
}

/// Parses the lines of one block. `first_line` is the file line of the block's first line.
pub trait BlockParser: Send {
    fn parse_block(&mut self, bytes: &[u8], first_line: u32) -> Part;

    /// Whether parts carry ids of tables shared by all workers (appended without remapping).
    fn shared_ids(&self) -> bool {
        false
    }
}

/// Splits a line into tab-separated fields, dropping a trailing `\r`.
///
/// Eight bytes at a time (SWAR): GDELT fields average six bytes, too short for memchr's
/// vector search to pay for its set-up on every call, and a byte loop took a third of the
/// load time in a profile. The bit trick below marks exactly the bytes equal to a tab.
pub fn split_tabs<'a>(line: &'a [u8], fields: &mut Vec<&'a [u8]>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const TABS: u64 = 0x0909_0909_0909_0909;
    fields.clear();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut start = 0;
    let mut chunks = line.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        let x = word ^ TABS; // tab bytes become zero
        // High bit set exactly where a byte of x is zero (no carries cross bytes).
        let mut zeros = !(((x & LOW7) + LOW7) | x) & HIGH;
        while zeros != 0 {
            let at = base + (zeros.trailing_zeros() / 8) as usize;
            fields.push(&line[start..at]);
            start = at + 1;
            zeros &= zeros - 1;
        }
        base += 8;
    }
    for (k, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\t' {
            fields.push(&line[start..base + k]);
            start = base + k + 1;
        }
    }
    fields.push(&line[start..]);
}

/// Calls `f(line_number, line)` for each line of a block (without the line break).
pub fn for_each_line<'a>(bytes: &'a [u8], first_line: u32, mut f: impl FnMut(u32, &'a [u8])) {
    let mut start = 0;
    let mut line = first_line;
    for end in memchr::memchr_iter(b'\n', bytes) {
        f(line, &bytes[start..end]);
        start = end + 1;
        line += 1;
    }
    if start < bytes.len() {
        f(line, &bytes[start..]);
    }
}

/// Inputs up to this size are parsed on the calling thread.
const SMALL_INPUT_BYTES: usize = 64 << 10;

/// Reads `source` through the pipeline; `make_parser` makes one parser per worker.
pub fn read_parallel<P: BlockParser>(
    mut source: impl Read + Send,
    progress: &Progress,
    make_parser: impl Fn() -> P,
) -> Result<Part, ReadFailure> {
    // A small input (a row read back through an index, a small file) is parsed on this
    // thread: starting the workers and their 2 MiB buffers cost far more than the parse
    // (about 200 µs a row read back, against some 20).
    let mut head = Vec::new();
    (&mut source)
        .take(SMALL_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut head)
        .map_err(|e| ReadFailure::new(format!("cannot read the file: {e}")))?;
    if head.len() <= SMALL_INPUT_BYTES {
        if progress.is_cancelled() {
            return Err(ReadFailure::new("loading was cancelled"));
        }
        let mut parser = make_parser();
        let shared_ids = parser.shared_ids();
        let mut total = Part {
            builder: DatasetBuilder::new(),
            diagnostics: Diagnostics::default(),
            rows: 0,
        };
        if !head.is_empty() {
            let part = parser.parse_block(&head, 1);
            progress.add_rows(part.rows as u64);
            if shared_ids {
                total.builder.append_same_ids(part.builder);
            } else {
                total.builder.append(part.builder);
            }
            total.diagnostics.append(part.diagnostics);
            total.rows += part.rows;
        }
        return Ok(total);
    }
    let mut source = std::io::Cursor::new(head).chain(source);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8);
    let (block_tx, block_rx) = sync_channel::<Block>(workers);
    let block_rx: Arc<Mutex<Receiver<Block>>> = Arc::new(Mutex::new(block_rx));
    // Each part with the number of input bytes it came from.
    let (part_tx, part_rx) = sync_channel::<(usize, Part, usize)>(workers);
    let (spare_tx, spare_rx) = sync_channel::<Vec<u8>>(2 * workers + 2);

    let shared_ids = make_parser().shared_ids();
    std::thread::scope(|scope| {
        // Reader: blocks that end at a line break.
        let reader = scope.spawn(move || -> std::io::Result<()> {
            let mut carry: Vec<u8> = Vec::new();
            let mut index = 0;
            let mut next_line: u32 = 1;
            loop {
                if progress.is_cancelled() {
                    return Ok(());
                }
                // Reuse a buffer a worker has finished with: fresh 2 MiB allocations cost
                // page faults on every block.
                let mut buf = spare_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BLOCK_BYTES + (64 << 10)));
                buf.clear();
                buf.append(&mut carry);
                let old = buf.len();
                buf.resize(old + BLOCK_BYTES, 0);
                let mut filled = old;
                while filled < buf.len() {
                    match source.read(&mut buf[filled..]) {
                        Ok(0) => break,
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                buf.truncate(filled);
                let at_end = filled < old + BLOCK_BYTES;
                if !at_end {
                    // Keep the partial last line for the next block.
                    match memchr::memrchr(b'\n', &buf) {
                        Some(cut) => {
                            carry.extend_from_slice(&buf[cut + 1..]);
                            buf.truncate(cut + 1);
                        }
                        // One line longer than a block: keep reading it, up to a limit past
                        // which it is handed on whole (and reported as a bad row) so that a
                        // file without line breaks cannot take unbounded memory.
                        None if buf.len() < MAX_LINE_BYTES => {
                            carry = buf;
                            continue;
                        }
                        None => {}
                    }
                }
                if !buf.is_empty() {
                    let lines = memchr::memchr_iter(b'\n', &buf).count() as u32;
                    let block = Block {
                        index,
                        first_line: next_line,
                        bytes: buf,
                    };
                    next_line += lines;
                    index += 1;
                    if block_tx.send(block).is_err() {
                        return Ok(());
                    }
                }
                if at_end {
                    return Ok(());
                }
            }
        });

        for _ in 0..workers {
            let rx = Arc::clone(&block_rx);
            let tx = part_tx.clone();
            let spare = spare_tx.clone();
            let mut parser = make_parser();
            scope.spawn(move || {
                loop {
                    let block = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok(block) = block else { return };
                    if progress.is_cancelled() {
                        return;
                    }
                    let part = parser.parse_block(&block.bytes, block.first_line);
                    let bytes = block.bytes.len();
                    let _ = spare.try_send(block.bytes);
                    progress.add_rows(part.rows as u64);
                    if tx.send((block.index, part, bytes)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(part_tx);
        drop(spare_tx);
        // Only the workers hold the block queue now: when they stop, the reader stops too.
        drop(block_rx);

        // Append parts in file order as they arrive.
        let mut total = Part {
            builder: DatasetBuilder::new(),
            diagnostics: Diagnostics::default(),
            rows: 0,
        };
        let mut waiting: BTreeMap<usize, (Part, usize)> = BTreeMap::new();
        let mut next = 0;
        // The size of the whole input (of all files in a set; compressed bytes of an
        // archive, which only makes the estimate short), for sizing the columns once.
        let input_bytes = progress.snapshot().1 as f64;
        let mut appended_bytes = 0;
        let mut reserved = false;
        for (index, part, bytes) in part_rx.iter() {
            waiting.insert(index, (part, bytes));
            while let Some((part, bytes)) = waiting.remove(&next) {
                if shared_ids {
                    total.builder.append_same_ids(part.builder);
                } else {
                    total.builder.append(part.builder);
                }
                appended_bytes += bytes;
                if !reserved && appended_bytes >= RESERVE_AFTER_BYTES {
                    reserved = true;
                    let factor = input_bytes / appended_bytes as f64 * RESERVE_MARGIN;
                    total.builder.reserve_scaled(factor);
                }
                total.diagnostics.append(part.diagnostics);
                total.rows += part.rows;
                next += 1;
            }
            if progress.is_cancelled() {
                break;
            }
        }
        drop(part_rx);
        let read = reader.join();
        if progress.is_cancelled() {
            return Err(ReadFailure::new("loading was cancelled"));
        }
        match read {
            Ok(Ok(())) => Ok(total),
            Ok(Err(e)) => Err(ReadFailure::new(format!("cannot read the file: {e}"))),
            Err(_) => Err(ReadFailure::new("the reader thread failed")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_tabs_matches_a_plain_split() {
        let samples: [&[u8]; 6] = [
            b"",
            b"\t",
            b"a\tbb\t\tccc\r",
            b"0123456\t89abcdef\t\t\t\t\t\t\t\tx",
            "caf\u{e9}\t\u{1}\u{8}\t\u{89}\u{9}y".as_bytes(),
            b"no tabs at all in this longer line",
        ];
        let mut fields = Vec::new();
        for line in samples {
            split_tabs(line, &mut fields);
            let trimmed = line.strip_suffix(b"\r").unwrap_or(line);
            let expected: Vec<&[u8]> = trimmed.split(|&b| b == b'\t').collect();
            assert_eq!(fields, expected, "{:?}", String::from_utf8_lossy(line));
        }
        // Every byte value next to tabs, at every alignment.
        for shift in 0..8 {
            let mut line = vec![b'x'; shift];
            for v in 0..=255u8 {
                line.push(v);
                line.push(b'\t');
            }
            let mut fields = Vec::new();
            split_tabs(&line, &mut fields);
            let expected: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
            assert_eq!(fields, expected);
        }
    }
}

#[cfg(test)]
mod cancel_tests {
    use std::io::Read;
    use std::sync::Arc;
    use std::time::Duration;

    use crate::io::{Progress, read_gdelt};

    /// An endless GDELT export: only cancelling can end a load of it.
    struct Endless {
        row: Vec<u8>,
        at: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            for b in buf.iter_mut() {
                *b = self.row[self.at];
                self.at = (self.at + 1) % self.row.len();
            }
            Ok(buf.len())
        }
    }

    #[test]
    fn cancelling_stops_an_endless_load() {
        let mut fields = vec![""; 61];
        fields[0] = "1";
        fields[1] = "20240101";
        fields[6] = "BELARUS";
        fields[16] = "IRAN";
        let row = format!("{}\n", fields.join("\t")).into_bytes();
        let progress = Arc::new(Progress::new());
        let worker_progress = Arc::clone(&progress);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = read_gdelt(Endless { row, at: 0 }, &worker_progress);
            let _ = tx.send(result.map(|(ds, _)| ds.len()).map_err(|e| e.message));
        });
        // Let it read a while, then cancel.
        while progress.snapshot().2 < 20_000 {
            std::thread::sleep(Duration::from_millis(5));
        }
        progress.cancel();
        let outcome = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the load ends once cancelled");
        assert_eq!(outcome, Err("loading was cancelled".to_string()));
    }
}
