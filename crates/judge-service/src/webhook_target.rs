//! Where a webhook may be sent. A `callback_url` is a request the service makes on a
//! user's behalf, from inside whatever network it runs in, so it may reach public addresses
//! only: never this machine (loopback in any spelling, 0.0.0.0), private, shared or
//! link-local networks (the cloud metadata address among them), unique-local IPv6 or an IPv4
//! address inside an IPv6 one. The operator may allow named networks (`--webhook-allow`).
//!
//! A URL is checked twice: its form when submitted (scheme, no credentials, a literal
//! address's network; the URL parser reads `127.1`, `2130706433` and `0x7f000001` as the
//! address they are), and its host when delivered: resolved once, each address checked, and
//! the connection made to a checked address only (`webhook` hands the HTTP client these
//! addresses instead of letting it resolve the name again, which a rebinding DNS server
//! could answer differently). Redirects are not followed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::str::FromStr;

use url::{Host, Url};

/// The longest callback URL taken.
pub const MAX_URL: usize = 2048;

/// Why a callback URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error(
        "`callback_url` must be an http:// or https:// URL of at most {MAX_URL} bytes, not {0:?}"
    )]
    NotHttp(String),
    #[error("`callback_url` may not carry a user name or password")]
    Credentials,
    #[error("`callback_url` reaches {addr}, {why}: webhooks go to public addresses only (an operator allows more with --webhook-allow)")]
    NotPublic { addr: IpAddr, why: &'static str },
    #[error("{host} does not resolve: {why}")]
    Unresolved { host: String, why: String },
}

/// A network an operator lets webhooks reach: `10.1.0.0/16`, `127.0.0.1` (one address),
/// `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Why a `--webhook-allow` network is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a network: write an address (10.0.0.5) or address/prefix (10.0.0.0/8, fd00::/8)"
)]
pub struct NetError(String);

impl FromStr for Net {
    type Err = NetError;

    fn from_str(text: &str) -> Result<Net, NetError> {
        let bad = || NetError(text.to_string());
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let addr = addr.to_canonical();
        let most = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(bad)?,
        };
        Ok(Net { addr, prefix })
    }
}

impl std::fmt::Display for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Checks a callback URL's form when it is submitted; the parsed URL.
pub fn check_url(text: &str, allowed: &[Net]) -> Result<Url, TargetError> {
    let not_http = || TargetError::NotHttp(text.chars().take(200).collect());
    if text.len() > MAX_URL {
        return Err(not_http());
    }
    let url = Url::parse(text).map_err(|_| not_http())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(not_http());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    match url.host() {
        Some(Host::Ipv4(ip)) => check_addr(IpAddr::V4(ip), allowed)?,
        Some(Host::Ipv6(ip)) => check_addr(IpAddr::V6(ip), allowed)?,
        Some(Host::Domain(_)) => {}
        None => return Err(not_http()),
    }
    Ok(url)
}

/// The addresses a delivery to `url` may connect to: its host resolved once, keeping the
/// addresses allowed; refused when none is.
pub fn resolve(url: &Url, allowed: &[Net]) -> Result<Vec<SocketAddr>, TargetError> {
    resolve_with(url, allowed, |host, port| {
        (host, port).to_socket_addrs().map(Iterator::collect)
    })
}

