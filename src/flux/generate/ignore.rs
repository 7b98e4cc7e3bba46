//! The ignore rules of Flux's CLI generator (`NewGeneratorWithIgnore`):
//! `.sourceignore` files below the kustomization directory, extra patterns
//! given on the command line, and source-controller's default patterns.
//!
//! Flux matches with its fork of go-git's gitignore package
//! (fluxcd/pkg:sourceignore/gitignore), which differs from git itself in ways
//! that decide what gets ignored, so this is a matcher of its own rather than
//! a gitignore library:
//!
//! - a path is the list of its components, and a pattern applies only below
//!   its **domain** (the directory it was read for); a pattern read for
//!   `/repo/app` never matches `/repo/app` itself or anything outside it;
//! - a pattern without `/` (`*.yaml`, `.sops.yaml`, `tmp/`) matches **any**
//!   component of the path below its domain, so it also ignores everything
//!   inside a directory of that name;
//! - a pattern with `/` is anchored at the domain and matches component by
//!   component, `**` crossing any number of directories; once its components
//!   are used up it matches whatever lies below (`a/b` ignores `a/b/c.yaml`);
//! - components are compared with Go's `filepath.Match` (`*`, `?`, `[a-z]`,
//!   `[^a]`, `\` escapes); a malformed pattern matches nothing;
//! - the **last** pattern that matches decides, so `!` re-includes.

use crate::source::FileSystem;
use std::path::Path;

/// The name of the file Flux reads ignore patterns from.
pub const IGNORE_FILE: &str = ".sourceignore";

/// source-controller's version-control patterns (`ExcludeVCS`).
const EXCLUDE_VCS: &[&str] = &[".git/", ".gitignore", ".gitmodules", ".gitattributes"];

/// source-controller's other default patterns (`ExcludeExt`, `ExcludeCI`,
/// `ExcludeExtra`), in Flux's order.
const EXCLUDE_DEFAULTS: &[&str] = &[
    "*.jpg",
    "*.jpeg",
    "*.gif",
    "*.png",
    "*.wmv",
    "*.flv",
    "*.tar.gz",
    "*.zip",
    ".github/",
    ".circleci/",
    ".travis.yml",
    ".gitlab-ci.yml",
    "appveyor.yml",
    ".drone.yml",
    "cloudbuild.yaml",
    "codeship-services.yml",
    "codeship-steps.yml",
    "**/.goreleaser.yml",
    "**/.sops.yaml",
    "**/.flux.yaml",
];

/// A path split into components, as Flux splits an absolute path on `/`
/// (so an absolute path starts with an empty component).
pub fn components(path: &Path) -> Vec<String> {
    path.to_string_lossy()
        .split('/')
        .map(str::to_string)
        .collect()
}

/// One gitignore line, scoped to a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    domain: Vec<String>,
    parts: Vec<String>,
    inclusion: bool,
    dir_only: bool,
    anchored: bool,
}

/// What one pattern says about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    NoMatch,
    Exclude,
    Include,
}

impl Pattern {
    /// Parses one pattern line for the directory `domain` (its components).
    pub fn parse(line: &str, domain: &[String]) -> Pattern {
        let (inclusion, mut text) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        // Trailing spaces go, unless the last one is escaped.
        if !text.ends_with("\\ ") {
            text = text.trim_end_matches(' ');
        }
        let (dir_only, text) = match text.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        Pattern {
            domain: domain.to_vec(),
            parts: text.split('/').map(str::to_string).collect(),
            inclusion,
            dir_only,
            anchored: text.contains('/'),
        }
    }

    fn verdict(&self, path: &[String], is_dir: bool) -> Verdict {
        if path.len() <= self.domain.len() || !path.starts_with(&self.domain) {
            return Verdict::NoMatch;
        }
        let rest = &path[self.domain.len()..];
        let matched = if self.anchored {
            self.anchored_match(rest, is_dir)
        } else {
            self.name_match(rest, is_dir)
        };
        match (matched, self.inclusion) {
            (false, _) => Verdict::NoMatch,
            (true, true) => Verdict::Include,
            (true, false) => Verdict::Exclude,
        }
    }

