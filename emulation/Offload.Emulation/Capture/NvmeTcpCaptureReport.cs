namespace Offload.Emulation.Capture;

/// <summary>What tshark's NVMe/TCP dissector found in one capture.</summary>
/// <param name="FrameCount">Frames in the capture.</param>
/// <param name="PduCount">NVMe/TCP PDUs dissected (0 means the port mapping matched nothing).</param>
/// <param name="MalformedCount">Frames tshark flagged malformed.</param>
/// <param name="GoodHeaderDigests">PDUs whose header digest verified.</param>
/// <param name="BadHeaderDigests">PDUs whose header digest did not verify.</param>
/// <param name="GoodDataDigests">PDUs whose data digest verified.</param>
/// <param name="BadDataDigests">PDUs whose data digest did not verify.</param>
/// <param name="PduTypes">Count per PDU type name as tshark prints it.</param>
public sealed record NvmeTcpCaptureReport(
    int FrameCount,
    int PduCount,
    int MalformedCount,
    int GoodHeaderDigests,
    int BadHeaderDigests,
    int GoodDataDigests,
    int BadDataDigests,
    IReadOnlyDictionary<string, int> PduTypes)
{
    /// <summary>True when PDUs were seen, none malformed and no digest failed.</summary>
    public bool IsClean => PduCount > 0 && MalformedCount == 0 && BadHeaderDigests == 0 && BadDataDigests == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"frames={FrameCount} pdus={PduCount} malformed={MalformedCount} hdgst good/bad={GoodHeaderDigests}/{BadHeaderDigests} " +
        $"ddgst good/bad={GoodDataDigests}/{BadDataDigests} types=[{string.Join(", ", PduTypes.Select(p => $"{p.Key}:{p.Value}"))}]";
}
