//! Tests over recorded Windows traffic and against a local HTTP(S) server.

mod captures;
mod http;
mod server;
mod sim;
