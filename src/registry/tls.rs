//! TLS for `--tls-verify=false` and `registries.insecure`: HTTPS whose
//! certificate chain is not checked (handshake signatures still are), and
//! the scheme probe that falls back to plain HTTP, as Podman does.

use std::sync::Arc;
use std::time::Duration;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

/// Accepts any certificate chain; verifies handshake signatures.
#[derive(Debug)]
struct AnyChain(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyChain {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A TLS client config that does not check certificate chains.
pub fn unverified_config() -> Option<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyChain(provider)))
        .with_no_client_auth();
    Some(Arc::new(config))
}

/// `https` when `host` answers HTTPS at all (any HTTP status), else `http`.
pub fn probe_scheme(agent: &ureq::Agent, host: &str) -> &'static str {
    match agent
        .get(&format!("https://{host}/v2/"))
        .timeout(Duration::from_secs(10))
        .call()
    {
        Ok(_) | Err(ureq::Error::Status(..)) => "https",
        Err(ureq::Error::Transport(t)) => {
            log::debug!("`{host}` does not speak HTTPS ({t}); using HTTP");
            "http"
        }
    }
}

/// Where Podman and Docker look for a registry's extra CA certificates
/// (`*.crt` files), for `registry` (`host[:port]`).
pub fn ca_dirs(config_home: &std::path::Path, registry: &str) -> Vec<std::path::PathBuf> {
    vec![
        config_home.join("containers/certs.d").join(registry),
        std::path::Path::new("/etc/containers/certs.d").join(registry),
        std::path::Path::new("/etc/docker/certs.d").join(registry),
    ]
}

/// A verifying TLS config with the webpki (Mozilla) roots plus the CA
/// certificates found in `dirs`; `None` when there are none (the default
/// config is then the same).
pub fn verified_config(dirs: &[std::path::PathBuf]) -> Option<Arc<rustls::ClientConfig>> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut extra = 0;
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "crt") {
                continue;
            }
            let certs = match CertificateDer::pem_file_iter(&path) {
                Ok(iter) => iter.collect::<Result<Vec<_>, _>>(),
                Err(err) => Err(err),
            };
            match certs {
                Ok(certs) => {
                    let (added, _) = roots.add_parsable_certificates(certs);
                    extra += added;
                }
                Err(err) => log::warn!("CA certificate `{}` not used: {err}", path.display()),
            }
        }
    }
    if extra == 0 {
        return None;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Some(Arc::new(config))
}
