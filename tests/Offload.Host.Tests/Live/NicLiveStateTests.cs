using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Host.Live;

namespace Offload.Host.Tests.Live;

/// <summary>Flow metadata ingest: a period's first batch and its continuation parts (connection records).</summary>
public sealed class NicLiveStateTests
{
    /// <summary>/v1/nics shows nic-fw's CPU and its telemetry thread's from the latest period's totals, in percent of
    /// one core; none before a period, and no telemetry share from a firmware that sends 0 for it.</summary>
    [Fact]
    public void CpuOf_LatestPeriodTotals_PercentOfACore()
    {
        var state = new NicLiveState("tcp://127.0.0.1:1", TimeProvider.System);
        Assert.Equal((null, null), Offload.Host.Management.NicsEndpoint.CpuOf(state));
        Assert.Equal((null, null), Offload.Host.Management.NicsEndpoint.CpuOf(null));

        var batch = Batch(timestamp: 10, part: 0, FlowRecordKind.Application);
        batch.Totals = new NodeTotals { CpuNanosPerSecond = 125_000_000, TelemetryCpuNanosPerSecond = 41_234_567 };
        state.OnFlowMetadata(batch);
        Assert.Equal((12.5, 4.12), Offload.Host.Management.NicsEndpoint.CpuOf(state));

        var older = Batch(timestamp: 20, part: 0, FlowRecordKind.Application);
        older.Totals = new NodeTotals { CpuNanosPerSecond = 50_000_000 };
        state.OnFlowMetadata(older);
        Assert.Equal((5.0, null), Offload.Host.Management.NicsEndpoint.CpuOf(state));
    }

    [Fact]
    public void OnFlowMetadata_PartsOfThePeriodKeptUntilTheNextPeriod_PartOfAnotherPeriodIgnored()
    {
        var state = new NicLiveState("tcp://127.0.0.1:1", TimeProvider.System);
        var head = Batch(timestamp: 10, part: 0, FlowRecordKind.Application, FlowRecordKind.Connection);
        state.OnFlowMetadata(head);
        state.OnFlowMetadata(Batch(timestamp: 10, part: 1, FlowRecordKind.Connection, FlowRecordKind.Connection));
        state.OnFlowMetadata(Batch(timestamp: 9, part: 2, FlowRecordKind.Connection));

        Assert.Same(head, state.Flows);
        var part = Assert.Single(state.FlowParts);
        Assert.Equal((1, 2), (part.Part, part.Flows.Count));

        var next = Batch(timestamp: 20, part: 0, FlowRecordKind.Application);
        state.OnFlowMetadata(next);

        Assert.Same(next, state.Flows);
        Assert.Empty(state.FlowParts);
    }

    [Fact]
    public void OnFlowMetadata_ContinuationBeforeAnyHead_Ignored()
    {
        var state = new NicLiveState("tcp://127.0.0.1:1", TimeProvider.System);

        state.OnFlowMetadata(Batch(timestamp: 5, part: 1, FlowRecordKind.Connection));

        Assert.Null(state.Flows);
        Assert.Empty(state.FlowParts);
    }

    private static FlowMetadataBatch Batch(long timestamp, int part, params FlowRecordKind[] kinds)
    {
        var batch = new FlowMetadataBatch { TimestampUnixNanos = timestamp, PeriodNanos = 10_000_000, Part = part };
        ulong id = 1;
        foreach (var kind in kinds)
        {
            batch.Flows.Add(new FlowRecord
            {
                FlowId = kind == FlowRecordKind.Connection ? FlowRecord.ConnectionFlowIdBit | id++ : 1,
                Application = new AppId(1),
                Kind = kind,
            });
        }

        return batch;
    }
}
