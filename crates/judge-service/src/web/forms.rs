//! What every page's form that changes something carries: the session's CSRF token, in a
//! hidden `csrf` field (the pages' scripts send it in `X-CSRF-Token` instead).

use axum::http::StatusCode;
use axum::response::Response;

use super::{error_page, Viewer};
use crate::secrets::same;

/// A form with no field but its CSRF token (signing out, an author's rejudge).
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Checks a form's CSRF token against the viewer's session.
pub(crate) fn form_ok(viewer: &Viewer, form: &CsrfForm) -> Result<(), Box<Response>> {
    match &viewer.csrf {
        Some(csrf) if same(csrf, &form.csrf) => Ok(()),
        Some(_) => Err(Box::new(error_page(
            StatusCode::FORBIDDEN,
            "This form is out of date (its CSRF token does not match): reload the page and try again.",
        ))),
        // A bearer token is not sent by a browser on its own.
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Role, User};

    fn viewer(csrf: Option<&str>) -> Viewer {
        Viewer {
            user: User {
                id: 1,
                name: "ada".into(),
                role: Role::Candidate,
            },
            csrf: csrf.map(str::to_string),
            session: csrf.map(|_| "session".to_string()),
        }
    }

    fn form(csrf: &str) -> CsrfForm {
        CsrfForm {
            csrf: csrf.to_string(),
        }
    }

    #[test]
    fn a_session_form_needs_its_own_token() {
        assert!(form_ok(&viewer(Some("t0k3n")), &form("t0k3n")).is_ok());
        let refused = form_ok(&viewer(Some("t0k3n")), &form("other")).unwrap_err();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let missing = form_ok(&viewer(Some("t0k3n")), &form("")).unwrap_err();
        assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn a_bearer_token_needs_no_form_token() {
        assert!(form_ok(&viewer(None), &form("")).is_ok());
    }
}
