//! Markdown as HTML for the pages: raw HTML shown as text, and links kept only to web
//! addresses.

/// Markdown (a problem's statement, an interview's report) as HTML. Raw HTML in it is shown
/// as text, and a link or image whose address has a scheme other than http or https
/// (`javascript:`, `data:`, ...) keeps its words but loses its address: the text is an
/// author's or (in a report) a candidate's, never markup or script that runs in a page.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    // For each link or image open: whether it was kept (so its end is kept or dropped too).
    let mut open: Vec<bool> = Vec::new();
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
            let kept = safe_address(dest_url);
            open.push(kept);
            kept.then_some(event)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => open.pop().unwrap_or(true).then_some(event),
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    out
}

/// Whether a link's address may stay: http(s), or one without a scheme (a path of this
/// site, a fragment). Whitespace and controls anywhere are refused: browsers drop them, so
/// `java\tscript:` would be `javascript:`.
fn safe_address(address: &str) -> bool {
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match address.find([':', '/', '?', '#']) {
        Some(at) if address[at..].starts_with(':') => {
            let scheme = address[..at].to_ascii_lowercase();
            scheme == "http" || scheme == "https"
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_shows_raw_html_as_text() {
        let html = markdown("# Title\n\nSome *words* <script>alert(1)</script>\n\n    code\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>words</em>"), "{html}");
        assert!(html.contains("<pre><code>code"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn links_keep_their_words_but_only_web_addresses() {
        let html = markdown(
            "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) <javascript:alert(3)> \
             [c](java&#9;script:alert(4)) [d](data:text/html,x) ![e](javascript:alert(5)) \
             [f](https://example.com/x) [g](/problems/knn) [h](#samples) [i](vbscript:x)",
        );
        let addresses: Vec<&str> = [" href=\"", " src=\""]
            .iter()
            .flat_map(|attribute| html.split(attribute).skip(1))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(
            addresses
                .iter()
                .all(|a| a.starts_with("https://") || a.starts_with(['/', '#'])),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
        for kept in [
            "href=\"https://example.com/x\"",
            "href=\"/problems/knn\"",
            "href=\"#samples\"",
        ] {
            assert!(html.contains(kept), "{kept} in {html}");
        }
        for words in ["a", "b", "c", "d", "e", "i"] {
            assert!(html.contains(words), "{words} in {html}");
        }
    }
}