fn resolve_with(
    url: &Url,
    allowed: &[Net],
    lookup: impl Fn(&str, u16) -> std::io::Result<Vec<SocketAddr>>,
) -> Result<Vec<SocketAddr>, TargetError> {
    let port = url.port_or_known_default().unwrap_or(80);
    let found = match url.host() {
        Some(Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(Host::Domain(name)) => lookup(name, port).map_err(|e| TargetError::Unresolved {
            host: name.to_string(),
            why: e.to_string(),
        })?,
        None => return Err(TargetError::NotHttp(url.to_string())),
    };
    let mut refused = None;
    let mut usable = Vec::new();
    for addr in found {
        match check_addr(addr.ip(), allowed) {
            Ok(()) => usable.push(addr),
            Err(e) => refused = refused.or(Some(e)),
        }
    }
    match (usable.is_empty(), refused) {
        (false, _) => Ok(usable),
        (true, Some(e)) => Err(e),
        (true, None) => Err(TargetError::Unresolved {
            host: url.host_str().unwrap_or("").to_string(),
            why: "no address".into(),
        }),
    }
}

/// Ok when a webhook may reach `ip`: a public address, or one in a network the operator
/// allowed.
pub fn check_addr(ip: IpAddr, allowed: &[Net]) -> Result<(), TargetError> {
    let ip = ip.to_canonical();
    if allowed.iter().any(|net| net.contains(ip)) {
        return Ok(());
    }
    match not_public(ip) {
        None => Ok(()),
        Some(why) => Err(TargetError::NotPublic { addr: ip, why }),
    }
}

/// Why `ip` is not a public unicast address, or `None` when it is.
pub fn not_public(ip: IpAddr) -> Option<&'static str> {
    match ip.to_canonical() {
        IpAddr::V4(v4) => not_public_v4(v4),
        IpAddr::V6(v6) => not_public_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn not_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    const RANGES: &[([u8; 4], u32, &str)] = &[
        (
            [0, 0, 0, 0],
            8,
            "\"this network\" (0.0.0.0/8, this machine)",
        ),
        ([10, 0, 0, 0], 8, "a private address (10.0.0.0/8)"),
        ([100, 64, 0, 0], 10, "a shared address (100.64.0.0/10)"),
        ([127, 0, 0, 0], 8, "this machine (loopback)"),
        (
            [169, 254, 0, 0],
            16,
            "a link-local address (169.254.0.0/16, where clouds serve instance metadata)",
        ),
        ([172, 16, 0, 0], 12, "a private address (172.16.0.0/12)"),
        ([192, 0, 0, 0], 24, "a protocol assignment (192.0.0.0/24)"),
        ([192, 0, 2, 0], 24, "a documentation address"),
        ([192, 88, 99, 0], 24, "a 6to4 relay address"),
        ([192, 168, 0, 0], 16, "a private address (192.168.0.0/16)"),
        (
            [198, 18, 0, 0],
            15,
            "a benchmarking address (198.18.0.0/15)",
        ),
        ([198, 51, 100, 0], 24, "a documentation address"),
        ([203, 0, 113, 0], 24, "a documentation address"),
        ([224, 0, 0, 0], 4, "a multicast address"),
        (
            [240, 0, 0, 0],
            4,
            "a reserved address (240.0.0.0/4, broadcast among them)",
        ),
    ];
    RANGES
        .iter()
        .find(|(net, prefix, _)| in_v4(ip, *net, *prefix))
        .map(|(_, _, why)| *why)
}

fn not_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    const RANGES: &[(u128, u32, &str)] = &[
        (
            0x0064_ff9b_0001 << 80,
            48,
            "a local-use NAT64 address (64:ff9b:1::/48)",
        ),
        (0x0100 << 112, 64, "a discard address (100::/64)"),
        (
            0x2001_0db8 << 96,
            32,
            "a documentation address (2001:db8::/32)",
        ),
        (
            0x2001 << 112,
            23,
            "an IETF protocol assignment (2001::/23, Teredo among them)",
        ),
        (0xfc00 << 112, 7, "a unique-local address (fc00::/7)"),
        (0xfe80 << 112, 10, "a link-local address (fe80::/10)"),
        (0xfec0 << 112, 10, "a site-local address (fec0::/10)"),
        (0xff00 << 112, 8, "a multicast address"),
    ];
    let bits = u128::from(ip);
    let within = |net: u128, prefix: u32| {
        let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
        bits & mask == net & mask
    };
    // An IPv4 address inside an IPv6 one is judged as that IPv4 address.
    let embedded = |shift: u32| Ipv4Addr::from((bits >> shift) as u32);
    if ip.is_unspecified() || ip.is_loopback() {
        return Some("this machine (loopback or unspecified)");
    }
    if within(0, 96) {
        return Some("an IPv4-compatible address (deprecated, ::/96)");
    }
    if within(0x0064_ff9b << 96, 96) {
        return not_public_v4(embedded(0));
    }
    if within(0x2002 << 112, 16) {
        return not_public_v4(embedded(80));
    }
    if let Some((_, _, why)) = RANGES.iter().find(|(net, prefix, _)| within(*net, *prefix)) {
        return Some(why);
    }
    // Global unicast is 2000::/3; the rest is reserved.
    (!within(0x2000 << 112, 3)).then_some("a reserved address (outside 2000::/3)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> bool {
        matches!(check_url(url, &[]), Err(TargetError::NotPublic { .. }))
    }

    #[test]
    fn every_spelling_of_this_machine_is_refused_at_submission() {
        for url in [
            "http://127.0.0.1/hook",
            "http://127.1/hook",
            "http://2130706433/hook",
            "http://0x7f000001/hook",
            "http://0177.0.0.1/hook",
            "http://[::1]/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "http://[::ffff:7f00:1]/hook",
            "http://0.0.0.0/hook",
            "http://0/hook",
            "http://[::]/hook",
            "http://[64:ff9b::7f00:1]/hook",
            "http://[2002:7f00:1::]/hook",
        ] {
            assert!(refused(url), "{url}: {:?}", check_url(url, &[]));
        }
    }

    #[test]
    fn private_shared_and_link_local_networks_are_refused() {
        for url in [
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://172.31.255.255/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://[fc00::1]/",
            "http://[fd12:3456::1]/",
            "http://[fe80::1]/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://[::ffff:10.0.0.1]/",
        ] {
            assert!(refused(url), "{url}");
        }
        for url in [
            "http://93.184.215.14/",
            "https://[2606:4700::1111]/",
            "http://172.32.0.1/",
            "https://hooks.example.com/x",
        ] {
            assert!(check_url(url, &[]).is_ok(), "{url}");
        }
    }

    #[test]
    fn credentials_and_other_schemes_are_refused() {
        assert_eq!(
            check_url("http://user@127.0.0.1/", &[]),
            Err(TargetError::Credentials)
        );
        assert_eq!(
            check_url("http://a:b@hooks.example.com/", &[]),
            Err(TargetError::Credentials)
        );
        for url in ["file:///etc/passwd", "gopher://x/", "not a url", "http://"] {
            assert!(
                matches!(check_url(url, &[]), Err(TargetError::NotHttp(_))),
                "{url}"
            );
        }
        let long = format!("http://example.com/{}", "a".repeat(MAX_URL));
        assert!(matches!(
            check_url(&long, &[]),
            Err(TargetError::NotHttp(_))
        ));
    }

    #[test]
    fn an_allowed_network_is_reached_and_no_other() {
        let allowed: Vec<Net> = vec!["127.0.0.1".parse().unwrap(), "10.2.0.0/16".parse().unwrap()];
        assert!(check_url("http://127.0.0.1:9/", &allowed).is_ok());
        assert!(check_url("http://[::ffff:127.0.0.1]:9/", &allowed).is_ok());
        assert!(check_url("http://10.2.200.1/", &allowed).is_ok());
        assert!(check_url("http://127.0.0.2:9/", &allowed).is_err());
        assert!(check_url("http://10.3.0.1/", &allowed).is_err());
        assert!(check_url("http://[::1]:9/", &allowed).is_err());
        for bad in ["10.0.0.0/33", "ten", "::1/129", "1.2.3.4/"] {
            assert!(bad.parse::<Net>().is_err(), "{bad}");
        }
        assert_eq!("fd00::/8".parse::<Net>().unwrap().to_string(), "fd00::/8");
    }

    #[test]
    fn a_name_is_judged_by_every_address_it_resolves_to() {
        let url = Url::parse("http://hooks.example.com:8080/x").unwrap();
        let private = |_: &str, port| Ok(vec![SocketAddr::from(([10, 0, 0, 7], port))]);
        assert!(matches!(
            resolve_with(&url, &[], private),
            Err(TargetError::NotPublic { .. })
        ));
        // A public and a private address: only the public one is ever connected to.
        let mixed = |_: &str, port| {
            Ok(vec![
                SocketAddr::from(([127, 0, 0, 1], port)),
                SocketAddr::from(([93, 184, 215, 14], port)),
            ])
        };
        assert_eq!(
            resolve_with(&url, &[], mixed).unwrap(),
            [SocketAddr::from(([93, 184, 215, 14], 8080))]
        );
        let none = |_: &str, _| Err(std::io::Error::other("no such host"));
        assert!(matches!(
            resolve_with(&url, &[], none),
            Err(TargetError::Unresolved { .. })
        ));
    }
}
