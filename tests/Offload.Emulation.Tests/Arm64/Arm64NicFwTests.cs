using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Offload.Emulation.Guest;
using Offload.Emulation.LoadGen;
using Offload.Testing.Processes;

namespace Offload.Emulation.Tests.Arm64;

/// <summary>
/// The BlueField build for real: nic-fw published for linux-arm64 runs as arm64 code under qemu-user (the host kernel
/// serves its system calls with arm64's structure layouts), serves NVMe/TCP to our initiator and reports its connection
/// flow records over a TCP mailbox to an x86-64 offloadd.
/// </summary>
[Collection(Arm64Collection.Name)]
public sealed class Arm64NicFwTests(Arm64NicFwFixture fixture)
{
    private const string Subsystem = "nqn.2026-01.io.offload:arm64";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task NicFwArm64_UnderQemuUser_ServesVerifiedIoAndReportsItsConnectionToAnX64Offloadd()
    {
        int mailboxPort = FreePort(), nvmePort = FreePort();
        using var nic = ChildProcess.Start(Arm64Userland.Emulator,
        [
            "-L", fixture.Root, fixture.NicFw,
            "--Nic:BoardId=bf3-arm64",
            $"--Mailbox:Endpoint=127.0.0.1:{mailboxPort}",
            $"--Nvme:Listen=127.0.0.1:{nvmePort}",
            $"--Nvme:Subsystems:0:Nqn={Subsystem}",
            "--Nvme:Subsystems:0:AllowAnyHost=true",
            "--Nvme:Subsystems:0:Namespaces:0:Nsid=1",
            "--Nvme:Subsystems:0:Namespaces:0:Size=16777216",
        ]);
        await nic.WaitForOutputAsync(NicFwProcess.StartedText, StartTimeout);
        var elf = await File.ReadAllBytesAsync(fixture.NicFw);
        Assert.Equal(0xB7, BitConverter.ToUInt16(elf, 18)); // e_machine EM_AARCH64: the BlueField's instruction set, not this host's
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{mailboxPort}");

        var generator = new LoadGenerator(new LoadGeneratorOptions(new IPEndPoint(IPAddress.Loopback, nvmePort), Subsystem, "nqn.2026-01.io.offload:arm64-host")
        {
            QueueDepth = 4,
            ReadPercent = 50,
            Verify = true,
            RangeSize = 1 << 20,
            Duration = TimeSpan.FromSeconds(10),
        });
        // Bounded: with a wrong epoll_event layout the poll group never sees a connection ready and the connect hangs.
        using var bound = new CancellationTokenSource(RunTimeout);
        var run = generator.RunAsync(bound.Token);

        // While the I/O runs (10 s): its connection's record, measured on the arm64 NIC, packed and framed there, decoded here.
        JsonElement row = default;
        while (row.ValueKind == JsonValueKind.Undefined && !run.IsCompleted)
        {
            var ports = generator.Connections.Select(c => c.Local.Port).ToHashSet();
            var r = await Offloadctl.RunAsync("queues", "--connections", "--json", "--socket", offloadd.SocketPath);
            if (r.ExitCode == 0 && ports.Count > 0)
            {
                using var d = JsonDocument.Parse(r.StandardOutput);
                foreach (var c in d.RootElement.GetProperty("connections").EnumerateArray())
                {
                    if (ports.Contains(c.GetProperty("sourcePort").GetInt32()) && c.GetProperty("readIops").GetDouble() > 0 && c.GetProperty("writeIops").GetDouble() > 0)
                    {
                        row = c.Clone();
                    }
                }
            }

            await Task.Delay(250);
        }

        var threads = Directory.GetDirectories($"/proc/{nic.Id}/task").Select(t => File.ReadAllText(Path.Combine(t, "comm")).Trim()).ToList();
        LoadReport report;
        try
        {
            report = await run;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the I/O did not finish within {RunTimeout.TotalSeconds:F0} s; nic-fw:{Environment.NewLine}{nic.Describe()}");
            throw;
        }

        Assert.True(row.ValueKind == JsonValueKind.Object, $"no connection record with reads and writes reached offloadd; nic-fw:{Environment.NewLine}{nic.Describe()}");
        Assert.Equal(("bf3-arm64", "127.0.0.1", nvmePort, 6), (row.GetProperty("nic").GetString(), row.GetProperty("destination").GetString(),
            row.GetProperty("destinationPort").GetInt32(), row.GetProperty("protocol").GetInt32()));
        Assert.Contains($"nvmf-poll:{nvmePort}", threads); // the epoll poll group served the connections, not the async loop
        Assert.True(report.Reads > 0 && report.Writes > 0, $"{report.Reads} reads, {report.Writes} writes");
        Assert.Equal((0L, 0L), (report.Errors, report.VerifyFailures));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
