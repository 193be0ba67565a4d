//! A timeline with its people pseudonymised and its free text dropped, for sharing a decision
//! outside the provider (`vigil eval --redact KEYFILE`, docs/privacy.md). Evaluating the
//! redacted timeline gives the same decision with person ids, event ids, routes and locations
//! replaced by stable keyed hashes, and free text by `[redacted]`: nothing has to be found
//! and replaced in the output's words afterwards.

use crate::hash::Map;

use super::{EventData, Timeline};

/// What free text becomes.
pub const REDACTED: &str = "[redacted]";

/// The stable keyed pseudonym of `text` as a `kind` (`person`, `event`, `route`,
/// `location`): HMAC-SHA256 under `key`, 12 hex digits. The same key gives the same
/// pseudonym in every output, so redacted decisions can be compared; without the key it
/// cannot be reversed by trying every likely id.
///
/// ```
/// use vigil::timeline::pseudonym;
/// let key = b"a key of at least sixteen bytes";
/// let p = pseudonym(key, "person", "P-0142");
/// assert!(p.starts_with("person-") && p.len() == "person-".len() + 12);
/// assert_eq!(p, pseudonym(key, "person", "P-0142"));
/// assert_ne!(p, pseudonym(b"another key of sixteen bytes", "person", "P-0142"));
/// ```
pub fn pseudonym(key: &[u8], kind: &str, text: &str) -> String {
    let mac = hmac_sha256(key, &[kind.as_bytes(), b"\0", text.as_bytes()].concat());
    let hex: String = mac.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{kind}-{hex}")
}

/// HMAC (RFC 2104) over SHA-256.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

impl Timeline {
    /// This timeline with person ids, event ids, routes and locations replaced by their
    /// keyed pseudonyms ([`pseudonym`]) and free text (a refusal's task and reason, a
    /// cancellation's reason, where someone was found, an alert's name) by `[redacted]`. Visit ids, role
    /// names and everything the rules declare are kept. A `reviewed` event's duty id has each
    /// id in it pseudonymised, so it still names the same duty.
    pub fn redacted(&self, key: &[u8]) -> Timeline {
        let mut tl = self.clone();
        let mut ids: Map<String, String> = Map::default();
        for p in &mut tl.persons {
            let new = pseudonym(key, "person", &p.id);
            ids.insert(std::mem::replace(&mut p.id, new.clone()), new);
        }
        for e in &mut tl.events {
            let new = pseudonym(key, "event", &e.id);
            ids.insert(std::mem::replace(&mut e.id, new.clone()), new);
        }
        // A route or location is named by a visit or by a record about it (a route audit);
        // both become the same pseudonym, so that governance counted per route or location
        // groups them as before, and a reviewed governance duty's id still names its group.
        let mut place = |kind: &str, name: &mut Option<String>| {
            if let Some(n) = name.as_mut() {
                let new = pseudonym(key, kind, n);
                let old = std::mem::replace(n, new.clone());
                ids.entry(old).or_insert(new);
            }
        };
        for v in &mut tl.visits {
            place("route", &mut v.route);
            place("location", &mut v.location);
        }
        for e in &mut tl.events {
            if let EventData::RecordMade {
                route, location, ..
            } = &mut e.data
            {
                place("route", route);
                place("location", location);
            }
        }
        let text = || Some(REDACTED.to_string());
        let spans = id_spans(&ids);
        for e in &mut tl.events {
            match &mut e.data {
                EventData::Refusal { task, reason } => {
                    *task = task.as_ref().and_then(|_| text());
                    *reason = reason.as_ref().and_then(|_| text());
                }
                EventData::VisitCancelled { reason } => *reason = REDACTED.into(),
                EventData::WhereaboutsConfirmed { place } => {
                    *place = place.as_ref().and_then(|_| text());
                }
                EventData::AtAlert { alert } => *alert = alert.as_ref().and_then(|_| text()),
                EventData::Reviewed { duty } => *duty = pseudonymised_path(duty, &ids, &spans),
                _ => {}
            }
        }
        tl
    }
}

/// A duty id with each known id in it replaced by its pseudonym. The id's parts are split at
/// `/`, but an id may hold a `/` itself (a person `P/1`, a route `North/East`): the longest
/// run of parts that is a known id is replaced whole (found in review: a person id with a
/// slash was left in a `reviewed` event as written, under `--redact`).
/// `spans`: how many parts a known id can span ([`id_spans`]).
fn pseudonymised_path(duty: &str, ids: &Map<String, String>, spans: &[usize]) -> String {
    let parts: Vec<&str> = duty.split('/').collect();
    let mut out: Vec<&str> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let found = spans
            .iter()
            .filter(|n| i + **n <= parts.len())
            .find_map(|n| ids.get(&parts[i..i + n].join("/")).map(|new| (*n, new)));
        match found {
            Some((n, new)) => {
                out.push(new);
                i += n;
            }
            None => {
                out.push(parts[i]);
                i += 1;
            }
        }
    }
    out.join("/")
}

/// How many `/`-separated parts the known ids span, longest first: only runs of those lengths
/// are looked up. Worked out once for all `reviewed` events, not for each.
fn id_spans(ids: &Map<String, String>) -> Vec<usize> {
    let mut spans: Vec<usize> = ids.keys().map(|k| k.matches('/').count() + 1).collect();
    spans.sort_unstable_by(|a, b| b.cmp(a));
    spans.dedup();
    spans
}
