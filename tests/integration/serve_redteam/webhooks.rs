//! Webhooks as a hostile account holder aims them: no loopback, private or link-local
//! address, no redirect, no stalled receiver delaying others, TLS for https, and signatures
//! that cannot be replayed.

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use judge::service::webhook::SignatureError;
use serde_json::{json, Value};

use super::client::{DOES_NOT_COMPILE, FLAGS};
use super::receiver::{delivery_error, receiver, OK};
use crate::serve::{add_user, data_dir, eventually, finished, post, Server, LOOPBACK_HOOKS};

// 3. Webhook targets.

#[test]
fn a_webhook_reaches_no_loopback_private_or_link_local_address_and_follows_no_redirect() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, FLAGS);
    let inside = receiver("127.0.0.1", Some(OK.into()));
    let port = inside
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/hook")
        .to_string();
    let submit = |url: &str| {
        let body = json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": url});
        post(&server.api("/submissions"), &ada, &body.to_string())
    };
    for host in [
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "0.0.0.0",
        "user@127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "[fc00::1]",
        "[fd00:ec2::254]",
        "[fe80::1]",
    ] {
        let url = format!("http://{host}:{port}/hook");
        let (status, refused) = submit(&url);
        assert_eq!(status, 400, "{url}: {refused}");
        assert_eq!(refused["field"], "callback_url", "{url}: {refused}");
    }
    // A name is judged by what it resolves to, when delivering.
    let (status, made) = submit(&format!("http://localhost:{port}/hook"));
    assert_eq!(status, 201, "{made}");
    let error = delivery_error(&data, made["id"].as_i64().unwrap());
    assert!(error.contains("this machine"), "{error}");
    assert_eq!(
        inside.connections.load(Ordering::SeqCst),
        0,
        "nothing reached the inside"
    );

    // Allowed to reach 127.0.0.1 only: a redirect to another address is not followed.
    let (_keep2, data2) = data_dir();
    let bob = add_user(&data2, "bob", "candidate");
    let allowed = Server::start_with(&data2, LOOPBACK_HOOKS);
    let beyond = receiver("127.0.0.2", Some(OK.into()));
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        beyond.url
    );
    let bouncer = receiver("127.0.0.1", Some(redirect));
    let body =
        json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": bouncer.url});
    let (status, made) = post(&allowed.api("/submissions"), &bob, &body.to_string());
    assert_eq!(status, 201, "{made}");
    bouncer
        .requests
        .recv_timeout(Duration::from_mins(2))
        .expect("the allowed receiver is called");
    let error = delivery_error(&data2, made["id"].as_i64().unwrap());
    assert!(
        error.contains("302") && error.contains("not followed"),
        "{error}"
    );
    assert_eq!(
        beyond.connections.load(Ordering::SeqCst),
        0,
        "the redirect was followed"
    );
    let (status, refused) = post(
        &allowed.api("/submissions"),
        &bob,
        &json!({"problem": "t-value", "source": "x", "callback_url": beyond.url}).to_string(),
    );
    assert_eq!(
        (status, &refused["field"]),
        (400, &json!("callback_url")),
        "{refused}"
    );
}

// 4. A receiver that never answers.

#[test]
fn a_receiver_that_never_answers_delays_no_one_elses_webhook() {
    let (_keep, data) = data_dir();
    let slow = add_user(&data, "slow", "candidate");
    let quick = add_user(&data, "quick", "candidate");
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let tarpit = receiver("127.0.0.1", None);
    let hook = receiver("127.0.0.1", Some(OK.into()));
    let batch = json!({ "submissions": (0..6).map(|_| json!({
        "problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": tarpit.url
    })).collect::<Vec<_>>() });
    let (status, made) = post(&server.api("/submissions/batch"), &slow, &batch.to_string());
    assert_eq!(status, 201, "{made}");
    for id in made["ids"].as_array().unwrap() {
        finished(&server, &slow, id.as_i64().unwrap());
    }
    // The tarpit holds the deliverer's calls to it (as many as it lets one receiver have).
    eventually(
        Duration::from_mins(1),
        "the tarpit was never called",
        |_| (tarpit.connections.load(Ordering::SeqCst) >= 4).then_some(()),
    );
    let (status, done) = post(
        &server.api("/submissions?wait=true"),
        &quick,
        &json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": hook.url})
            .to_string(),
    );
    assert_eq!((status, &done["status"]), (201, &json!("done")), "{done}");
    let got = hook
        .requests
        .recv_timeout(Duration::from_mins(1))
        .expect("the other user's webhook");
    assert_eq!(
        serde_json::from_str::<Value>(&got.body).unwrap()["id"],
        done["id"]
    );
    let late = got.at_ms - done["finished_ms"].as_i64().unwrap();
    assert!(
        late < 1000,
        "delivered {late} ms after the judging ended, behind the tarpit"
    );
}

