using Offload.Contracts.Management;
using Offload.Host.Management;
using Offload.Host.Nics;

namespace Offload.Host.Tests.Management;

public sealed class StatusEndpointTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_NoNics_ReportsSchemaVersionAndWholeSecondUptime()
    {
        var document = StatusEndpoint.Build(new DaemonInfo(Started, "1.2.3"), [], Started.AddSeconds(90.9));

        Assert.Equal(ManagementApi.StatusSchema, document.Schema);
        Assert.Equal(90, document.UptimeSeconds);
        Assert.Equal(Started, document.StartedAt);
        Assert.Equal("1.2.3", document.Version);
        Assert.Empty(document.Nics);
    }

    [Fact]
    public void Build_ClockBeforeStart_UptimeIsZero()
    {
        var document = StatusEndpoint.Build(new DaemonInfo(Started, "1"), [], Started.AddSeconds(-5));

        Assert.Equal(0, document.UptimeSeconds);
    }

    [Fact]
    public void Build_NicWithAndWithoutRtt_MapsEveryField()
    {
        NicInfo[] nics =
        [
            new("bf3-a", "2.0.1", 1, "unix:/run/offload/nic.sock", Started.AddMinutes(1), TimeSpan.FromMicroseconds(1500), ["flows", "nvme"]),
            new("qemu-0", "1.0.0", 2, "tcp://127.0.0.1:7400", Started.AddMinutes(2), null, []),
        ];

        var document = StatusEndpoint.Build(new DaemonInfo(Started, "1"), nics, Started.AddMinutes(3));

        Assert.Equal(
            new NicStatus("bf3-a", "2.0.1", 1, "unix:/run/offload/nic.sock", Started.AddMinutes(1), 1.5, nics[0].Capabilities),
            document.Nics[0]);
        Assert.Equal(
            new NicStatus("qemu-0", "1.0.0", 2, "tcp://127.0.0.1:7400", Started.AddMinutes(2), null, nics[1].Capabilities),
            document.Nics[1]);
    }
}
