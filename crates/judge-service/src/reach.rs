//! How users reach the service, and whom it may reach, as its operator configured them: the
//! public URL absolute links are built on (never a request's `Host`, which any client
//! chooses), the private networks webhooks may call (none unless named), and the proxies
//! whose `X-Forwarded-For` names the client (so a sign-in is throttled per client, not per
//! proxy).

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::http::HeaderMap;

use super::webhook_target::Net;

/// What `judge serve` says at start when it has no public URL.
pub const NO_PUBLIC_URL: &str = "no --public-url: interview links and webhooks carry paths only (start with --public-url https://judge.example.com for absolute links)";

/// The operator's answers; the default is the safe one (no public URL, no private webhook
/// target, no trusted proxy).
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// `--public-url`: the address users reach the service at.
    pub public_url: Option<PublicUrl>,
    /// `--webhook-allow`: networks a webhook may call besides public addresses.
    pub webhook_allow: Vec<Net>,
    /// `--trusted-proxy`: proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Reach {
    /// The absolute URL of `path` (which starts with `/`), or `None` without a public URL.
    pub fn link(&self, path: &str) -> Option<String> {
        self.public_url
            .as_ref()
            .map(|base| format!("{}{path}", base.0))
    }

    /// The client a request comes from: the connection's peer, or, when the peer is a
    /// trusted proxy, the nearest address in `X-Forwarded-For` that is not one (each proxy
    /// appends the address it was reached from, so only the right end can be believed).
    pub fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.ip().to_canonical();
        if !self.trusted_proxies.contains(&client) {
            return client;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in forwarded.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                break;
            };
            client = ip.to_canonical();
            if !self.trusted_proxies.contains(&client) {
                break;
            }
        }
        client
    }
}

/// `--public-url`: an http(s) URL without a query, a fragment or credentials, kept without
/// its trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a `--public-url` is refused.
#[derive(Debug, thiserror::Error)]
pub enum PublicUrlError {
    #[error("{text:?} is not a URL ({source}); write e.g. https://judge.example.com")]
    NotUrl {
        text: String,
        source: url::ParseError,
    },
    #[error("{0:?} must start with https:// (or http://)")]
    NotHttp(String),
    #[error("{0:?} may not have a query or a fragment")]
    QueryOrFragment(String),
    #[error("{0:?} may not carry a user name or password")]
    Credentials(String),
}

impl FromStr for PublicUrl {
    type Err = PublicUrlError;

    fn from_str(text: &str) -> Result<PublicUrl, PublicUrlError> {
        let url = url::Url::parse(text).map_err(|source| PublicUrlError::NotUrl {
            text: text.to_string(),
            source,
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(PublicUrlError::NotHttp(text.to_string()));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(PublicUrlError::QueryOrFragment(text.to_string()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(PublicUrlError::Credentials(text.to_string()));
        }
        Ok(PublicUrl(url.as_str().trim_end_matches('/').to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_checked_and_kept_without_its_slash() {
        let url: PublicUrl = "https://judge.example.com/".parse().unwrap();
        assert_eq!(url.as_str(), "https://judge.example.com");
        let under: PublicUrl = "https://example.com/judge/".parse().unwrap();
        let reach = Reach {
            public_url: Some(under),
            ..Reach::default()
        };
        assert_eq!(
            reach.link("/interviews/1/join").as_deref(),
            Some("https://example.com/judge/interviews/1/join")
        );
        for bad in [
            "judge.example.com",
            "ftp://judge.example.com",
            "https://judge.example.com/?x=1",
            "https://a:b@judge.example.com",
        ] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
        assert_eq!(Reach::default().link("/x"), None);
    }

    #[test]
    fn only_a_trusted_proxy_is_believed_about_the_client() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        let proxy: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let untrusted = Reach::default();
        assert_eq!(untrusted.client(proxy, &headers), proxy.ip());
        let trusted = Reach {
            trusted_proxies: vec!["10.0.0.2".parse().unwrap()],
            ..Reach::default()
        };
        // The right end was written by the proxy; the left end by whoever sent it.
        assert_eq!(
            trusted.client(proxy, &headers),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let mapped: SocketAddr = "[::ffff:10.0.0.2]:5000".parse().unwrap();
        assert_eq!(
            trusted.client(mapped, &HeaderMap::new()),
            "10.0.0.2".parse::<IpAddr>().unwrap()
        );
    }
}
