namespace Offload.Contracts.Messages;

/// <summary>Error codes carried by <see cref="ErrorMessage"/>. Never renumbered.</summary>
public enum ErrorCode
{
    Unspecified = 0,

    /// <summary>No protocol version is supported by both ends; the sender closes the connection.</summary>
    Incompatible = 1,

    /// <summary>A message could not be decoded.</summary>
    Malformed = 2,

    /// <summary>A message was understood but cannot be applied (for example an unknown application).</summary>
    Rejected = 3,

    /// <summary>The handshake did not complete in time.</summary>
    HandshakeTimeout = 4,

    Internal = 5,
}
