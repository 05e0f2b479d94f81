//! Table tests (to come).
