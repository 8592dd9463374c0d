//! From the input (plain text, Markdown or HTML) to clean text, sentences and tokens, keeping
//! for every byte of the clean text the byte of the input it came from, so that a sentence can
//! be highlighted in what the analyst opened.

use std::ops::Range;

/// The input without markup: paragraphs separated by a blank line, and the map back to the
/// input.
pub struct CleanText {
    pub text: String,
    /// `origin[i]` is the input byte the clean byte `i` came from; one more entry for the end.
    origin: Vec<u32>,
}

impl CleanText {
    /// The input byte offset of a clean byte offset (the end of the input for the end).
    pub fn original(&self, clean: usize) -> usize {
        self.origin[clean.min(self.origin.len() - 1)] as usize
    }

    /// The input byte range that a clean range covers (end exclusive), widened to whole
    /// characters of `input` (a decoded entity maps back to the whole entity).
    pub fn original_range(&self, input: &str, clean: Range<usize>) -> Range<usize> {
        if clean.is_empty() {
            let at = self.original(clean.start);
            return at..at;
        }
        let start = self.original(clean.start);
        let mut end = self.original(clean.end - 1) + 1;
        while end < input.len() && !input.is_char_boundary(end) {
            end += 1;
        }
        if input[start..end].ends_with('&')
            && let Some(semi) = input[end..].find(';').filter(|&k| k < 10)
        {
            end += semi + 1;
        }
        start..end
    }
}

/// Builds clean text byte by byte, recording where each byte came from.
struct Builder {
    text: String,
    origin: Vec<u32>,
}

impl Builder {
    fn push_str(&mut self, s: &str, from: usize) {
        self.text.push_str(s);
        self.origin
            .extend(std::iter::repeat_n(from as u32, s.len()));
    }

    fn push_char(&mut self, c: char, from: usize) {
        let len = c.len_utf8();
        self.text.push(c);
        for k in 0..len {
            self.origin.push((from + k) as u32);
        }
    }

    /// A paragraph break (a blank line), never two in a row, none at the start.
    fn paragraph_break(&mut self, from: usize) {
        let trimmed = self.text.trim_end_matches([' ', '\n']);
        let keep = trimmed.len();
        self.text.truncate(keep);
        self.origin.truncate(keep);
        if keep > 0 {
            self.push_str("\n\n", from);
        }
    }

    fn space(&mut self, from: usize) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
            self.push_char(' ', from);
        }
    }

    fn finish(mut self, end: usize) -> CleanText {
        let keep = self.text.trim_end().len();
        self.text.truncate(keep);
        self.origin.truncate(keep);
        self.origin.push(end as u32);
        CleanText {
            text: self.text,
            origin: self.origin,
        }
    }
}

/// Whether the input looks like HTML (a tag of the document structure near the top or
/// paragraph tags anywhere).
pub fn is_html(input: &str) -> bool {
    let head: String = input
        .chars()
        .take(2000)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<html")
        || head.contains("<!doctype html")
        || head.contains("<body")
        || head.contains("<article")
        || input.contains("<p>")
        || input.contains("<p ")
        || input.contains("</p>")
}

/// The input as clean text: HTML tags and Markdown marks removed, paragraph breaks kept.
pub fn clean(input: &str) -> CleanText {
    if is_html(input) {
        clean_html(input)
    } else {
        clean_markdown(input)
    }
}

/// Tags whose content is never prose.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "head", "svg", "template", "iframe",
];
/// Tags that end a paragraph (or a line of its own).
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "article",
    "section",
    "header",
    "footer",
    "blockquote",
    "tr",
    "td",
    "th",
    "table",
    "figure",
    "figcaption",
    "time",
    "aside",
    "nav",
];

