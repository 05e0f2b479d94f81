//! Kubernetes hand-over: the Pod/Deployment YAML model (`model`), Pod YAML
//! from containers (`generate`, pure), the plan of what `kube play` creates
//! from YAML (`play`, pure), the rctl `create` flags each planned
//! container becomes (`argv`, pure), and the thin I/O that carries them out
//! on the store (`apply`).

pub mod apply;
pub mod argv;
pub mod generate;
pub mod model;
pub mod play;
