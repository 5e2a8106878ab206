//! What can stop a command of the command line.

use pioneer_store::StoreError;
use pioneer_store::vault::KeyError;

/// What can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Storage failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The key file could not be used.
    #[error("{0}")]
    Key(#[from] KeyError),
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Refused configuration.
    #[error("{0}")]
    Config(String),
    /// The journal does not verify.
    #[error("the journal does not verify")]
    Broken,
}