fn clean_html(input: &str) -> CleanText {
    let bytes = input.as_bytes();
    let mut out = Builder {
        text: String::with_capacity(input.len() / 2),
        origin: Vec::with_capacity(input.len() / 2),
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'<' {
            let Some(close) = memchr::memchr(b'>', &bytes[i..]).map(|k| i + k) else {
                break;
            };
            let tag = &input[i + 1..close];
            if tag.starts_with("!--") {
                // A comment runs to "-->".
                i = input[i..].find("-->").map_or(bytes.len(), |k| i + k + 3);
                continue;
            }
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let closing = tag.starts_with('/');
            if !closing && SKIPPED_ELEMENTS.contains(&name.as_str()) && !tag.ends_with('/') {
                let end_tag = format!("</{name}");
                let rest = input[close..].to_ascii_lowercase();
                i = rest.find(&end_tag).map_or(bytes.len(), |k| {
                    let at = close + k;
                    memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |m| at + m + 1)
                });
                continue;
            }
            if BLOCK_TAGS.contains(&name.as_str()) {
                out.paragraph_break(i);
            } else {
                // Inline tags separate nothing, but a tag between two words is a space.
            }
            i = close + 1;
            continue;
        }
        if b == b'&'
            && let Some((decoded, len)) = decode_entity(&input[i..])
        {
            if decoded == ' ' {
                out.space(i);
            } else {
                out.push_char(decoded, i);
            }
            i += len;
            continue;
        }
        let c = input[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            out.space(i);
        } else {
            out.push_char(c, i);
        }
        i += c.len_utf8();
    }
    out.finish(input.len())
}

/// The character of an HTML entity at the start of `s`, and the entity's length.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" | "lsquo" => '\'',
        "ldquo" | "rdquo" => '"',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "ccedil" => 'ç',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "szlig" => 'ß',
        "atilde" => 'ã',
        "otilde" => 'õ',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// Markdown and plain text: headings, list and quote marks, emphasis and link targets go;
/// lines stay lines and blank lines stay paragraph breaks.
fn clean_markdown(input: &str) -> CleanText {
    let mut out = Builder {
        text: String::with_capacity(input.len()),
        origin: Vec::with_capacity(input.len()),
    };
    let mut line_start = 0;
    let mut blank_run = 0;
    for line in input.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let offset = line_start;
        line_start += line.len();
        if content.trim().is_empty() {
            blank_run += 1;
            if blank_run == 1 {
                out.paragraph_break(offset);
            }
            continue;
        }
        blank_run = 0;
        // Leading marks: "# ", "> ", "- ", "* ", "+ ", "1. ".
        let mut start = content.len() - content.trim_start().len();
        let rest = &content[start..];
        let marks = rest
            .char_indices()
            .find(|&(_, c)| !matches!(c, '#' | '>'))
            .map_or(rest.len(), |(k, _)| k);
        if marks > 0 && rest[marks..].starts_with(' ') {
            start += marks + 1;
        } else if (rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ "))
            && rest.len() > 2
        {
            start += 2;
        }
        push_inline_markdown(&mut out, &content[start..], offset + start);
        out.push_char('\n', offset + content.len());
    }
    // No trailing newline: the last sentence ends at its text.
    while out.text.ends_with(['\n', ' ']) {
        out.text.pop();
        out.origin.pop();
    }
    out.finish(input.len())
}

/// One line's inline Markdown: `**`, `__`, `` ` `` go, `[text](url)` keeps its text,
/// `![alt](url)` goes whole.
fn push_inline_markdown(out: &mut Builder, line: &str, offset: usize) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &line[i..];
        if rest.starts_with("**") || rest.starts_with("__") {
            i += 2;
            continue;
        }
        // Emphasis marks: "*Synthetic Wire, 27 February 2025*".
        if rest.starts_with('`') || rest.starts_with('*') {
            i += 1;
            continue;
        }
        if rest.starts_with("![")
            && let Some(close) = rest.find("](")
            && let Some(end) = rest[close..].find(')')
        {
            i += close + end + 1;
            continue;
        }
        if rest.starts_with('[')
            && let Some(close) = rest.find("](")
            && !rest[1..close].contains('[')
            && let Some(end) = rest[close..].find(')')
        {
            let text = &rest[1..close];
            for (k, c) in text.char_indices() {
                out.push_char(c, offset + i + 1 + k);
            }
            i += close + end + 1;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push_char(c, offset + i);
        i += c.len_utf8();
    }
}

