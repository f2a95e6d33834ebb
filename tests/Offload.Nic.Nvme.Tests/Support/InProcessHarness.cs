using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.QueuePair;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Tests.Support;

/// <summary>A target (not listening) with an enabled admin controller on tenant B, plus one in-process queue pair
/// that byte streams are fed to. Small MDTS / MAXH2CDATA / IOCCSZ keep per-stream work small.</summary>
internal sealed class InProcessHarness : IAsyncDisposable
{
    public const int MaxH2C = 4096;
    private readonly TcpQueuePair _admin;

    public InProcessHarness(Offload.Nic.Nvme.Scheduler.IRateLimiter? rateLimiter = null)
    {
        var config = TargetFixture.Config(ioccsz: 4 + 256, mdts: 1);
        config.MaxH2CDataSize = MaxH2C;
        config.MaxQueueEntries = 16;
        config.KeepAliveCheckIntervalMs = 3_600_000;
        Target = new NvmeTcpTarget(config, null, null, rateLimiter);
        _admin = new TcpQueuePair(null, Target);
        var setup = new PduBuilder().IcReq()
            .Connect(TargetFixture.TenantB, 0, 0xFFFF, TargetFixture.HostB)
            .PropertySet(2, ControllerRegisters.Cc, 0x00460001)
            .Command(AdminOpcode.SetFeatures, 3, 0, 0x07, 0x00030003)
            .ToArray();
        if (!_admin.Feed(setup) || _admin.Controller is null || !_admin.Controller.IsReady)
        {
            throw new InvalidOperationException("admin setup failed");
        }

        ControllerId = _admin.Controller.Id.Value;
        QueuePair = new TcpQueuePair(null, Target);
    }

    public NvmeTcpTarget Target { get; }

    public TcpQueuePair QueuePair { get; }

    public ushort ControllerId { get; }

    /// <summary>Valid host streams the mutation and prefix tests start from.</summary>
    public IReadOnlyList<byte[]> BaseStreams()
    {
        var data4k = Pattern(4096, 1);
        var data8k = Pattern(8192, 2);
        var io = new List<byte[]>();
        foreach (var (hd, dd) in new[] { (false, false), (true, true), (true, false) })
        {
            io.Add(new PduBuilder(hd, dd).IcReq()
                .Connect(TargetFixture.TenantB, 1, ControllerId, TargetFixture.HostB)
                .WriteInCapsule(10, 1, 3, data4k, 4096)
                .WriteViaR2T(11, 1, 5, data8k, 4096, 0, MaxH2C)
                .Read(12, 1, 5, 8192, 4096)
                .Read(13, 2, 0, 4096, 512)
                .Command(IoOpcode.WriteZeroes, 14, 1, 3, 0, 0)
                .Command(IoOpcode.Flush, 15, 1)
                .Command(0x7E, 16, 1)
                .ToArray());
        }

        var admin = new PduBuilder().IcReq()
            .Connect(TargetFixture.TenantB, 0, 0xFFFF, TargetFixture.HostB, 10_000)
            .PropertySet(2, ControllerRegisters.Cc, 0x00460001)
            .Command(AdminOpcode.Identify, 3, 0, 1, 0, 0, 4096)
            .Command(AdminOpcode.Identify, 4, 1, 0, 0, 0, 4096)
            .Command(AdminOpcode.Identify, 5, 0, 2, 0, 0, 4096)
            .Command(AdminOpcode.Identify, 6, 1, 3, 0, 0, 4096)
            .Command(AdminOpcode.GetLogPage, 7, 0, 0x02 | (127u << 16), 0, 0, 512)
            .Command(AdminOpcode.GetFeatures, 8, 0, 0x0F)
            .Command(AdminOpcode.AsyncEventRequest, 9, 0)
            .Command(AdminOpcode.KeepAlive, 10, 0)
            .PropertySet(11, ControllerRegisters.Cc, 0x00464001)
            .ToArray();
        var discovery = new PduBuilder(true, true).IcReq()
            .Connect(NvmeSubsystem.DiscoveryNqn, 0, 0xFFFF, TargetFixture.HostB)
            .PropertySet(2, ControllerRegisters.Cc, 0x00460001)
            .Command(AdminOpcode.GetLogPage, 3, 0, 0x70 | (1023u << 16), 0, 0, 4096)
            .ToArray();
        return [.. io, admin, discovery];
    }

    public static byte[] Pattern(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    public async ValueTask DisposeAsync()
    {
        QueuePair.ResetSession();
        _admin.ResetSession();
        await Target.DisposeAsync();
    }
}
