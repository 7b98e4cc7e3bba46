//! `slugify`: gosimple/slug `Make` with `MaxLength = 63` and smart truncation,
//! as flux-operator configures it.

const MAX_LENGTH: usize = 63;

/// A few Latin transliterations (the common accented letters); other
/// non-ASCII characters become separators, as unidecode's unknowns do.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'æ' => "ae",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

/// gosimple/slug `Make(s)` (language `en`).
pub fn slugify(s: &str) -> String {
    let mut text = String::new();
    for c in s.trim().chars() {
        match c {
            // default and `en` substitutions
            '"' | '\'' | '’' => {}
            '‒' | '–' | '—' | '―' => text.push('-'),
            '&' => text.push_str("and"),
            '@' => text.push_str("at"),
            c if c.is_ascii() => text.push(c),
            c => text.push_str(transliterate(c).unwrap_or("-")),
        }
    }
    let lowered = text.to_lowercase();
    let mut out = String::new();
    for c in lowered.chars() {
        let ok = c.is_ascii_alphanumeric() || c == '-' || c == '_';
        let c = if ok { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_matches(['-', '_']).to_string();
    smart_truncate(&out)
}

fn smart_truncate(text: &str) -> String {
    if text.len() <= MAX_LENGTH {
        return text.to_string();
    }
    let mut truncated = String::new();
    for word in text.split('-') {
        if truncated.len() + word.len() <= MAX_LENGTH {
            truncated.push_str(word);
            truncated.push('-');
        } else {
            break;
        }
    }
    let t = truncated.trim_end_matches('-');
    if t.is_empty() {
        text[..MAX_LENGTH].to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify(">=1.0.0-rc.0"), "1-0-0-rc-0");
        assert_eq!(slugify("Hello World & Co"), "hello-world-and-co");
        assert!(slugify(&"abc-".repeat(30)).len() <= 63);
    }
}