    /// A pattern without `/`: the first component it matches decides.
    fn name_match(&self, path: &[String], is_dir: bool) -> bool {
        let glob = &self.parts[0];
        for (i, name) in path.iter().enumerate() {
            match go_match(glob, name) {
                None => return false,
                Some(false) => continue,
                Some(true) => return !(self.dir_only && !is_dir && i == path.len() - 1),
            }
        }
        false
    }

    /// A pattern with `/`: components in order from the domain, `**`
    /// skipping ahead to the next component that matches.
    fn anchored_match(&self, mut path: &[String], is_dir: bool) -> bool {
        let mut matched = false;
        let mut traverse = false;
        for (i, part) in self.parts.iter().enumerate() {
            if part.is_empty() {
                traverse = false;
                continue;
            }
            if part == "**" {
                if i == self.parts.len() - 1 {
                    break;
                }
                traverse = true;
                continue;
            }
            if part.contains("**") || path.is_empty() {
                return false;
            }
            if traverse {
                traverse = false;
                while let Some((first, rest)) = path.split_first() {
                    path = rest;
                    match go_match(part, first) {
                        None => return false,
                        Some(true) => {
                            matched = true;
                            break;
                        }
                        Some(false) if path.is_empty() => matched = false,
                        Some(false) => {}
                    }
                }
            } else {
                if go_match(part, &path[0]) != Some(true) {
                    return false;
                }
                matched = true;
                path = &path[1..];
            }
        }
        // A directory pattern whose last component named a file is no match.
        matched && !(self.dir_only && !is_dir && path.is_empty())
    }
}

/// Patterns in priority order: later ones win.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
}

impl Matcher {
    /// Flux's `NewDefaultMatcher`: the VCS and default patterns for
    /// `domain`, then `patterns` (which take precedence).
    pub fn with_defaults(patterns: &[Pattern], domain: &[String]) -> Matcher {
        let mut all: Vec<Pattern> = EXCLUDE_VCS
            .iter()
            .chain(EXCLUDE_DEFAULTS)
            .map(|p| Pattern::parse(p, domain))
            .collect();
        all.extend_from_slice(patterns);
        Matcher { patterns: all }
    }

    /// True when the path (its components) is ignored.
    pub fn is_ignored(&self, path: &[String], is_dir: bool) -> bool {
        for pattern in self.patterns.iter().rev() {
            match pattern.verdict(path, is_dir) {
                Verdict::NoMatch => continue,
                Verdict::Exclude => return true,
                Verdict::Include => return false,
            }
        }
        false
    }
}

/// The patterns of a text (a `.sourceignore` file, or extra patterns one per
/// line): blank lines and lines starting with `#` are skipped.
pub fn read_patterns(text: &str, domain: &[String]) -> Vec<Pattern> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| Pattern::parse(line, domain))
        .collect()
}

/// Flux's `LoadIgnorePatterns`: the `.sourceignore` of `dir` and of every
/// directory below it (not below `.git`), each scoped to its own directory,
/// parents before children, siblings in name order.
pub fn load_ignore_files(
    fs: &dyn FileSystem,
    dir: &Path,
    domain: &[String],
) -> std::io::Result<Vec<Pattern>> {
    let mut patterns = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), domain.to_vec())];
    // Depth-first in name order, as the recursive walk in Go: children are
    // pushed in reverse so the first name is visited first.
    while let Some((dir, domain)) = stack.pop() {
        let file = dir.join(IGNORE_FILE);
        if fs.is_file(&file) {
            patterns.extend(read_patterns(&fs.read_to_string(&file)?, &domain));
        }
        let mut children = Vec::new();
        for entry in fs.read_dir(&dir)? {
            let Some(name) = entry.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            if name != ".git" && fs.is_dir(&entry) {
                let mut child_domain = domain.clone();
                child_domain.push(name);
                children.push((entry, child_domain));
            }
        }
        stack.extend(children.into_iter().rev());
    }
    Ok(patterns)
}

/// Go's `filepath.Match` on one path component: `Some(matched)`, or `None`
/// for a malformed pattern (which Go reports as `ErrBadPattern`).
pub fn go_match(pattern: &str, name: &str) -> Option<bool> {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let tokens = tokenize(&pattern)?;
    Some(match_tokens(&tokens, &name))
}

