using Offload.Contracts.Mailbox;
using Offload.Testing.Processes;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>The mapping's lifetime against threads that borrow it: the memory stays mapped while borrowed, and Dispose never throws.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedMemoryMappingTests
{
    private const int SmallRing = 4096;

    [Fact]
    public void Dispose_WhileBorrowed_MemoryStaysUsableUntilTheLastUserLeaves()
    {
        using var directory = new TempDirectory();
        var mapping = SharedMemoryMapping.Create(directory.File("ring"), SmallRing);
        Assert.True(mapping.TryAddUser());
        mapping.Dispose();
        Assert.False(mapping.TryAddUser());

        // Still mapped for the borrower: a write and a read through the ring succeed.
        var producer = mapping.Ring(SharedMemoryLayout.DeviceToHost, producer: true);
        var consumer = mapping.Ring(SharedMemoryLayout.DeviceToHost, producer: false);
        Assert.Equal(3, producer.TryWrite([1, 2, 3]));
        byte[] back = new byte[3];
        Assert.Equal(3, consumer.TryRead(back));
        Assert.Equal(new byte[] { 1, 2, 3 }, back);

        mapping.RemoveUser();
        mapping.Dispose();
    }

    /// <summary>
    /// The last borrower leaving while Dispose runs. Dispose used to let the view accessor flush after closing the
    /// handle; if the last borrower left between the accessor's "still open?" check and its flush, the flush threw
    /// ObjectDisposedException (seen once in CI through the stream's dispose-under-traffic test).
    /// </summary>
    [Fact]
    public void Dispose_RacingTheLastBorrowerLeaving_NeverThrows()
    {
        using var directory = new TempDirectory();
        for (int round = 0; round < 2000; round++)
        {
            var mapping = SharedMemoryMapping.Create(directory.File($"ring{round}"), SmallRing);
            Assert.True(mapping.TryAddUser());
            using var go = new Barrier(2);
            var leaver = new Thread(() =>
            {
                go.SignalAndWait();
                for (int spin = round % 64; spin > 0; spin--)
                {
                    Thread.SpinWait(1);
                }

                mapping.RemoveUser();
            });
            leaver.Start();
            go.SignalAndWait();
            mapping.Dispose();
            leaver.Join();
            File.Delete(directory.File($"ring{round}"));
        }
    }
}
