//! Container networking: published ports (and, as the work goes on, the
//! rootless helpers pasta and slirp4netns, DNS and user networks).

pub mod publish;
