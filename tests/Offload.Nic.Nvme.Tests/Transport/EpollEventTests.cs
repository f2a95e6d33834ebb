using System.Runtime.InteropServices;
using Offload.Nic.Nvme.Transport;

namespace Offload.Nic.Nvme.Tests.Transport;

/// <summary><c>struct epoll_event</c>'s layout per architecture (packed on x86 only), and this process's layout
/// against the real kernel.</summary>
public sealed class EpollEventTests
{
    [Theory]
    [InlineData(Architecture.X64, 12, 4)]
    [InlineData(Architecture.X86, 12, 4)]
    [InlineData(Architecture.Arm64, 16, 8)]
    [InlineData(Architecture.Arm, 16, 8)]
    [InlineData(Architecture.RiscV64, 16, 8)]
    [InlineData(Architecture.LoongArch64, 16, 8)]
    [InlineData(Architecture.Ppc64le, 16, 8)]
    [InlineData(Architecture.S390x, 16, 8)]
    public void Layout_PerArchitecture_PackedOnX86Only(Architecture architecture, int size, int dataOffset)
    {
        Assert.Equal(size, EpollEvent.SizeOf(architecture));
        Assert.Equal(dataOffset, EpollEvent.DataOffsetOf(architecture));
        Assert.True(size <= EpollEvent.MaxSize);
    }

    [Fact]
    public unsafe void Write_SecondEvent_MaskThenTokenAtTheProcesssOffsets()
    {
        byte* buffer = stackalloc byte[2 * EpollEvent.MaxSize];
        new Span<byte>(buffer, 2 * EpollEvent.MaxSize).Fill(0xAA);

        EpollEvent.Write(buffer, 1, 0x2005, 0x1122334455667788);

        var second = new ReadOnlySpan<byte>(buffer + EpollEvent.Size, EpollEvent.Size);
        Assert.Equal(0x2005u, BitConverter.ToUInt32(second[..4]));
        Assert.Equal(0x1122334455667788ul, BitConverter.ToUInt64(second.Slice(EpollEvent.DataOffset, 8)));
        Assert.All(second[4..EpollEvent.DataOffset].ToArray(), b => Assert.Equal(0, b)); // padding zeroed (none on x86)
        Assert.Equal(0x1122334455667788ul, EpollEvent.DataAt(buffer, 1));
        Assert.Equal(0xAA, buffer[0]); // the first event untouched
    }

    /// <summary>The kernel fills the events in this process's layout: a ready eventfd registered with a token comes back
    /// with it, at every index of a two-event wait.</summary>
    [Fact]
    public unsafe void Wait_TwoReadyEventDescriptors_KernelReturnsEachToken()
    {
        int epoll = EpollNative.Create(EpollNative.CloseOnExec);
        int first = EpollNative.EventDescriptor(1, EpollNative.EventNonBlockingCloseOnExec);
        int second = EpollNative.EventDescriptor(1, EpollNative.EventNonBlockingCloseOnExec);
        try
        {
            Assert.True(epoll >= 0 && first >= 0 && second >= 0, $"errno {Marshal.GetLastPInvokeError()}");
            byte* ev = stackalloc byte[EpollEvent.MaxSize];
            EpollEvent.Write(ev, 0, EpollNative.In, 0xFEEDFACE00000001);
            Assert.Equal(0, EpollNative.Control(epoll, EpollNative.Add, first, ev));
            EpollEvent.Write(ev, 0, EpollNative.In, 0x0BADCAFE00000002);
            Assert.Equal(0, EpollNative.Control(epoll, EpollNative.Add, second, ev));

            byte* events = stackalloc byte[4 * EpollEvent.MaxSize];
            int n = EpollNative.Wait(epoll, events, 4, 1000);

            Assert.Equal(2, n);
            var tokens = new[] { EpollEvent.DataAt(events, 0), EpollEvent.DataAt(events, 1) };
            Assert.Equal([0x0BADCAFE00000002ul, 0xFEEDFACE00000001ul], tokens.Order());
        }
        finally
        {
            EpollNative.Close(second);
            EpollNative.Close(first);
            EpollNative.Close(epoll);
        }
    }
}