/// A piece of a `filepath.Match` pattern.
#[derive(Debug)]
enum Token {
    Star,
    Any,
    Char(char),
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

fn tokenize(p: &[char]) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '*' => {
                tokens.push(Token::Star);
                i += 1;
            }
            '?' => {
                tokens.push(Token::Any);
                i += 1;
            }
            '\\' => {
                let c = *p.get(i + 1)?;
                tokens.push(Token::Char(c));
                i += 2;
            }
            '[' => {
                i += 1;
                let negated = p.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    if p.get(i) == Some(&']') && !ranges.is_empty() {
                        i += 1;
                        break;
                    }
                    let (lo, next) = class_char(p, i)?;
                    i = next;
                    let mut hi = lo;
                    if p.get(i) == Some(&'-') {
                        let (h, next) = class_char(p, i + 1)?;
                        hi = h;
                        i = next;
                    }
                    ranges.push((lo, hi));
                }
                tokens.push(Token::Class { negated, ranges });
            }
            c => {
                tokens.push(Token::Char(c));
                i += 1;
            }
        }
    }
    Some(tokens)
}

/// One character of a class (escaped or not); `-` and `]` need escaping,
/// and the class must not end early.
fn class_char(p: &[char], i: usize) -> Option<(char, usize)> {
    match *p.get(i)? {
        '-' | ']' => None,
        '\\' => Some((*p.get(i + 1)?, i + 2)),
        c => Some((c, i + 1)),
    }
}

