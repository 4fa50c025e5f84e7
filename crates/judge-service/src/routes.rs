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
}
