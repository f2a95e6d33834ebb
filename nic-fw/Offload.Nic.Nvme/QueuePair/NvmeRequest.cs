using Offload.Nic.Nvme.Controller;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>A pooled request slot of one queue pair; its index is the R2T transfer tag (TTAG).</summary>
internal sealed class NvmeRequest(ushort tag)
{
    public ushort Tag { get; } = tag;

    public RequestState State { get; set; }

    public byte[] Sqe { get; } = new byte[64];

    public ushort CommandId { get; set; }

    /// <summary>Data direction: 1 host-to-controller, 2 controller-to-host, 0 none.</summary>
    public int Direction { get; set; }

    public int TransferSize { get; set; }

    /// <summary>Host-to-controller bytes received so far (next expected DATAO).</summary>
    public int Received { get; set; }

    public byte[]? Buffer { get; set; }

    /// <summary>Bytes of in-capsule data copied into <see cref="Buffer"/> while the command waited for the arbiter.</summary>
    public int InCapsuleSize { get; set; }

    public bool DataDigestFailed { get; set; }

    public NvmeStatus Status { get; set; }

    public ulong Result { get; set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp the command started waiting (0: not measured).</summary>
    public long StartTimestamp { get; set; }

    public void Reset()
    {
        State = RequestState.Free;
        CommandId = 0;
        Direction = 0;
        TransferSize = 0;
        Received = 0;
        Buffer = null;
        InCapsuleSize = 0;
        DataDigestFailed = false;
        Status = NvmeStatus.Success;
        Result = 0;
        StartTimestamp = 0;
    }
}
