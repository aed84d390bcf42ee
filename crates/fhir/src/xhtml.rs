//! Narrative XHTML: FHIR's `div` must be well-formed XHTML in the XHTML
//! namespace, so typed text is escaped and its line breaks become `<br/>`.

pub(crate) fn div(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 48);
    out.push_str(r#"<div xmlns="http://www.w3.org/1999/xhtml">"#);
    push_escaped_lines(&mut out, text);
    out.push_str("</div>");
    out
}

/// A narrative of labelled paragraphs: 「label：value」 each in a `<p>`.
pub(crate) fn div_of_paragraphs(items: &[(&str, String)]) -> String {
    let mut out = String::from(r#"<div xmlns="http://www.w3.org/1999/xhtml">"#);
    for (label, value) in items {
        out.push_str("<p>");
        push_escaped_lines(&mut out, label);
        out.push('：');
        push_escaped_lines(&mut out, value);
        out.push_str("</p>");
    }
    out.push_str("</div>");
    out
}

fn push_escaped_lines(out: &mut String, text: &str) {
    for (i, line) in text.trim().lines().enumerate() {
        if i > 0 {
            out.push_str("<br/>");
        }
        for c in line.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                // Control characters are not allowed in XML 1.0.
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_breaks_lines() {
        assert_eq!(
            div("a<b & c\nd"),
            r#"<div xmlns="http://www.w3.org/1999/xhtml">a&lt;b &amp; c<br/>d</div>"#
        );
    }
}
