//! The files the pages load (style, scripts, the editor, the icon), embedded in the binary
//! and served with a digest of them all in their URL, so a browser keeps them long and
//! still loads new ones after an upgrade.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file the pages load, embedded in the binary.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("assets/style.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/app.js"),
    },
    Asset {
        name: "theme.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/theme.js"),
    },
    Asset {
        name: "list.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/list.js"),
    },
    Asset {
        name: "editor.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/editor.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("assets/favicon.svg"),
    },
    Asset {
        name: "editor.LICENSES.txt",
        content_type: "text/plain; charset=utf-8",
        body: include_str!("assets/editor.LICENSES.txt"),
    },
];

/// A digest of every asset, put in their URLs (`?v=`), so a browser may keep them for long
/// and still loads the new ones after an upgrade.
static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    let bodies: Vec<&[u8]> = ASSETS.iter().map(|a| a.body.as_bytes()).collect();
    judge_core::cache::digest(&bodies)[..12].to_string()
});

pub(super) fn asset_url(name: &str) -> String {
    format!("/assets/{name}?v={}", *ASSET_VERSION)
}

/// The answer for asset `name`, kept a day; None when there is no such asset.
pub(crate) fn response(name: &str) -> Option<Response> {
    let asset = ASSETS.iter().find(|a| a.name == name)?;
    let response = (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        asset.body,
    )
        .into_response();
    Some(response)
}
