using System.Globalization;
using Offload.Emulation.Processes;

namespace Offload.Emulation.Capture;

/// <summary>
/// Runs tshark's NVMe/TCP dissector over a pcap (for example QEMU's filter-dump) with header and data
/// digest checking on, and counts PDUs, malformed frames and bad digests.
/// </summary>
public static class NvmeTcpCaptureAnalyzer
{
    /// <summary>tshark's checksum status value for a digest that did not verify (PROTO_CHECKSUM_E_BAD).</summary>
    private const string ChecksumBad = "0";

    /// <summary>tshark's checksum status value for a digest that verified (PROTO_CHECKSUM_E_GOOD).</summary>
    private const string ChecksumGood = "1";

    private static readonly TimeSpan TsharkTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The tshark arguments used for <paramref name="pcapPath"/> with NVMe/TCP on <paramref name="port"/>.</summary>
    public static IReadOnlyList<string> BuildArguments(string pcapPath, int port) =>
    [
        "-r", pcapPath,
        "-n",
        "-d", string.Create(CultureInfo.InvariantCulture, $"tcp.port=={port},nvme-tcp"),
        "-o", "nvme-tcp.check_hdgst:TRUE",
        "-o", "nvme-tcp.check_ddgst:TRUE",
        "-T", "fields",
        "-E", "separator=\t",
        "-E", "occurrence=a",
        "-E", "aggregator=,",
        "-e", "frame.number",
        "-e", "nvme-tcp.type",
        "-e", "nvme-tcp.hdgst.status",
        "-e", "nvme-tcp.ddgst.status",
        "-e", "_ws.malformed",
    ];

    /// <summary>Analyzes <paramref name="pcapPath"/>; throws <see cref="ToolMissingException"/> without tshark.</summary>
    public static async Task<NvmeTcpCaptureReport> AnalyzeAsync(string pcapPath, int port, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(pcapPath))
        {
            throw new FileNotFoundException($"Capture '{pcapPath}' does not exist; was QEMU started with filter-dump?", pcapPath);
        }

        var result = await ProcessRunner.RunAsync("tshark", BuildArguments(pcapPath, port), TsharkTimeout, cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"tshark failed on '{pcapPath}' (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }

        return Parse(result.StandardOutput);
    }

    /// <summary>Parses tshark's tab-separated field output (frame, types, hdgst status, ddgst status, malformed).</summary>
    public static NvmeTcpCaptureReport Parse(string fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        int frames = 0, pdus = 0, malformed = 0, goodH = 0, badH = 0, goodD = 0, badD = 0;
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in fields.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var columns = line.TrimEnd('\r').Split('\t');
            frames++;
            if (columns.Length > 1)
            {
                foreach (var type in columns[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    pdus++;
                    types[type] = types.GetValueOrDefault(type) + 1;
                }
            }

            if (columns.Length > 2)
            {
                Count(columns[2], ref goodH, ref badH);
            }

            if (columns.Length > 3)
            {
                Count(columns[3], ref goodD, ref badD);
            }

            if (columns.Length > 4 && columns[4].Length > 0)
            {
                malformed++;
            }
        }

        return new NvmeTcpCaptureReport(frames, pdus, malformed, goodH, badH, goodD, badD, types);
    }

    private static void Count(string column, ref int good, ref int bad)
    {
        foreach (var status in column.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (status == ChecksumGood)
            {
                good++;
            }
            else if (status == ChecksumBad)
            {
                bad++;
            }
        }
    }
}
