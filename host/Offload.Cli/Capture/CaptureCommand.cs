using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Contracts.Management;

namespace Offload.Cli.Capture;

/// <summary><c>offloadctl capture</c>: mirror one datapath port's frames to a pcap file.</summary>
internal static class CaptureCommand
{
    internal const string Description = """
        Capture the frames one datapath port receives and sends: the NIC mirrors them to offloadd, which streams
        them here, and they are written as a classic pcap file (LINKTYPE_ETHERNET) that tcpdump, tshark and
        Wireshark read. Stops after --count frames or --timeout seconds, whichever comes first; the file holds
        whatever arrived. Frames the mirror could not keep up with are dropped by the NIC (it logs how many).

        JSON: with --json, an offload.capture/v1 summary at the end instead of the progress line.

        Examples:
          offloadctl capture --port 1 --count 100 -w /tmp/port1.pcap
          offloadctl capture --port 2 --count 10 --timeout 5 -w p2.pcap && tshark -r p2.pcap
        """;

    private const int PcapFileHeaderSize = 24;
    private const int PcapRecordHeaderSize = 16;

    internal static Command Create(GlobalOptions global)
    {
        var port = new Option<int>("--port", "-p") { Description = "Datapath port to capture.", HelpName = "port", Required = true };
        port.Validators.Add(static r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 65534)
            {
                r.AddError("--port must be a datapath port number from 1 to 65534.");
            }
        });
        var count = new Option<int>("--count", "-c") { Description = "Frames to capture (1 to 1000000).", HelpName = "n", DefaultValueFactory = static _ => 100 };
        count.Validators.Add(static r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000)
            {
                r.AddError("--count must be from 1 to 1000000.");
            }
        });
        var write = new Option<FileInfo>("--write", "-w") { Description = "pcap file to write (replaced if it exists).", HelpName = "file", Required = true };
        var timeout = new Option<double>("--timeout") { Description = "Stop after this many seconds (up to 3600).", HelpName = "seconds", DefaultValueFactory = static _ => 60 };
        timeout.Validators.Add(static r =>
        {
            if (r.GetValueOrDefault<double>() is <= 0 or > 3600)
            {
                r.AddError("--timeout must be from 0 to 3600 seconds.");
            }
        });
        var snaplen = new Option<int?>("--snaplen", "-s") { Description = "Bytes kept per frame (14 to 65535).", HelpName = "bytes" };
        var nic = new Option<string?>("--nic") { Description = "NIC board id (needed when more than one is connected).", HelpName = "board" };
        var command = new Command("capture", Description) { port, count, write, timeout, snaplen, nic };
        command.SetAction((parseResult, cancellationToken) =>
        {
            int p = parseResult.GetValue(port);
            int n = parseResult.GetValue(count);
            var query = new QueryString()
                .Add("port", p)
                .Add("count", n)
                .Add("timeout", parseResult.GetValue(timeout))
                .Add("snaplen", parseResult.GetValue(snaplen))
                .Add("nic", parseResult.GetValue(nic))
                .ToString();
            var file = parseResult.GetValue(write)!;
            return CommandInvocation.RunAsync(parseResult, global, (context, token) => RunAsync(context, query, p, n, file, token), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string query, int port, int count, FileInfo file, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        using var response = await client.StartCaptureAsync(query, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        FileStream output;
        try
        {
            output = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"{CommandInvocation.Prefix}cannot write {file.FullName}: {ex.Message}; choose a writable path with -w.");
            return ExitCodes.Error;
        }

        var counter = new RecordCounter();
        bool progress = !context.Json && !Console.IsErrorRedirected && ReferenceEquals(context.Error, Console.Error);
        await using (output)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    if (counter.Feed(buffer.AsSpan(0, read)) && progress)
                    {
                        await context.Error.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"\rcaptured {counter.Frames}/{count} frames"));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: keep what was written (whole records only are flushed by offloadd in order).
            }
            catch (IOException)
            {
                // offloadd went away mid-stream: keep what arrived.
            }
        }

        long size = new FileInfo(file.FullName).Length;
        bool complete = counter.Frames >= count;
        if (context.Json)
        {
            Terminal.WriteJson(new CaptureSummary(ManagementApi.CaptureSchema, file.FullName, port, counter.Frames, size, complete), context.Output);
        }
        else
        {
            if (progress)
            {
                await context.Error.WriteLineAsync();
            }

            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{counter.Frames} frames ({size} bytes) from port {port} written to {file.FullName}{(complete ? string.Empty : $" (stopped before {count}: timeout or interrupted)")}"));
        }

        return ExitCodes.Ok;
    }

    /// <summary>Counts whole pcap records in the byte stream as it arrives (for the progress line and the summary).</summary>
    private sealed class RecordCounter
    {
        private readonly byte[] _header = new byte[PcapRecordHeaderSize];
        private long _position;
        private long _nextRecord = PcapFileHeaderSize;
        private int _headerFill;

        public long Frames { get; private set; }

        /// <summary>Feeds bytes; true when at least one record completed.</summary>
        public bool Feed(ReadOnlySpan<byte> bytes)
        {
            long before = Frames;
            long end = _position + bytes.Length;
            while (_position < end)
            {
                if (_position < _nextRecord)
                {
                    _position = Math.Min(end, _nextRecord);
                    continue;
                }

                int offset = (int)(_position - (end - bytes.Length));
                int take = Math.Min(PcapRecordHeaderSize - _headerFill, bytes.Length - offset);
                bytes.Slice(offset, take).CopyTo(_header.AsSpan(_headerFill));
                _headerFill += take;
                _position += take;
                if (_headerFill == PcapRecordHeaderSize)
                {
                    uint captured = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8));
                    _nextRecord = _position + captured;
                    _headerFill = 0;
                    Frames++;
                }
            }

            return Frames != before;
        }
    }
}
