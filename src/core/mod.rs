//! The object and error model, free of C types and pointers.

pub mod connect;
pub mod error;
pub mod event_loop;
pub mod events;
pub mod messages;
pub mod object;
pub mod stream;
pub mod typed_params;

pub use connect::{Child, Connect, Domain, ErrorHandler};
pub use error::{Error, Result};
