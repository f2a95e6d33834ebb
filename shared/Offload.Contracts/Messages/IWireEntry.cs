using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>A positional (int-keyed array) record that travels in a list inside a message.</summary>
public interface IWireEntry
{
    void Write(ref MessagePackWriter writer);
}
