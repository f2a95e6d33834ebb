namespace Offload.Nic.Nvme.Namespace;

/// <summary>
/// A namespace store whose bytes live at a stable address (the shared memory region), so a Read can be sent straight
/// from it. <see cref="Pin"/> keeps every logical block of the range from being written until <see cref="Unpin"/>:
/// the caller unpins once the kernel has copied the bytes (the send returned) or after copying them elsewhere.
/// </summary>
public interface IZeroCopyNamespaceStore : INamespaceStore
{
    /// <summary>Pins [offset, offset+size) (already range-checked) and returns its address.</summary>
    nint Pin(long offset, int size);

    void Unpin(long offset, int size);
}
