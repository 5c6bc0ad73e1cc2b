#![no_main]

use keyferry::protocol::{decode, limits, ToBackground};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut de = serde_json::Deserializer::from_slice(data);
    // Whatever comes in, decoding answers with a message or a rejection, and
    // an accepted message is within the limits.
    if let Ok(msg) = decode(&mut de) {
        assert!(msg.check_limits().is_ok());
        if let ToBackground::Hello { url, .. } | ToBackground::Facts { url, .. } = &msg {
            assert!(url.len() <= limits::MAX_URL);
        }
        // What decoded re-encodes and decodes to the same message.
        let text = serde_json::to_string(&keyferry::protocol::Envelope::new(msg.clone())).expect("encodes");
        let again = decode(&mut serde_json::Deserializer::from_str(&text)).expect("decodes again");
        assert_eq!(again, msg);
    }
});
