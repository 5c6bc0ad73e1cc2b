#![no_main]

use keyferry::validate::datacenter::DataCenter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let _ = DataCenter::resolve(&input);
    let _ = DataCenter::from_name(&input);
    if let Some(dc) = DataCenter::from_host(&input) {
        assert_eq!(DataCenter::from_host(dc.app_host()), Some(dc));
    }
});