/// A sentence of the clean text, and the paragraph it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Sentence {
    pub range: Range<usize>,
    pub paragraph: usize,
}

/// Words that end with a full stop but do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm",
    "cmdr", "gov", "sen", "rep", "rev", "st", "jr", "sr", "inc", "co", "corp", "ltd", "no", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "vs", "approx",
    "est", "fig", "pres", "brig",
];

/// Words that start sentences: after "U.S." they make the full stop an end.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "In",
    "On",
    "A",
    "An",
    "This",
    "That",
    "But",
    "However",
    "Meanwhile",
    "Its",
];

/// Splits clean text into sentences. A full stop ends a sentence unless it ends an
/// abbreviation ("Gen.", "Mr.") or an initial, or a dotted abbreviation ("U.S.") that a
/// common sentence starter does not follow; a line break ends one after end punctuation or
/// after a short line (a headline, a dateline, a byline); a blank line ends a paragraph.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let push = |out: &mut Vec<Sentence>, from: usize, to: usize, paragraph: usize| {
        let s = &text[from..to];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if to - trail > from + lead {
            out.push(Sentence {
                range: from + lead..to - trail,
                paragraph,
            });
        }
    };
    let blocks = blocks(text);
    let mut block = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                let blank = bytes.get(i + 1) == Some(&b'\n');
                let line = text[line_start..i].trim_end();
                // A line much shorter than the longest of its block, or in a block of short
                // lines, is a line of its own (a headline, a byline); in a block of wrapped
                // prose the lines run on.
                while blocks[block].1 < i {
                    block += 1;
                }
                let longest = blocks[block].2;
                let short = line.chars().count() * 10 < longest * 6 || longest < 60;
                let next_upper = text[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
                let ends_sentence = line.ends_with(['.', '!', '?', ':', '"', '\'', '”', '’'])
                    || (short && next_upper);
                if blank || ends_sentence {
                    push(&mut out, start, i, paragraph);
                    start = i + 1;
                }
                if blank {
                    paragraph += 1;
                    while i + 1 < bytes.len() && bytes[i + 1] == b'\n' {
                        i += 1;
                    }
                    start = i + 1;
                }
                line_start = i + 1;
            }
            b'.' | b'!' | b'?' => {
                // Closing quotes and brackets belong to the sentence.
                let mut end = i + 1;
                while end < bytes.len() {
                    let rest = &text[end..];
                    let c = rest.chars().next().unwrap_or(' ');
                    if matches!(c, '"' | '\'' | '”' | '’' | ')' | ']') {
                        end += c.len_utf8();
                    } else {
                        break;
                    }
                }
                let followed_by_space = end >= bytes.len() || bytes[end] == b' ';
                if followed_by_space && (b != b'.' || ends_with_full_stop(text, i, end)) {
                    push(&mut out, start, end, paragraph);
                    start = end;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    push(&mut out, start, text.len(), paragraph);
    out
}

/// The blocks of a text (runs of lines between blank lines): start, end and the length in
/// characters of the longest line.
fn blocks(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut longest = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        if content.is_empty() && at > start {
            out.push((start, at, longest));
            start = at + line.len();
            longest = 0;
        } else if content.is_empty() {
            start = at + line.len();
        } else {
            longest = longest.max(content.chars().count());
        }
        at += line.len();
    }
    out.push((start, text.len().max(start), longest));
    out
}

