//! A column of strings (an event's title, place or source link) packed for a million rows.
//!
//! Three things keep it small, each measured on the 1,000,000-row GDELT 2.0 export of the
//! load benchmark (421 MB; `relmap stats`, peak RSS):
//!
//! - Rows that repeat a recent value share it. GDELT gives one row per event and several
//!   events per article, so a URL comes back about five times within a few hundred rows
//!   (the real 15-minute export: 2,111 rows, 425 URLs; the generated file: 1,000,000 rows,
//!   221,479 URLs, 101 MB of URL text of which 23 MB distinct); its ~430 places repeat all
//!   the time. A row then costs a 4-byte value index instead of its text.
//! - Offsets are `u32`, with the few value indices where the text passed another 4 GiB kept
//!   aside, so a column of any size stays exact at half the cost of `u64` offsets.
//! - A column whose rows are all empty (GDELT has no titles) holds nothing but its length,
//!   and a column without repeats holds no row → value indices.
//!
//! A repeat is found through [`StrCache`], a bounded map from a value's hash to its index
//! that forgets everything when full: it costs a fixed few hundred KiB, whatever the file.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

/// Bits of a value's end kept in [`StrColumn::ends`]; the multiples of `1 << LOW_BITS`
/// passed are counted in [`StrColumn::wraps`]. Tests use a small value, so that every path
/// past a wrap runs on a few bytes of text instead of 4 GiB.
#[cfg(not(test))]
const LOW_BITS: u32 = 32;
#[cfg(test)]
const LOW_BITS: u32 = 4;
const LOW_MASK: u64 = (1 << LOW_BITS) - 1;

/// Many strings in few allocations; see the module docs.
///
/// The rows are in one of three shapes: all empty (`ends` is empty, only `rows` counts);
/// one value per row (`ids` is empty, row `i` is value `i`); or rows pointing at values
/// (`ids[i]`). Values are only ever appended, so a value index stays valid.
#[derive(Clone, Debug, Default)]
pub struct StrColumn {
    /// The values, end to end.
    bytes: String,
    /// The low [`LOW_BITS`] (32) bits of where each value ends in `bytes`.
    ends: Vec<u32>,
    /// The value indices at which an end passed another multiple of 4 GiB (`1 << LOW_BITS`),
    /// in order (an index is listed once per multiple passed). Empty below 4 GiB of text.
    wraps: Vec<u32>,
    /// Row → value index, once some row repeats a value (empty before).
    ids: Vec<u32>,
    rows: usize,
}

/// Remembers the values pushed lately into one [`StrColumn`], so that a repeat is stored
/// once. Bounded: it is emptied when it holds [`StrCache::LIMIT`] values.
#[derive(Clone, Debug, Default)]
pub struct StrCache {
    /// Hash of a value → its index in the column. A hash collision only costs a repeat
    /// stored twice: the value found is compared before it is shared.
    seen: FxHashMap<u64, u32>,
}

impl StrCache {
    /// Values remembered at most: 16,384 × 16 bytes of map, a fixed ~0.3 MiB per column,
    /// while the repeats in event files are a few hundred rows apart.
    pub const LIMIT: usize = 1 << 14;
}

impl StrColumn {
    /// Appends a row, stored as its own value (no look for repeats).
    pub fn push(&mut self, value: &str) {
        self.push_row(value, None);
    }

    /// Appends a row, sharing the value of a recent row that was the same.
    pub fn push_cached(&mut self, value: &str, cache: &mut StrCache) {
        self.push_row(value, Some(cache));
    }

    fn push_row(&mut self, value: &str, cache: Option<&mut StrCache>) {
        if self.ends.is_empty() {
            if value.is_empty() {
                self.rows += 1;
                return;
            }
            if self.rows > 0 {
                self.map_empty_rows();
            }
        }
        let Some(cache) = cache else {
            let k = self.push_value(value);
            if !self.ids.is_empty() {
                self.ids.push(k);
            }
            self.rows += 1;
            return;
        };
        if cache.seen.len() >= StrCache::LIMIT {
            cache.seen.clear();
        }
        let hash = FxBuildHasher.hash_one(value);
        let known = cache
            .seen
            .get(&hash)
            .copied()
            .filter(|&k| (k as usize) < self.ends.len() && self.value(k as usize) == value);
        match known {
            Some(k) => {
                if self.ids.is_empty() {
                    self.ids = (0..self.rows as u32).collect();
                }
                self.ids.push(k);
            }
            None => {
                let k = self.push_value(value);
                cache.seen.insert(hash, k);
                if !self.ids.is_empty() {
                    self.ids.push(k);
                }
            }
        }
        self.rows += 1;
    }

