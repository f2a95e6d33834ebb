using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Offload.Nic.Datapath.FlowKeys;

/// <summary>
/// Fast path for the common frame shape: untagged Ethernet II, IPv4 without options (IHL 5), not a fragment, UDP or
/// TCP. The key's words are composed in registers and stored once, instead of field by field through the general
/// parser. Any other shape, and any frame the checks here do not fully accept, goes to the general parser, so the
/// result is always identical to it (a property test compares the two on random and mutated frames).
/// </summary>
public static partial class FlowExtractor
{
    private const int FastL3 = 14;
    private const int FastL4 = FastL3 + 20;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryExtractFast(ReadOnlySpan<byte> frame, ushort inPort, ushort nvmeTcpPort, out FlowKey key, out PacketMetadata meta)
    {
        Unsafe.SkipInit(out key);
        Unsafe.SkipInit(out meta);

        // Ethernet (14) + IPv4 (20) + UDP (8) is the shortest frame this path takes.
        if (frame.Length < FastL4 + 8)
        {
            return false;
        }

        ref var b = ref MemoryMarshal.GetReference(frame);

        // Ethertype 0x0800 (bytes 08 00) and version/IHL 0x45: the low three bytes of the little-endian word at offset 12.
        if ((Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, 12)) & 0x00FF_FFFFu) != 0x0045_0008u)
        {
            return false;
        }

        int totalLength = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, FastL3 + 2)));
        var fragment = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, FastL3 + 6)));
        if (totalLength < 20 || totalLength > frame.Length - FastL3 || (fragment & 0x3FFF) != 0)
        {
            return false;
        }

        var l4Length = totalLength - 20;
        var proto = Unsafe.Add(ref b, FastL3 + 9);
        var ports = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, FastL4));
        var tpSrc = BinaryPrimitives.ReverseEndianness((ushort)ports);
        var tpDst = BinaryPrimitives.ReverseEndianness((ushort)(ports >> 16));
        ulong tcpFlags = 0;
        NvmeOpcodeClass nvmeClass = default;
        uint nvmeSize = 0;
        if (proto == ProtoUdp)
        {
            int udpLength = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, FastL4 + 4)));
            if (l4Length < 8 || udpLength < 8 || udpLength > l4Length)
            {
                return false;
            }
        }
        else if (proto == ProtoTcp)
        {
            if (l4Length < 20)
            {
                return false;
            }

            var offsetAndFlags = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref b, FastL4 + 12)));
            var dataOffset = (offsetAndFlags >> 12) * 4;
            if (dataOffset < 20 || dataOffset > l4Length)
            {
                return false;
            }

            tcpFlags = (ulong)(offsetAndFlags & 0x0FFF);
            if (nvmeTcpPort != 0 && (tpSrc == nvmeTcpPort || tpDst == nvmeTcpPort))
            {
                var peek = default(PacketMetadata);
                PeekNvme(frame.Slice(FastL4 + dataOffset, l4Length - dataOffset), ref peek);
                nvmeClass = peek.NvmeClass;
                nvmeSize = peek.NvmeDataSize;
            }
        }
        else
        {
            return false;
        }

        var tos = Unsafe.Add(ref b, FastL3 + 1);
        key.W0 = inPort | ((ulong)EtherTypeIpv4 << 32) | ((ulong)proto << 48) | ((ulong)tos << 56);
        key.W1 = (BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref b)) >> 16) | (tcpFlags << 48);
        key.W2 = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 6))) >> 16;
        key.W3 = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, FastL3 + 12)));
        key.W4 = 0;
        key.W5 = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, FastL3 + 16)));
        key.W6 = 0;
        key.W7 = tpSrc | ((ulong)tpDst << 16);
        meta = new PacketMetadata { L3Offset = FastL3, L4Offset = FastL4, NvmeClass = nvmeClass, NvmeDataSize = nvmeSize };
        return true;
    }
}
