//! "Did you mean": the known field name nearest to a misspelt one.
//!
//! Distance is optimal string alignment (Levenshtein plus swapping two
//! neighbours, each edit costing 1) over characters. A name is offered only
//! when it is close: at most a third of the typed name's length away (at
//! least 1), which accepts `dependOn` → `dependsOn` and `intreval` →
//! `interval` but not `prune` → `path`. Names that differ only in case,
//! `-` or `_` (`DependsOn`, `depends_on`) always match: encoding/json would
//! have accepted the first, Kubernetes does not.

/// The candidate nearest to `typed`, if it is close enough (see the module
/// documentation). Ties go to the candidate listed first.
pub fn did_you_mean<'c>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let folded = fold(typed);
    let limit = (typed.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        if candidate == typed {
            continue;
        }
        let distance = if fold(candidate) == folded {
            0
        } else {
            osa_distance(typed, candidate)
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Lowercase, without `-` and `_`.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Optimal string alignment distance between `a` and `b`.
pub fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows suffice: the transposition looks two rows back.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: [&str; 8] = [
        "dependsOn",
        "interval",
        "path",
        "prune",
        "sourceRef",
        "targetNamespace",
        "postBuild",
        "wait",
    ];

    #[test]
    fn distances() {
        assert_eq!(osa_distance("", ""), 0);
        assert_eq!(osa_distance("abc", ""), 3);
        assert_eq!(osa_distance("", "ab"), 2);
        assert_eq!(osa_distance("kitten", "sitting"), 3);
        assert_eq!(osa_distance("dependOn", "dependsOn"), 1);
        assert_eq!(osa_distance("intreval", "interval"), 1);
        assert_eq!(osa_distance("ca", "abc"), 3);
        assert_eq!(osa_distance("pröne", "prune"), 1);
    }

    #[test]
    fn close_names_are_offered() {
        assert_eq!(did_you_mean("dependOn", SPEC), Some("dependsOn"));
        assert_eq!(did_you_mean("intreval", SPEC), Some("interval"));
        assert_eq!(
            did_you_mean("targetNamepsace", SPEC),
            Some("targetNamespace")
        );
        assert_eq!(did_you_mean("postbuild", SPEC), Some("postBuild"));
        assert_eq!(did_you_mean("DependsOn", SPEC), Some("dependsOn"));
        assert_eq!(did_you_mean("source_ref", SPEC), Some("sourceRef"));
        assert_eq!(did_you_mean("pth", SPEC), Some("path"));
    }

    #[test]
    fn far_names_are_not() {
        assert_eq!(did_you_mean("patchesStrategicMerge", SPEC), None);
        assert_eq!(did_you_mean("foo", SPEC), None);
        assert_eq!(did_you_mean("x", SPEC), None);
        assert_eq!(did_you_mean("dependencies", SPEC), None);
        // A known name is not its own suggestion.
        assert_eq!(did_you_mean("path", ["path"]), None);
    }

    #[test]
    fn the_nearest_wins_and_ties_go_to_the_first() {
        assert_eq!(did_you_mean("wai", ["wait", "way"]), Some("wait"));
        assert_eq!(did_you_mean("wax", ["wait", "way"]), Some("way"));
        assert_eq!(did_you_mean("pat", ["path", "pate"]), Some("path"));
        assert_eq!(did_you_mean("pat", ["pate", "path"]), Some("pate"));
    }
}
