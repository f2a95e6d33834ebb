namespace Offload.Contracts.Management;

/// <summary>What <c>offloadctl capture --json</c> prints when the capture ends (schema <see cref="ManagementApi.CaptureSchema"/>).</summary>
/// <param name="Schema">Always <see cref="ManagementApi.CaptureSchema"/>.</param>
/// <param name="File">The pcap file written.</param>
/// <param name="Port">Datapath port captured.</param>
/// <param name="Frames">Frames written to the file.</param>
/// <param name="Size">Bytes written to the file, headers included.</param>
/// <param name="Complete">True when the requested count was reached, false on timeout or interruption.</param>
public sealed record CaptureSummary(string Schema, string File, int Port, long Frames, long Size, bool Complete);
