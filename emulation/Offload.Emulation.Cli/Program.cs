using System.Globalization;
using System.Net;
using Offload.Emulation.Capture;
using Offload.Emulation.Guest;
using Offload.Emulation.LoadGen;
using Offload.Emulation.Processes;
using Offload.Emulation.Qemu;
using Offload.Emulation.Cli;
using Offload.Emulation.Qos;

// offload-emu image
// offload-emu run --scenario FILE [--name N] [--pcap FILE --port P] [--timeout SECONDS]
//                 [--net user | stream-server:PORT:IP/PREFIX | stream-client:PORT:IP/PREFIX | dgram:LOCAL:REMOTE:IP/PREFIX] [--mac MAC]
// offload-emu perf --target ADDR:PORT --nqn SUBNQN --hostnqn HOSTNQN [-q 1] [-o 4096] [-w randread|randwrite|randrw|read|write|rw]
//                  [-M READ%] [-t SECONDS] [--rate IOPS] [--verify] [--digests] [--queues N] [--range BYTES]
// offload-emu qos [--scenario N|all] [--seconds S] [--capacity IOPS] [--modes fifo,rr,static,offload] [--repeat N] [--out DIR] [--json] [--bin-config C]
// Exit codes: 0 success, 1 the run failed (a step, fio, verify or connect), 2 usage, 3 a host tool is missing.
const string Usage = "usage: offload-emu image | run --scenario FILE [...] | perf --target ADDR:PORT --nqn NQN --hostnqn NQN [...] | qos [--scenario N|all] [...] (see emulation/Offload.Emulation.Cli/README.md)";
if (args.Length == 0)
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i++)
{
    var key = args[i];
    if (key is "--verify" or "--digests" or "--json")
    {
        options[key] = "true";
    }
    else if (i + 1 < args.Length && key.StartsWith('-'))
    {
        options[key] = args[++i];
    }
    else
    {
        await Console.Error.WriteLineAsync($"offload-emu: unexpected argument '{key}'. {Usage}");
        return 2;
    }
}

string Get(string key, string fallback) => options.TryGetValue(key, out var value) ? value : fallback;
int GetInt(string key, int fallback) => int.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

try
{
    switch (args[0])
    {
        case "image":
            {
                var image = await new GuestImageBuilder().BuildAsync();
                Console.WriteLine($"kernel    {image.KernelPath}");
                Console.WriteLine($"initramfs {image.InitramfsPath}");
                Console.WriteLine($"key       {image.Key}");
                Console.WriteLine($"modules   {string.Join(' ', image.ModuleOrder)}");
                return 0;
            }

        case "run":
            {
                if (!options.TryGetValue("--scenario", out var scenarioPath))
                {
                    await Console.Error.WriteLineAsync("offload-emu run: --scenario FILE is required (a busybox sh script; see emulation/guest/init.sh for step/retry).");
                    return 2;
                }

                var image = await new GuestImageBuilder().BuildAsync();
                var result = await QemuRunner.RunAsync(new GuestMachineOptions(image)
                {
                    Name = Get("--name", "guest"),
                    Scenario = await File.ReadAllTextAsync(scenarioPath),
                    PcapPath = options.GetValueOrDefault("--pcap"),
                    Network = ParseNetwork(Get("--net", "user")),
                    MacAddress = Get("--mac", "52:54:00:12:34:56"),
                    Timeout = TimeSpan.FromSeconds(GetInt("--timeout", 300)),
                });
                Console.WriteLine(result.Console);
                Console.WriteLine(result.Describe(0));
                if (options.TryGetValue("--pcap", out var pcap) && options.TryGetValue("--port", out var port))
                {
                    Console.WriteLine(await NvmeTcpCaptureAnalyzer.AnalyzeAsync(pcap, int.Parse(port, CultureInfo.InvariantCulture)));
                }

                return result.Done && result.Steps.All(s => s.ExitCode == 0) ? 0 : 1;
            }

        case "perf":
            {
                if (!IPEndPoint.TryParse(Get("--target", string.Empty), out var target) || !options.TryGetValue("--nqn", out var subsystemNqn) || !options.TryGetValue("--hostnqn", out var hostNqn))
                {
                    await Console.Error.WriteLineAsync("offload-emu perf: --target ADDR:PORT, --nqn SUBNQN and --hostnqn HOSTNQN are required.");
                    return 2;
                }

                var workload = Get("-w", "randread");
                var readPercent = workload switch
                {
                    "randread" or "read" => 100,
                    "randwrite" or "write" => 0,
                    _ => GetInt("-M", 50),
                };
                var report = await LoadGenerator.RunAsync(new LoadGeneratorOptions(target, subsystemNqn, hostNqn)
                {
                    QueueDepth = GetInt("-q", 1),
                    IoSize = GetInt("-o", 4096),
                    ReadPercent = readPercent,
                    Random = workload.StartsWith("rand", StringComparison.Ordinal),
                    Duration = TimeSpan.FromSeconds(GetInt("-t", 10)),
                    TargetIops = double.Parse(Get("--rate", "0"), CultureInfo.InvariantCulture),
                    Verify = options.ContainsKey("--verify"),
                    Digests = options.ContainsKey("--digests"),
                    FollowRateAdvertisement = options.ContainsKey("--follow-rate"),
                    QueueCount = GetInt("--queues", 1),
                    RangeSize = long.Parse(Get("--range", "0"), CultureInfo.InvariantCulture),
                });
                Console.WriteLine(report);
                return report.Errors == 0 && report.VerifyFailures == 0 ? 0 : 1;
            }

        case "qos":
            return await QosCommand.RunAsync(options, Console.Out, Console.Error);

        default:
            await Console.Error.WriteLineAsync($"offload-emu: unknown command '{args[0]}'. {Usage}");
            return 2;
    }
}
catch (ToolMissingException ex)
{
    await Console.Error.WriteLineAsync($"offload-emu: {ex.Message}");
    return 3;
}
catch (Exception ex) when (ex is InvalidOperationException or NvmeStatusException or IOException or ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"offload-emu: {ex.Message}");
    return 1;
}

static GuestNetwork ParseNetwork(string text)
{
    var parts = text.Split(':');
    return parts[0] switch
    {
        "user" => GuestNetwork.User(),
        "stream-server" when parts.Length == 3 => GuestNetwork.StreamServer(int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]),
        "stream-client" when parts.Length == 3 => GuestNetwork.StreamClient(int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]),
        "dgram" when parts.Length == 4 => GuestNetwork.Datagram(int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]),
        _ => throw new ArgumentException($"--net '{text}' is not user, stream-server:PORT:IP/PREFIX, stream-client:PORT:IP/PREFIX or dgram:LOCAL:REMOTE:IP/PREFIX."),
    };
}