/// Whether the full stop at `dot` ends a sentence (the text goes on after `after`).
fn ends_with_full_stop(text: &str, dot: usize, after: usize) -> bool {
    let word_start = text[..dot]
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .map_or(0, |k| k + 1);
    let word = &text[word_start..dot];
    let next = text[after..].trim_start();
    let next_word: &str = next
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let next_starts_upper = next
        .chars()
        .next()
        .is_none_or(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'“‘".contains(c));
    if !next_starts_upper {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // An initial ("J. Smith") or a dotted abbreviation ("U.S.", "U.N.").
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && word.chars().next().is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    if word.contains('.') && letters <= 4 && word.chars().all(|c| c.is_alphabetic() || c == '.') {
        return SENTENCE_STARTERS.contains(&next_word);
    }
    true
}

/// A word, number or punctuation mark of a sentence.
#[derive(Clone, Debug)]
pub struct Token {
    /// Byte range in the clean text.
    pub range: Range<usize>,
    pub text: String,
    pub lower: String,
    pub kind: TokenKind,
    /// A possessive "'s" or "'" followed the word (and is not a token of its own).
    pub possessive: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

impl Token {
    pub fn is_capitalised(&self) -> bool {
        self.kind == TokenKind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn is(&self, lower: &str) -> bool {
        self.lower == lower
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The tokens of `text[range]`: words (letters, with inner apostrophes and dotted
/// abbreviations like "U.S." kept whole), numbers, and single punctuation marks. Hyphens
/// split words ("Belarusian-Iranian" is three tokens); a possessive "'s" marks its word.
pub fn tokens(text: &str, range: Range<usize>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let s = &text[range.clone()];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        let start = at;
        let kind;
        if c.is_alphabetic() {
            kind = TokenKind::Word;
            let start_index = k;
            k += 1;
            while k < chars.len() {
                let (_, d) = chars[k];
                let next = chars.get(k + 1).map(|&(_, n)| n);
                if d.is_alphanumeric() {
                    k += 1;
                } else if d == '.'
                    && next.is_some_and(|n| n.is_alphabetic())
                    && chars.get(k + 2).is_some_and(|&(_, n)| n == '.')
                {
                    // "U.S.": a letter, a dot, a letter, a dot.
                    k += 2;
                } else if d == '.'
                    && k == start_index + 1
                    && c.is_uppercase()
                    && next.is_none_or(|n| n == ' ')
                {
                    // An initial: "S. Jaishankar".
                    k += 1;
                    break;
                } else if d == '.' && s[start..chars[k].0].contains('.') {
                    // The final dot of a dotted abbreviation.
                    k += 1;
                    break;
                } else if is_apostrophe(d)
                    && next.is_some_and(|n| n.is_alphabetic())
                    && !(next == Some('s')
                        && chars.get(k + 2).is_none_or(|&(_, n)| !n.is_alphanumeric()))
                {
                    // "don't", "O'Brien"; not the possessive "'s".
                    k += 1;
                } else {
                    break;
                }
            }
        } else if c.is_ascii_digit() {
            kind = TokenKind::Number;
            k += 1;
            while k < chars.len() {
                let (_, d) = chars[k];
                let next = chars.get(k + 1).map(|&(_, n)| n);
                if d.is_ascii_digit()
                    || ((d == ',' || d == '.') && next.is_some_and(|n| n.is_ascii_digit()))
                {
                    k += 1;
                } else {
                    break;
                }
            }
        } else {
            kind = TokenKind::Punct;
            k += 1;
        }
        let end = chars.get(k).map_or(s.len(), |&(i, _)| i);
        let word = &s[start..end];
        // A possessive after the word: "'s" or a lone "'" after an s.
        let mut possessive = false;
        if kind == TokenKind::Word && k < chars.len() && is_apostrophe(chars[k].1) {
            let next = chars.get(k + 1).map(|&(_, n)| n);
            if next == Some('s') && chars.get(k + 2).is_none_or(|&(_, n)| !n.is_alphanumeric()) {
                possessive = true;
                k += 2;
            } else if word.ends_with('s') && next.is_none_or(|n| !n.is_alphanumeric()) {
                possessive = true;
                k += 1;
            }
        }
        let initial = word.len() == 2 && word.ends_with('.');
        let text_word = if kind == TokenKind::Word && !initial {
            word.trim_end_matches('.')
        } else {
            word
        };
        let text_word = if text_word.contains('.') {
            word
        } else {
            text_word
        };
        out.push(Token {
            range: range.start + start..range.start + start + text_word.len(),
            text: text_word.to_string(),
            lower: text_word.to_lowercase(),
            kind,
            possessive,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_texts(text: &str) -> Vec<&str> {
        sentences(text)
            .into_iter()
            .map(|s| &text[s.range])
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let text = "Gen. Mark Milley met Mr. Smith in the U.S. capital. The U.S. Army said so. \
                    J. Doe left. He met officials in the U.S. The talks ended.";
        assert_eq!(
            sentence_texts(text),
            [
                "Gen. Mark Milley met Mr. Smith in the U.S. capital.",
                "The U.S. Army said so.",
                "J. Doe left.",
                "He met officials in the U.S.",
                "The talks ended."
            ]
        );
    }

    #[test]
    fn headlines_and_blank_lines_end_sentences_and_paragraphs() {
        let text = "Iran and Belarus sign a deal\n\nMarch 14, 2025 - The two met. They signed.\nA second paragraph line that is long enough to be wrapped prose text, as this\ncontinues here.";
        let s = sentences(text);
        let texts: Vec<&str> = s.iter().map(|s| &text[s.range.clone()]).collect();
        assert_eq!(
            texts,
            [
                "Iran and Belarus sign a deal",
                "March 14, 2025 - The two met.",
                "They signed.",
                "A second paragraph line that is long enough to be wrapped prose text, as this\ncontinues here."
            ]
        );
        assert_eq!(
            s.iter().map(|s| s.paragraph).collect::<Vec<_>>(),
            [0, 1, 1, 1]
        );
    }

    #[test]
    fn wrapped_prose_runs_on_and_short_lines_stand_alone() {
        let text = "Belarus and Iran\nBy a staff writer\n\nThe defence ministers of Belarus and Iran met in\nMinsk on Friday and signed a protocol on military cooperation, the\nministry said. They also discussed drones.";
        assert_eq!(
            sentence_texts(text),
            [
                "Belarus and Iran",
                "By a staff writer",
                "The defence ministers of Belarus and Iran met in\nMinsk on Friday and signed a protocol on military cooperation, the\nministry said.",
                "They also discussed drones."
            ]
        );
    }

    #[test]
    fn html_is_stripped_with_offsets_into_the_input() {
        let html = "<html><head><title>x</title><script>var a = 1;</script></head><body>\
                    <p>Iran &amp; Belarus <b>met</b>.</p><p>They signed.</p></body></html>";
        let clean = clean(html);
        assert_eq!(clean.text, "Iran & Belarus met.\n\nThey signed.");
        let s = sentences(&clean.text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].paragraph, 1);
        let original = clean.original_range(html, s[1].range.clone());
        assert_eq!(&html[original], "They signed.");
        let first = clean.original_range(html, s[0].range.clone());
        assert!(html[first].starts_with("Iran &amp; Belarus <b>met</b>."));
    }

    #[test]
    fn markdown_marks_go_and_link_texts_stay() {
        let md = "# Title here\n\n**Iran** and [Belarus](https://x.org) met.\n- A list item.";
        let clean = clean(md);
        assert_eq!(
            clean.text,
            "Title here\n\nIran and Belarus met.\nA list item."
        );
        let at = clean.text.find("Belarus").unwrap();
        assert_eq!(&md[clean.original(at)..clean.original(at) + 7], "Belarus");
    }

    #[test]
    fn tokens_keep_possessives_dotted_abbreviations_and_split_hyphens() {
        let text = "Iran’s U.S. Belarusian-Iranian talks, Belarus' 2,000 don't";
        let t = tokens(text, 0..text.len());
        let words: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            [
                "Iran",
                "U.S.",
                "Belarusian",
                "-",
                "Iranian",
                "talks",
                ",",
                "Belarus",
                "2,000",
                "don't"
            ]
        );
        assert!(t[0].possessive && t[7].possessive && !t[5].possessive);
    }
}