fn match_tokens(tokens: &[Token], name: &[char]) -> bool {
    // Classic backtracking over the last star: linear enough for names.
    let (mut t, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match tokens.get(t) {
            Some(Token::Star) => {
                star = Some((t, n));
                t += 1;
                continue;
            }
            Some(Token::Any) => true,
            Some(Token::Char(c)) => *c == name[n],
            Some(Token::Class { negated, ranges }) => {
                let inside = ranges
                    .iter()
                    .any(|(lo, hi)| *lo <= name[n] && name[n] <= *hi);
                inside != *negated
            }
            None => false,
        };
        if step {
            t += 1;
            n += 1;
        } else if let Some((st, sn)) = star {
            t = st + 1;
            n = sn + 1;
            star = Some((st, sn + 1));
        } else {
            return false;
        }
    }
    tokens[t..].iter().all(|tok| matches!(tok, Token::Star))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(p: &str) -> Vec<String> {
        components(Path::new(p))
    }

    fn ignored(patterns: &[&str], path: &str, is_dir: bool) -> bool {
        let domain = parts("/repo/app");
        let ps: Vec<Pattern> = patterns
            .iter()
            .map(|p| Pattern::parse(p, &domain))
            .collect();
        Matcher { patterns: ps }.is_ignored(&parts(path), is_dir)
    }

    #[test]
    fn go_match_follows_filepath_match() {
        assert_eq!(go_match("*.yaml", "a.yaml"), Some(true));
        assert_eq!(go_match("*.yaml", "a.yml"), Some(false));
        assert_eq!(go_match("a?c", "abc"), Some(true));
        assert_eq!(go_match("[a-c]x", "bx"), Some(true));
        assert_eq!(go_match("[^a-c]x", "bx"), Some(false));
        assert_eq!(go_match("[^a-c]x", "dx"), Some(true));
        assert_eq!(go_match("\\*", "*"), Some(true));
        assert_eq!(go_match("\\*", "a"), Some(false));
        assert_eq!(go_match("*a*b", "xaxxb"), Some(true));
        assert_eq!(go_match("*a*b", "xaxxbc"), Some(false));
        // Malformed: unclosed class, trailing backslash, bare '-' in a class.
        assert_eq!(go_match("[a", "a"), None);
        assert_eq!(go_match("a\\", "a"), None);
        assert_eq!(go_match("[-]", "-"), None);
        // Git's `[!a]` is not Go's negation: '!' is an ordinary class member.
        assert_eq!(go_match("[!a]", "!"), Some(true));
    }

    #[test]
    fn patterns_without_slash_match_any_component() {
        assert!(ignored(&[".sops.yaml"], "/repo/app/.sops.yaml", false));
        assert!(ignored(&[".sops.yaml"], "/repo/app/sub/.sops.yaml", false));
        assert!(ignored(&["tmp"], "/repo/app/tmp/a.yaml", false));
        assert!(!ignored(&["*.json"], "/repo/app/a.yaml", false));
    }

    #[test]
    fn dir_only_patterns_skip_files_but_cover_their_content() {
        assert!(!ignored(&["tmp/"], "/repo/app/tmp", false));
        assert!(ignored(&["tmp/"], "/repo/app/tmp", true));
        assert!(ignored(&["tmp/"], "/repo/app/tmp/a.yaml", false));
    }

    #[test]
    fn patterns_apply_only_below_their_domain() {
        assert!(!ignored(&["*.yaml"], "/repo/other/a.yaml", false));
        assert!(!ignored(&["app"], "/repo/app", true));
    }

    #[test]
    fn anchored_patterns_match_from_the_domain() {
        assert!(ignored(&["/*"], "/repo/app/a.yaml", false));
        assert!(ignored(&["/*"], "/repo/app/sub/a.yaml", false));
        assert!(ignored(&["sub/a.yaml"], "/repo/app/sub/a.yaml", false));
        assert!(!ignored(&["sub/a.yaml"], "/repo/app/x/sub/a.yaml", false));
        assert!(ignored(&["**/a.yaml"], "/repo/app/x/y/a.yaml", false));
        assert!(ignored(&["sub/**"], "/repo/app/sub/x/a.yaml", false));
        assert!(ignored(&["a/**/b.yaml"], "/repo/app/a/x/y/b.yaml", false));
        assert!(!ignored(&["a/**/b.yaml"], "/repo/app/a/x/y/c.yaml", false));
    }

    #[test]
    fn the_last_matching_pattern_wins() {
        assert!(!ignored(
            &["/*", "!config.yaml"],
            "/repo/app/config.yaml",
            false
        ));
        assert!(ignored(
            &["/*", "!config.yaml"],
            "/repo/app/deploy.yaml",
            false
        ));
        assert!(ignored(
            &["!config.yaml", "/*"],
            "/repo/app/config.yaml",
            false
        ));
    }

    #[test]
    fn defaults_come_first_and_user_patterns_override_them() {
        let domain = parts("/repo/app");
        let m = Matcher::with_defaults(&[], &domain);
        assert!(m.is_ignored(&parts("/repo/app/.gitlab-ci.yml"), false));
        assert!(m.is_ignored(&parts("/repo/app/x/.sops.yaml"), false));
        assert!(m.is_ignored(&parts("/repo/app/.git/config"), false));
        assert!(!m.is_ignored(&parts("/repo/app/deploy.yaml"), false));
        let user = read_patterns("!.gitlab-ci.yml\n", &domain);
        let m = Matcher::with_defaults(&user, &domain);
        assert!(!m.is_ignored(&parts("/repo/app/.gitlab-ci.yml"), false));
    }

    #[test]
    fn read_patterns_skips_comments_and_blank_lines_and_trims_trailing_spaces() {
        let domain = parts("/r");
        let ps = read_patterns("# c\n\n  \na.yaml  \r\nb\\ \n", &domain);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].parts, vec!["a.yaml".to_string()]);
        assert_eq!(ps[1].parts, vec!["b\\ ".to_string()]);
    }

    #[test]
    fn ignore_files_are_scoped_to_their_directory() {
        let mut fs = crate::source::MemoryFs::new();
        fs.insert("/r/.sourceignore", "top.yaml\n");
        fs.insert("/r/b/.sourceignore", "x.yaml\n");
        fs.insert("/r/a/.sourceignore", "y.yaml\n");
        fs.insert("/r/.git/.sourceignore", "never.yaml\n");
        let domain = parts("/r");
        let ps = load_ignore_files(&fs, Path::new("/r"), &domain).unwrap();
        let texts: Vec<(&[String], &str)> = ps
            .iter()
            .map(|p| (p.domain.as_slice(), p.parts[0].as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (parts("/r").as_slice(), "top.yaml"),
                (parts("/r/a").as_slice(), "y.yaml"),
                (parts("/r/b").as_slice(), "x.yaml"),
            ]
        );
        let m = Matcher::with_defaults(&ps, &domain);
        assert!(m.is_ignored(&parts("/r/b/x.yaml"), false));
        assert!(!m.is_ignored(&parts("/r/a/x.yaml"), false));
    }
}