/// A webhook to an `https://` address is delivered over TLS: the receiver's first bytes are
/// a TLS handshake (a client built without TLS never connected, and the delivery's error
/// said it had no TLS backend).
#[test]
fn an_https_webhook_speaks_tls() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/hook", listener.local_addr().unwrap());
    let (tell, first) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut head = [0u8; 3];
        if stream.read_exact(&mut head).is_ok() {
            let _ = tell.send(head);
        }
    });
    let (status, made) = post(
        &server.api("/submissions"),
        &ada,
        &json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": url}).to_string(),
    );
    assert_eq!(status, 201, "{made}");
    let head = first
        .recv_timeout(Duration::from_mins(2))
        .expect("the receiver was never connected to");
    // A TLS record of type handshake (22), version 3.x.
    assert_eq!((head[0], head[1]), (22, 3), "not a TLS handshake: {head:?}");
    let error = delivery_error(&data, made["id"].as_i64().unwrap());
    assert!(!error.contains("TLS backend"), "{error}");
}

// 10. Replayed webhooks.

#[test]
fn a_webhooks_signature_binds_its_time_and_delivery_so_a_capture_cannot_be_replayed() {
    let (_keep, data) = data_dir();
    let ada = add_user(&data, "ada", "candidate");
    let server = Server::start_with(&data, LOOPBACK_HOOKS);
    let hook = receiver("127.0.0.1", Some(OK.into()));
    let key = || std::fs::read(data.join("webhook-secret")).unwrap();
    let mut captured = Vec::new();
    for _ in 0..2 {
        let body =
            json!({"problem": "t-value", "source": DOES_NOT_COMPILE, "callback_url": hook.url});
        assert_eq!(
            post(&server.api("/submissions"), &ada, &body.to_string()).0,
            201
        );
        let got = hook
            .requests
            .recv_timeout(Duration::from_mins(2))
            .expect("a webhook");
        captured.push((
            got.header("x-judge-timestamp"),
            got.header("x-judge-delivery"),
            got.header("x-judge-signature"),
            got.body,
        ));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let verify = |(timestamp, delivery, signed, body): &(String, String, String, String),
                  now: u64| {
        judge::service::webhook::verify(&key(), timestamp, delivery, body.as_bytes(), signed, now)
    };
    for delivery in &captured {
        assert_eq!(verify(delivery, now), Ok(()), "{delivery:?}");
        // Replayed later: stale.
        assert!(matches!(
            verify(delivery, now + 600),
            Err(SignatureError::Stale(_))
        ));
        // Replayed now with a fresh timestamp or another id: the signature no longer fits.
        let (t, d, s, b) = delivery.clone();
        let fresh = (now.to_string(), d.clone(), s.clone(), b.clone());
        if t != fresh.0 {
            assert_eq!(verify(&fresh, now), Err(SignatureError::Mismatch));
        }
        assert_eq!(
            verify(&(t, format!("{d}x"), s, b), now),
            Err(SignatureError::Mismatch)
        );
    }
    assert_ne!(
        captured[0].1, captured[1].1,
        "each webhook has an id of its own"
    );
    // A signature over the body alone (the old scheme) is not what is sent.
    let (_, _, signed, body) = &captured[0];
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&key()).unwrap();
    hmac::Mac::update(&mut mac, body.as_bytes());
    let body_only = format!(
        "sha256={}",
        judge::cache::hex(&hmac::Mac::finalize(mac).into_bytes())
    );
    assert_ne!(*signed, body_only);
}
