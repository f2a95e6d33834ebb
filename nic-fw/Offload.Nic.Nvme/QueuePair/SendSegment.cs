using Offload.Nic.Nvme.Namespace;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>Read data sent straight from namespace memory: <see cref="Size"/> bytes at <see cref="Address"/>, logically
/// inserted into the send buffer at <see cref="Position"/> (after its C2HData header, before its data digest). The
/// range [Offset, Offset+Size) of <see cref="Store"/> stays pinned until the bytes are sent or copied.</summary>
internal readonly record struct SendSegment(int Position, nint Address, int Size, IZeroCopyNamespaceStore Store, long Offset);
