//! Mapping key order: goyaml.v2's "natural" string order (`keyList.Less`).
//!
//! Keys are compared rune by rune. At the first difference: two letters
//! compare by code point; a letter sorts after a non-letter; otherwise the
//! digit runs starting there compare as numbers, then by run length, then by
//! code point. So punctuation < digits < letters, `a2` < `a10`, and `_`
//! sorts before `N` (`A_FIRST` before `ANOTHER`). Letters are Unicode `L*`,
//! digits `Nd`, as Go's `unicode.IsLetter` and `unicode.IsDigit`.
//!
//! The comparison is not transitive for some key sets (`2`, `11`, `1a`), and
//! Go sorts a randomly ordered map, so kustomize's own output varies for
//! them. We sort with a merge sort, which needs no consistency from the
//! comparison and is deterministic for a given input order.

use unicode_general_category::{get_general_category, GeneralCategory};

/// Go's `unicode.IsLetter`: general category `Lu`, `Ll`, `Lt`, `Lm` or `Lo`.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
    )
}

/// Go's `unicode.IsDigit`: general category `Nd` only.
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == GeneralCategory::DecimalNumber
}

/// The value Go adds for a digit rune (`r - '0'`), meaningless but
/// deterministic for non-ASCII digits.
fn digit_value(c: char) -> i64 {
    c as i64 - '0' as i64
}

