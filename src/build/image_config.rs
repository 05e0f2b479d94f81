//! The image config object (`config` of the OCI image config) and a
//! [`StageConfig`] in both directions: a base image's fields to start a
//! stage from, and a stage's fields written over its base's object. Pure.

use serde_json::{Map, Value, json};

use super::StageConfig;

/// The image config object's fields, as a [`StageConfig`].
pub(super) fn stage_config(doc: &Value) -> StageConfig {
    let c = &doc["config"];
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array().map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
    };
    let keys = |v: &Value| -> std::collections::BTreeSet<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut cfg = StageConfig {
        env: strings(&c["Env"])
            .unwrap_or_default()
            .into_iter()
            .map(|e| match e.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (e, String::new()),
            })
            .collect(),
        cmd: strings(&c["Cmd"]),
        entrypoint: strings(&c["Entrypoint"]),
        working_dir: c["WorkingDir"].as_str().unwrap_or("").to_string(),
        user: c["User"].as_str().unwrap_or("").to_string(),
        exposed_ports: keys(&c["ExposedPorts"]),
        volumes: keys(&c["Volumes"]),
        labels: c["Labels"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        stop_signal: c["StopSignal"].as_str().map(String::from),
        on_build: strings(&c["OnBuild"]).unwrap_or_default(),
        ..StageConfig::default()
    };
    if let Some(shell) = strings(&c["Shell"]).filter(|s| !s.is_empty()) {
        cfg.shell = shell;
    }
    if let Some(h) = c["Healthcheck"].as_object() {
        let d = |k: &str| {
            std::time::Duration::from_nanos(h.get(k).and_then(Value::as_u64).unwrap_or(0))
        };
        cfg.healthcheck = Some(super::HealthConfig {
            test: strings(&h.get("Test").cloned().unwrap_or_default()).unwrap_or_default(),
            interval: d("Interval"),
            timeout: d("Timeout"),
            start_period: d("StartPeriod"),
            start_interval: d("StartInterval"),
            retries: h.get("Retries").and_then(Value::as_u64).unwrap_or(0) as u32,
        });
    }
    cfg
}

/// The image config object for `cfg` (the fields a Containerfile sets,
/// over what `base` had).
pub(super) fn config_object(base: &Value, cfg: &StageConfig) -> Map<String, Value> {
    let mut m = base.as_object().cloned().unwrap_or_default();
    let mut set = |k: &str, v: Option<Value>| match v {
        Some(v) => {
            m.insert(k.into(), v);
        }
        None => {
            m.remove(k);
        }
    };
    let env: Vec<String> = cfg.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    set("Env", (!env.is_empty()).then(|| json!(env)));
    set("Cmd", cfg.cmd.as_ref().map(|c| json!(c)));
    set("Entrypoint", cfg.entrypoint.as_ref().map(|c| json!(c)));
    set(
        "WorkingDir",
        (!cfg.working_dir.is_empty()).then(|| json!(cfg.working_dir)),
    );
    set("User", (!cfg.user.is_empty()).then(|| json!(cfg.user)));
    let obj = |s: &std::collections::BTreeSet<String>| {
        (!s.is_empty()).then(|| Value::Object(s.iter().map(|k| (k.clone(), json!({}))).collect()))
    };
    set("ExposedPorts", obj(&cfg.exposed_ports));
    set("Volumes", obj(&cfg.volumes));
    set(
        "Labels",
        (!cfg.labels.is_empty()).then(|| json!(cfg.labels)),
    );
    set("StopSignal", cfg.stop_signal.as_ref().map(|s| json!(s)));
    set(
        "Shell",
        (cfg.shell != super::default_shell()).then(|| json!(cfg.shell)),
    );
    set(
        "OnBuild",
        (!cfg.on_build.is_empty()).then(|| json!(cfg.on_build)),
    );
    set(
        "Healthcheck",
        cfg.healthcheck.as_ref().map(|h| {
            let mut o = json!({"Test": h.test});
            let ns = |d: std::time::Duration| json!(d.as_nanos() as u64);
            if !h.interval.is_zero() {
                o["Interval"] = ns(h.interval);
            }
            if !h.timeout.is_zero() {
                o["Timeout"] = ns(h.timeout);
            }
            if !h.start_period.is_zero() {
                o["StartPeriod"] = ns(h.start_period);
            }
            if !h.start_interval.is_zero() {
                o["StartInterval"] = ns(h.start_interval);
            }
            if h.retries != 0 {
                o["Retries"] = json!(h.retries);
            }
            o
        }),
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_round_trips_and_keeps_unknown_fields() {
        let doc = json!({"config": {
            "Env": ["PATH=/bin", "A=1"], "Cmd": ["sh"], "Entrypoint": ["/ep"],
            "WorkingDir": "/w", "User": "u", "ExposedPorts": {"80/tcp": {}},
            "Volumes": {"/v": {}}, "Labels": {"k": "v"}, "StopSignal": "SIGINT",
            "Shell": ["/bin/bash", "-c"], "OnBuild": ["RUN x"],
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 5000000000u64, "Retries": 2},
            "ArgsEscaped": true
        }});
        let cfg = stage_config(&doc);
        assert_eq!(cfg.env[1], ("A".to_string(), "1".to_string()));
        assert_eq!(cfg.shell, ["/bin/bash", "-c"]);
        assert_eq!(cfg.healthcheck.as_ref().unwrap().interval.as_secs(), 5);
        let back = config_object(&doc["config"], &cfg);
        assert_eq!(Value::Object(back), doc["config"]);
        // Cleared fields go away; the default shell is not written.
        let mut c2 = cfg.clone();
        c2.cmd = None;
        c2.shell = crate::build::default_shell();
        let out = config_object(&doc["config"], &c2);
        assert!(out.get("Cmd").is_none() && out.get("Shell").is_none());
    }
}
