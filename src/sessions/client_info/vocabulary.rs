//! The words a device name may use (SEC-44): the names the bundled uap-core rules can produce as
//! fixed text. A rule's output is fixed when its replacement is literal ("Firefox Beta") or
//! refers only to groups that match literal words (`(Firefox)/…`, `(Ubuntu|Kubuntu|…)`); a group
//! such as `(.{0,200})` copies whatever the client sent, and none of that is ever shown.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The fixed words of the bundled rules, by kind of value.
pub static WORDS: LazyLock<Vocabulary> = LazyLock::new(|| {
    let rules = serde_json::from_str(super::RULES_JSON).unwrap_or_default();
    Vocabulary::from_rules(&rules)
});

/// Fixed names of one kind. Some rules match case-insensitively, so the captured text may be
/// cased differently from every rule's spelling: then the first spelling the rules give is used.
#[derive(Debug, Default)]
pub struct Words {
    exact: HashSet<String>,
    by_lower_case: HashMap<String, String>,
}

impl Words {
    /// The rules' own spelling of `value` when the rules can produce it as fixed text.
    pub fn fixed(&self, value: &str) -> Option<&str> {
        let value = value.trim();
        self.exact
            .get(value)
            .or_else(|| self.by_lower_case.get(&value.to_lowercase()))
            .map(String::as_str)
    }

    fn add(&mut self, words: Vec<String>) {
        for word in words {
            let word = word.trim();
            if is_plain(word) {
                self.exact.insert(word.to_owned());
                self.by_lower_case
                    .entry(word.to_lowercase())
                    .or_insert_with(|| word.to_owned());
            }
        }
    }
}

/// Browser, OS, brand and model names the rules can produce as fixed text.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Browser (user-agent) families.
    pub browsers: Words,
    /// Operating systems.
    pub oses: Words,
    /// Device brands.
    pub brands: Words,
    /// Device models.
    pub models: Words,
}

impl Vocabulary {
    /// The fixed outputs of uap-core's rules (`regexes.yaml` as JSON).
    pub fn from_rules(rules: &serde_json::Value) -> Self {
        let each = |key: &str| rules[key].as_array().cloned().unwrap_or_default();
        let mut words = Self::default();
        for rule in each("user_agent_parsers") {
            words
                .browsers
                .add(outputs(&rule, "family_replacement", Some("$1")));
        }
        for rule in each("os_parsers") {
            words.oses.add(outputs(&rule, "os_replacement", Some("$1")));
        }
        for rule in each("device_parsers") {
            words.brands.add(outputs(&rule, "brand_replacement", None));
            words
                .models
                .add(outputs(&rule, "model_replacement", Some("$1")));
        }
        words
    }
}

/// Short ASCII words only: whatever else a rule could produce is not shown.
fn is_plain(word: &str) -> bool {
    (1..=48).contains(&word.len())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " .-_/!'&+".contains(c))
}

/// Most spellings one group or template may stand for before it counts as open-ended.
const MAX_EXPANSIONS: usize = 64;

/// Every text `rule`'s `field` (or `default` when the rule has none) can produce from fixed
/// words; empty when it copies open-ended text from the user agent.
fn outputs(rule: &serde_json::Value, field: &str, default: Option<&str>) -> Vec<String> {
    let Some(template) = rule[field].as_str().or(default) else {
        return Vec::new();
    };
    let regex = rule["regex"].as_str().unwrap_or_default();
    let groups: Vec<Option<Vec<String>>> = groups(regex).into_iter().map(words_of).collect();
    let mut acc = vec![String::new()];
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        let pieces = match chars.peek().and_then(|d| d.to_digit(10)) {
            Some(n) if c == '$' => {
                chars.next();
                match n.checked_sub(1).and_then(|i| groups.get(i as usize)) {
                    Some(Some(words)) => words.clone(),
                    _ => return Vec::new(),
                }
            }
            _ => vec![c.to_string()],
        };
        acc = acc
            .iter()
            .flat_map(|a| pieces.iter().map(move |p| format!("{a}{p}")))
            .collect();
        if acc.len() > MAX_EXPANSIONS {
            return Vec::new();
        }
    }
    acc
}

/// The text of each capturing group of `regex`, in order.
fn groups(regex: &str) -> Vec<&str> {
    let bytes = regex.as_bytes();
    let (mut out, mut open): (Vec<&str>, Vec<(usize, Option<usize>)>) = (vec![], vec![]);
    let (mut i, mut in_class) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'(' if !in_class => {
                let after = &regex[i + 1..];
                let capturing = !after.starts_with('?')
                    || after.starts_with("?P<")
                    || (after.starts_with("?<")
                        && !after.starts_with("?<=")
                        && !after.starts_with("?<!"));
                let slot = capturing.then(|| {
                    out.push("");
                    out.len() - 1
                });
                open.push((i + 1, slot));
            }
            b')' if !in_class => {
                if let Some((start, Some(slot))) = open.pop() {
                    out[slot] = &regex[start..i];
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The literal words a group matches: each top-level alternative made only of literal
/// characters, `(?:…|…)` and `\b`; `None` when no alternative is literal. An open-ended
/// alternative is left out: what it captures is never one of the words unless a literal one
/// spells it.
fn words_of(group: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = group.chars().collect();
    let mut words = Vec::new();
    for alternative in split_alternatives(&chars) {
        let mut pos = 0;
        if let Some(found) = sequence(alternative, &mut pos).filter(|_| pos == alternative.len()) {
            words.extend(found);
        }
    }
    (!words.is_empty() && words.len() <= MAX_EXPANSIONS).then_some(words)
}

/// `chars` split at its top-level `|`.
fn split_alternatives(chars: &[char]) -> Vec<&[char]> {
    let (mut parts, mut start, mut depth, mut in_class, mut i) = (vec![], 0, 0, false, 0);
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth -= 1,
            '|' if !in_class && depth == 0 => {
                parts.push(&chars[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&chars[start.min(chars.len())..]);
    parts
}

/// A sequence of literal atoms from `pos`, up to a `|` or `)`: every text it matches.
fn sequence(chars: &[char], pos: &mut usize) -> Option<Vec<String>> {
    let mut acc = vec![String::new()];
    while let Some(&c) = chars.get(*pos) {
        let pieces = match c {
            '|' | ')' => break,
            '(' => {
                if chars.get(*pos + 1..*pos + 3) != Some(&['?', ':'][..]) {
                    return None;
                }
                *pos += 3;
                let mut inner = Vec::new();
                loop {
                    inner.extend(sequence(chars, pos)?);
                    match chars.get(*pos) {
                        Some('|') => *pos += 1,
                        Some(')') => break,
                        _ => return None,
                    }
                }
                *pos += 1;
                inner
            }
            '\\' => {
                let escaped = *chars.get(*pos + 1)?;
                *pos += 2;
                match escaped {
                    'b' => vec![String::new()],
                    e if e.is_ascii_alphanumeric() => return None,
                    e => vec![e.to_string()],
                }
            }
            '.' | '[' | ']' | '*' | '+' | '?' | '{' | '}' | '^' | '$' => return None,
            c => {
                *pos += 1;
                vec![c.to_string()]
            }
        };
        if matches!(chars.get(*pos), Some('?' | '*' | '+' | '{')) {
            return None;
        }
        acc = acc
            .iter()
            .flat_map(|a| pieces.iter().map(move |p| format!("{a}{p}")))
            .collect();
        if acc.len() > MAX_EXPANSIONS {
            return None;
        }
    }
    Some(acc)
}

#[cfg(test)]
mod tests;
