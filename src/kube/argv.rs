//! The `rctl create` arguments of a planned container (pure). `kube play`
//! creates containers through the same flag parser as `rctl create`, so
//! a Pod means exactly what the equivalent command line means.
