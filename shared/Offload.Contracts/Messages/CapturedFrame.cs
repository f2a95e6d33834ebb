namespace Offload.Contracts.Messages;

/// <summary>One mirrored frame in <see cref="CaptureFrames"/>.</summary>
/// <param name="TimestampUnixNanos">When the datapath saw the frame (Unix time, nanoseconds).</param>
/// <param name="OriginalLength">Length of the frame on the wire, in bytes (at least <c>Data.Length</c>).</param>
/// <param name="Outbound">True for a frame the port sent, false for one it received.</param>
/// <param name="Data">The first snap-length bytes of the frame.</param>
public readonly record struct CapturedFrame(long TimestampUnixNanos, uint OriginalLength, bool Outbound, ReadOnlyMemory<byte> Data);