/// goyaml.v2's `keyList.Less` for two string keys, given as runes.
pub(super) fn key_less(a: &[char], b: &[char]) -> bool {
    for i in 0..a.len().min(b.len()) {
        let (ca, cb) = (a[i], b[i]);
        if ca == cb {
            continue;
        }
        let (a_letter, b_letter) = (is_letter(ca), is_letter(cb));
        if a_letter && b_letter {
            return ca < cb;
        }
        if a_letter || b_letter {
            return b_letter;
        }
        // Neither is a letter: compare the numbers starting here. A digit
        // run that began before `i` with a non-zero digit makes leading
        // zeros significant, hence the head start of 1.
        let (mut an, mut bn) = (0i64, 0i64);
        if ca == '0' || cb == '0' {
            for &c in a[..i].iter().rev() {
                if !is_digit(c) {
                    break;
                }
                if c != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut a_end = i;
        while a_end < a.len() && is_digit(a[a_end]) {
            an = an.wrapping_mul(10).wrapping_add(digit_value(a[a_end]));
            a_end += 1;
        }
        let mut b_end = i;
        while b_end < b.len() && is_digit(b[b_end]) {
            bn = bn.wrapping_mul(10).wrapping_add(digit_value(b[b_end]));
            b_end += 1;
        }
        if an != bn {
            return an < bn;
        }
        if a_end != b_end {
            return a_end < b_end;
        }
        return ca < cb;
    }
    a.len() < b.len()
}

/// The indexes of `keys` in emission order.
pub(super) fn sorted_order<S: AsRef<str>>(keys: &[S]) -> Vec<usize> {
    let runes: Vec<Vec<char>> = keys.iter().map(|k| k.as_ref().chars().collect()).collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    merge_sort(&mut order, &|x, y| key_less(&runes[x], &runes[y]));
    order
}

/// A stable top-down merge sort that tolerates an inconsistent `less`
/// (the standard library's sorts may panic on one).
fn merge_sort(items: &mut [usize], less: &dyn Fn(usize, usize) -> bool) {
    if items.len() < 2 {
        return;
    }
    let mid = items.len() / 2;
    merge_sort(&mut items[..mid], less);
    merge_sort(&mut items[mid..], less);
    let mut merged = Vec::with_capacity(items.len());
    let (mut l, mut r) = (0, mid);
    while l < mid && r < items.len() {
        // Take from the right only when strictly less: keeps stability.
        if less(items[r], items[l]) {
            merged.push(items[r]);
            r += 1;
        } else {
            merged.push(items[l]);
            l += 1;
        }
    }
    merged.extend_from_slice(&items[l..mid]);
    merged.extend_from_slice(&items[r..]);
    items.copy_from_slice(&merged);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str]) -> Vec<String> {
        sorted_order(keys)
            .into_iter()
            .map(|i| keys[i].to_string())
            .collect()
    }

    fn less(a: &str, b: &str) -> bool {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        key_less(&a, &b)
    }

    #[test]
    fn punctuation_before_digits_before_letters() {
        let keys = [
            "b", "B", "a_b", "aB", "ab", "a-b", "a.b", "a:b", "a~", "a", "a[", "a^", "a1",
        ];
        assert_eq!(
            sorted(&keys),
            ["B", "a", "a-b", "a.b", "a:b", "a[", "a^", "a_b", "a~", "a1", "aB", "ab", "b"]
        );
    }

    #[test]
    fn numbers_sort_naturally() {
        assert_eq!(
            sorted(&["10", "9", "1", "_a", ""]),
            ["", "_a", "1", "9", "10"]
        );
        assert_eq!(
            sorted(&["a100", "a19", "a10", "a9", "a1"]),
            ["a1", "a9", "a10", "a19", "a100"]
        );
        assert_eq!(
            sorted(&["x0a", "x-", "x00", "x0"]),
            ["x-", "x0", "x00", "x0a"]
        );
    }

    #[test]
    fn letters_by_code_point_non_ascii_last() {
        assert_eq!(sorted(&["z", "é", "Z", "A"]), ["A", "Z", "z", "é"]);
    }

    #[test]
    fn underscore_beats_letters() {
        // corpus configmaps__TestIssue3393
        assert_eq!(
            sorted(&["ANOTHER_ENV_VARIABLE", "A_FIRST_ENV_VARIABLE"]),
            ["A_FIRST_ENV_VARIABLE", "ANOTHER_ENV_VARIABLE"]
        );
    }

    #[test]
    fn shorter_prefix_first() {
        assert!(less("app", "app.kubernetes.io/name"));
        assert!(!less("app.kubernetes.io/name", "app"));
    }

    #[test]
    fn leading_zeros_after_a_nonzero_digit_count() {
        // "10" vs "1a" at index 1: '0' vs 'a'; 'a' is a letter, so '0' first.
        assert!(less("10", "1a"));
        // "a1" vs "a01": equal numbers, the shorter run first.
        assert!(less("a1", "a01"));
        // "101" vs "11": at index 1 '0' vs '1', preceded by a non-zero digit,
        // so both numbers start from 1: 101 vs 11 at the same start.
        assert!(!less("101", "11"));
        assert!(less("11", "101"));
    }

    #[test]
    fn inconsistent_comparison_does_not_panic() {
        // 2 < 11, 11 < 1a, 1a < 2: a cycle. Any order is kustomize-like.
        assert!(less("2", "11"));
        assert!(less("11", "1a"));
        assert!(less("1a", "2"));
        let keys = [
            "a1", "a01", "a001", "a9", "a09", "a10", "a1b", "a010", "a19", "a100", "2", "11", "1a",
            "1", "01", "0a",
        ];
        assert_eq!(sorted(&keys).len(), keys.len());
    }

    #[test]
    fn unicode_classes_follow_go() {
        // U+0663 ARABIC-INDIC DIGIT THREE is Nd (a digit, not a letter);
        // U+00B2 SUPERSCRIPT TWO is No (neither); U+01C5 is Lt (a letter).
        assert!(is_digit('\u{663}'));
        assert!(!is_letter('\u{663}'));
        assert!(!is_digit('\u{b2}'));
        assert!(is_letter('\u{1c5}'));
        assert!(is_letter('ª'));
        // Combining marks are alphabetic for Rust but not letters for Go.
        assert!(!is_letter('\u{301}'));
    }
}
