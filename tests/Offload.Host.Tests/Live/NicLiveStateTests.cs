using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Host.Live;

namespace Offload.Host.Tests.Live;

/// <summary>Flow metadata ingest: a period's first batch and its continuation parts (connection records).</summary>
public sealed class NicLiveStateTests
{
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
