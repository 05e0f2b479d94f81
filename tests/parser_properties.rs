//! Property tests: parsers of user input never panic, and what they accept
//! keeps its invariants. (Fuzz-style; corpus replay runs in CI.)

use proptest::prelude::*;
use rctl::format::{Template, parse_format};
use rctl::idmap::{parse_subid, plan_map};
use rctl::mountspec::{MountSource, parse_mount, parse_tmpfs, parse_volume};
use rctl::network::publish::parse_publish;
use std::path::Path;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn subid_parser_never_panics_and_plans_are_sane(text in "([a-z0-9:#\\n ]{0,40}\\n?){0,6}", uid in 0u32..200_000) {
        if let Ok(ranges) = parse_subid(&text, Path::new("/etc/subuid"), Some("u"), uid) {
            if let Ok(map) = plan_map(uid, &ranges, Path::new("/etc/subuid")) {
                prop_assert_eq!(map[0].container_id, 0);
                prop_assert_eq!(map[0].host_id, uid);
                // Container ids are contiguous and never overflow.
                let mut next = 0u64;
                for e in &map {
                    prop_assert_eq!(u64::from(e.container_id), next);
                    next += u64::from(e.size);
                    prop_assert!(next <= u64::from(u32::MAX));
                }
            }
        }
    }

    #[test]
    fn publish_parser_never_panics(value in "[0-9a-z:\\[\\]./,-]{0,30}") {
        if let Ok(maps) = parse_publish(&value) {
            for m in maps {
                prop_assert!(m.container_port >= 1 && m.range >= 1);
                prop_assert!(u32::from(m.container_port) + u32::from(m.range) - 1 <= 65535);
                let _ = m.to_string();
            }
        }
    }

    #[test]
    fn mount_parsers_never_panic(value in "[a-zA-Z0-9/:,=._~-]{0,40}") {
        for m in [parse_volume(&value), parse_tmpfs(&value), parse_mount(&value)].into_iter().flatten() {
            prop_assert!(m.destination.is_absolute());
            prop_assert!(m.destination != Path::new("/"));
            if let MountSource::Bind { source } = &m.source {
                prop_assert!(source.is_absolute());
            }
        }
    }

    #[test]
    fn templates_never_panic(src in "[{}. a-zA-Z\"$|-]{0,30}") {
        let _ = parse_format(&src);
        if let Ok(t) = Template::parse(&src) {
            let _ = t.render(&serde_json::json!({"a": [1, {"b": "c"}], "B": true}));
        }
    }
}