    /// Turns a column of empty rows into rows pointing at one empty value (index 0).
    fn map_empty_rows(&mut self) {
        let k = self.push_value("");
        self.ids = vec![k; self.rows];
    }

    /// Appends a value (not a row) and gives its index.
    fn push_value(&mut self, value: &str) -> u32 {
        let k = self.ends.len() as u32;
        let high_before = self.bytes.len() as u64 >> LOW_BITS;
        self.bytes.push_str(value);
        let end = self.bytes.len() as u64;
        for _ in high_before..end >> LOW_BITS {
            self.wraps.push(k);
        }
        self.ends.push((end & LOW_MASK) as u32);
        k
    }

    /// Where value `k` ends in `bytes`.
    fn value_end(&self, k: usize) -> usize {
        let low = self.ends[k] as u64;
        if self.wraps.is_empty() {
            return low as usize;
        }
        let high = self.wraps.partition_point(|&w| w as usize <= k) as u64;
        ((high << LOW_BITS) | low) as usize
    }

    fn value(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.value_end(k - 1) };
        &self.bytes[start..self.value_end(k)]
    }

    /// Row `i`. Panics when `i` is not below [`len`](Self::len), as a slice index would.
    pub fn get(&self, i: usize) -> &str {
        assert!(i < self.rows, "row {i} of a column of {} rows", self.rows);
        if self.ends.is_empty() {
            ""
        } else if self.ids.is_empty() {
            self.value(i)
        } else {
            self.value(self.ids[i] as usize)
        }
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends the rows of `other`.
    pub(crate) fn append(&mut self, other: StrColumn) {
        if other.rows == 0 {
            return;
        }
        if self.rows == 0 {
            *self = other;
            return;
        }
        if other.ends.is_empty() {
            // Rows that are all empty.
            if self.ends.is_empty() {
                self.rows += other.rows;
            } else {
                self.map_rows();
                let k = self.push_value("");
                self.ids.resize(self.ids.len() + other.rows, k);
                self.rows += other.rows;
            }
            return;
        }
        if self.ends.is_empty() {
            self.map_empty_rows();
        }
        let base = self.ends.len() as u32;
        let one_to_one = self.ids.is_empty() && other.ids.is_empty();
        if !one_to_one {
            self.map_rows();
        }
        self.append_values(&other);
        if !one_to_one {
            if other.ids.is_empty() {
                self.ids.extend(base..base + other.rows as u32);
            } else {
                self.ids.extend(other.ids.iter().map(|&k| k + base));
            }
        }
        self.rows += other.rows;
    }

    /// Gives every row its value index (the shape that shares values).
    fn map_rows(&mut self) {
        if self.ids.is_empty() {
            self.ids = (0..self.rows as u32).collect();
        }
    }

    /// Appends the values (not the rows) of `other`.
    fn append_values(&mut self, other: &StrColumn) {
        let base = self.bytes.len() as u64;
        self.bytes.push_str(&other.bytes);
        let k0 = self.ends.len();
        if self.wraps.is_empty()
            && other.wraps.is_empty()
            && self.bytes.len() as u64 >> LOW_BITS == 0
        {
            // The usual case: every end stays below 4 GiB.
            self.ends
                .extend(other.ends.iter().map(|&e| e + base as u32));
            return;
        }
        let mut high = self.wraps.len() as u64;
        for k in 0..other.ends.len() {
            let end = base + other.value_end(k) as u64;
            while high < end >> LOW_BITS {
                self.wraps.push((k0 + k) as u32);
                high += 1;
            }
            self.ends.push((end & LOW_MASK) as u32);
        }
    }

    /// Makes room for the column to grow to `factor` times its rows (and values) without
    /// moving; see [`crate::model::DatasetBuilder::reserve_scaled`].
    pub(crate) fn reserve_scaled(&mut self, factor: f64) {
        let more = |len: usize| (len as f64 * (factor - 1.0)).max(0.0) as usize;
        let _ = self.bytes.try_reserve_exact(more(self.bytes.len()));
        let _ = self.ends.try_reserve_exact(more(self.ends.len()));
        let _ = self.ids.try_reserve_exact(more(self.ids.len()));
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + (self.ends.capacity() + self.wraps.capacity() + self.ids.capacity()) * 4
    }
}

