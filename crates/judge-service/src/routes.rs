//! Every route of `judge serve`, in one place: each resource's own (its API and its pages,
//! from the resource's `routes()`), then what belongs to none (health, metrics, the OpenAPI
//! document, the pages' files and icon) and the page for an address that names nothing.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::web::{asset_response, error_page};
use crate::{accounts, api, interviews, problems, similarity, submissions, workers, Service};

/// The service's router, over `service`.
pub(crate) fn router(service: Arc<Service>) -> Router {
    Router::new()
        .merge(accounts::routes())
        .merge(problems::routes())
        .merge(submissions::routes())
        .merge(interviews::routes())
        .merge(similarity::routes())
        .merge(workers::routes())
        .route("/healthz", get(api::health))
        .route("/metrics", get(api::metrics))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/assets/{file}", get(asset))
        // Where a browser looks for an icon on an answer that names none (the API's JSON).
        .route("/favicon.ico", get(favicon))
        .fallback(|| async { error_page(StatusCode::NOT_FOUND, "There is no page here.") })
        .with_state(service)
}

async fn asset(Path(file): Path<String>) -> Response {
    asset_response(&file)
        .unwrap_or_else(|| error_page(StatusCode::NOT_FOUND, "There is no such file."))
}

/// The icon at the address browsers try by themselves. Its address carries no digest, so it
/// is kept for a day only (the pages name the versioned one).
async fn favicon() -> Response {
    asset(Path("favicon.svg".to_string())).await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn src() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
    }

    /// Every `.rs` file under `dir`, as a path relative to it.
    fn sources(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(here) = stack.pop() {
            for entry in std::fs::read_dir(&here).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    found.push(path.strip_prefix(dir).unwrap().to_path_buf());
                }
            }
        }
        found
    }

    /// A resource folder's `mod.rs`: `<folder>/mod.rs`, one level down.
    fn is_resource_mod(file: &Path) -> bool {
        file.file_name().is_some_and(|n| n == "mod.rs") && file.components().count() == 2
    }

    #[test]
    fn routes_are_declared_only_by_the_resources_and_here() {
        let src = src();
        let stray: Vec<String> = sources(&src)
            .into_iter()
            .filter(|file| file != Path::new("routes.rs") && !is_resource_mod(file))
            .filter(|file| {
                std::fs::read_to_string(src.join(file))
                    .unwrap()
                    .contains(".route(")
            })
            .map(|file| file.display().to_string())
            .collect();
        assert!(
            stray.is_empty(),
            "a route is declared outside a resource's mod.rs and routes.rs, where a reader looks for it: {stray:?}"
        );
    }

    #[test]
    fn every_resource_with_routes_is_served() {
        let src = src();
        let listed = std::fs::read_to_string(src.join("routes.rs")).unwrap();
        let resources: Vec<String> = sources(&src)
            .into_iter()
            .filter(|file| is_resource_mod(file))
            .filter(|file| {
                std::fs::read_to_string(src.join(file))
                    .unwrap()
                    .contains("fn routes() -> Router<Arc<Service>>")
            })
            .map(|file| file.parent().unwrap().display().to_string())
            .collect();
        assert!(resources.len() >= 6, "resources found: {resources:?}");
        let missing: Vec<&String> = resources
            .iter()
            .filter(|r| !listed.contains(&format!(".merge({r}::routes())")))
            .collect();
        assert!(
            missing.is_empty(),
            "resources whose routes() routes.rs does not merge: {missing:?}"
        );
    }

    /// The HTTP methods a route's handler list names (`get(..).post(..)`).
    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

    /// The `(method, path)` pairs of the `.route(..)` calls in `code` (axum's router lists
    /// none, so the declarations are read): the path literal, then each method named at
    /// the call's own depth (a closure's insides are deeper).
    fn routes_in(code: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for (at, _) in code.match_indices(".route(") {
            let rest = code[at + ".route(".len()..].trim_start();
            let Some(quoted) = rest.strip_prefix('"') else {
                continue;
            };
            let Some(end) = quoted.find('"') else {
                continue;
            };
            let path = &quoted[..end];
            let mut depth = 0;
            let mut word = String::new();
            for c in quoted[end + 1..].chars() {
                match c {
                    '(' => {
                        if depth == 0 && METHODS.contains(&word.as_str()) {
                            found.push((word.clone(), path.to_string()));
                        }
                        depth += 1;
                    }
                    ')' if depth == 0 => break,
                    ')' => depth -= 1,
                    _ => {}
                }
                if c.is_alphanumeric() || c == '_' {
                    word.push(c);
                } else {
                    word.clear();
                }
            }
        }
        found
    }

    /// Every route the service's routers declare: routes.rs's and each resource's
    /// mod.rs's, outside their tests.
    fn declared_routes() -> BTreeSet<(String, String)> {
        let src = src();
        sources(&src)
            .into_iter()
            .filter(|file| file == Path::new("routes.rs") || is_resource_mod(file))
            .flat_map(|file| {
                let text = std::fs::read_to_string(src.join(file)).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                routes_in(&code)
            })
            .collect()
    }

    /// Every `(method, path)` of the OpenAPI document the service serves.
    fn documented_routes() -> BTreeSet<(String, String)> {
        let doc: serde_json::Value = serde_json::from_str(&crate::api::openapi_document()).unwrap();
        let paths = doc["paths"].as_object().expect("the document has paths");
        paths
            .iter()
            .flat_map(|(path, item)| {
                METHODS
                    .iter()
                    .filter(|m| item.get(**m).is_some())
                    .map(|m| (m.to_string(), path.clone()))
            })
            .collect()
    }

    #[test]
    fn the_route_reader_finds_each_method_of_a_route() {
        let code = r#"Router::new()
            .route("/api/v1/a/{id}", get(api::a).put(api::b))
            .route("/b", post(pages::b).get(|| async { Redirect::to("/") }))"#;
        let pair = |m: &str, p: &str| (m.to_string(), p.to_string());
        assert_eq!(
            routes_in(code),
            [
                pair("get", "/api/v1/a/{id}"),
                pair("put", "/api/v1/a/{id}"),
                pair("post", "/b"),
                pair("get", "/b"),
            ]
        );
    }

    /// The document describes every `/api/v1/` route (and the health and metrics ones
    /// besides), and no route that is not served.
    #[test]
    fn every_api_route_is_in_the_openapi_document_and_only_those() {
        let declared = declared_routes();
        let api: Vec<_> = declared
            .iter()
            .filter(|(_, path)| path.starts_with("/api/v1/"))
            .collect();
        assert!(api.len() >= 15, "API routes found: {api:?}");
        let documented = documented_routes();
        // The document does not describe itself.
        let itself = ("get".to_string(), "/api/v1/openapi.json".to_string());
        let undocumented: Vec<_> = api
            .into_iter()
            .filter(|r| **r != itself && !documented.contains(*r))
            .collect();
        assert!(
            undocumented.is_empty(),
            "API routes the OpenAPI document does not describe (add #[utoipa::path] to the handler and list it in its resource's doc): {undocumented:?}"
        );
        let unserved: Vec<_> = documented.difference(&declared).collect();
        assert!(
            unserved.is_empty(),
            "routes the OpenAPI document describes that no router serves: {unserved:?}"
        );
    }
}
