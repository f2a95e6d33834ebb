using Offload.Cli.Queues;
using Offload.Contracts.Management;

namespace Offload.Host.Tests.Cli.Queues;

public class QueuesCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A NIC with more queue pairs than its per-queue limit reports one row per application: its queue shows as
    /// "all", a queue pair's as its number.</summary>
    [Fact]
    public void WriteText_PerApplicationRow_QueueShownAsAll()
    {
        var document = new QueuesDocument(ManagementApi.QueuesSchema, Now,
        [
            new QueueRow("bf3-a", "app#3", 3, 65535, 130, 384, 90.5, "high", 1, 384, 0.5, "low", Now),
            new QueueRow("bf3-b", "app#4", 4, 2, 7, 128, 6.5, "low", 0, 128, 0, "low", Now),
        ]);
        using var output = new StringWriter();
        QueuesCommand.WriteText(document, output);
        var lines = output.ToString().Split('\n');

        var aggregate = Assert.Single(lines, l => l.Contains("bf3-a", StringComparison.Ordinal));
        Assert.Contains(" all ", aggregate, StringComparison.Ordinal);
        Assert.DoesNotContain("65535", aggregate, StringComparison.Ordinal);
        Assert.Contains("130/384", aggregate, StringComparison.Ordinal);
        var pair = Assert.Single(lines, l => l.Contains("bf3-b", StringComparison.Ordinal));
        Assert.Contains(" 2 ", pair, StringComparison.Ordinal);
    }
}