/// Equal rows, however they are stored.
impl PartialEq for StrColumn {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows && (0..self.rows).all(|i| self.get(i) == other.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column built row by row (with and without the cache, and from appended parts)
    /// reads back exactly the rows pushed.
    fn check(rows: &[&str]) {
        let mut plain = StrColumn::default();
        let mut cached = StrColumn::default();
        let mut cache = StrCache::default();
        for r in rows {
            plain.push(r);
            cached.push_cached(r, &mut cache);
        }
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(plain.get(i), *r, "plain row {i} of {rows:?}");
            assert_eq!(cached.get(i), *r, "cached row {i} of {rows:?}");
        }
        assert_eq!(plain.len(), rows.len());
        assert_eq!(plain, cached);
        // Every split into two parts, each part built either way.
        for cut in 0..=rows.len() {
            for (a_cached, b_cached) in [(false, false), (true, false), (false, true), (true, true)]
            {
                let build = |part: &[&str], with_cache: bool| {
                    let mut c = StrColumn::default();
                    let mut cache = StrCache::default();
                    for r in part {
                        if with_cache {
                            c.push_cached(r, &mut cache);
                        } else {
                            c.push(r);
                        }
                    }
                    c
                };
                let mut joined = build(&rows[..cut], a_cached);
                joined.append(build(&rows[cut..], b_cached));
                assert_eq!(joined.len(), rows.len());
                for (i, r) in rows.iter().enumerate() {
                    assert_eq!(joined.get(i), *r, "row {i}, cut {cut}, of {rows:?}");
                }
            }
        }
    }

    #[test]
    fn rows_read_back_in_every_shape() {
        check(&[]);
        check(&["", "", ""]);
        check(&["a", "b", "c"]);
        check(&["", "", "x", "", "x"]);
        check(&["x", "", "", "y"]);
        check(&["u", "u", "u"]);
        check(&[
            "https://a/1",
            "Minsk",
            "https://a/1",
            "",
            "Минск",
            "Minsk",
            "",
        ]);
    }

    #[test]
    fn repeats_are_stored_once() {
        let mut c = StrColumn::default();
        let mut cache = StrCache::default();
        let url = "https://example.org/news/2019/10/24/a-long-article-slug-about-talks";
        for i in 0..1000 {
            c.push_cached(if i % 2 == 0 { url } else { "Minsk, Belarus" }, &mut cache);
        }
        assert_eq!(c.bytes.len(), url.len() + "Minsk, Belarus".len());
        assert_eq!(c.get(998), url);
        assert_eq!(c.get(999), "Minsk, Belarus");
        // Unique rows keep no row → value indices; empty rows keep nothing.
        let mut unique = StrColumn::default();
        for i in 0..100 {
            unique.push_cached(&i.to_string(), &mut cache);
        }
        assert!(unique.ids.is_empty());
        let mut empty = StrColumn::default();
        for _ in 0..100 {
            empty.push_cached("", &mut cache);
        }
        assert_eq!(
            (empty.heap_bytes(), empty.len(), empty.get(99)),
            (0, 100, "")
        );
    }

    #[test]
    fn a_full_cache_forgets_but_stays_right() {
        let mut c = StrColumn::default();
        let mut cache = StrCache::default();
        let n = StrCache::LIMIT * 2 + 7;
        for i in 0..n {
            c.push_cached(&(i % (StrCache::LIMIT + 3)).to_string(), &mut cache);
        }
        assert!(cache.seen.len() <= StrCache::LIMIT);
        for i in 0..n {
            assert_eq!(c.get(i), (i % (StrCache::LIMIT + 3)).to_string());
        }
    }

    #[test]
    fn ends_past_the_wrap_stay_exact() {
        // Tests wrap every 16 bytes (LOW_BITS = 4): values shorter and longer than that,
        // values that end exactly on a multiple, in parts appended across a wrap.
        assert_eq!(LOW_BITS, 4);
        let long = "0123456789abcdefghijklmnopqrstuvwxyz";
        let rows = [
            "abcdefghijklmno",
            "p",
            long,
            "",
            "qr",
            long,
            "0123456789abcdef",
            "x",
        ];
        check(&rows);
        let mut c = StrColumn::default();
        for r in rows {
            c.push(r);
        }
        assert!(c.wraps.len() >= 5, "{:?}", c.wraps);
        assert_eq!(c.value_end(rows.len() - 1), rows.concat().len());
    }
}
