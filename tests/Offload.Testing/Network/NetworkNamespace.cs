using System.Diagnostics;

namespace Offload.Testing.Network;

/// <summary>A network namespace created (and deleted) by the test, driven with the real <c>ip</c> tool.</summary>
public sealed class NetworkNamespace : IDisposable
{
    /// <summary>Namespaces created by this process so far: with the process id, a name no other live namespace of
    /// this or another test process has (a random suffix once collided between two tests of one process).</summary>
    private static int s_created;

    public NetworkNamespace()
    {
        Name = $"dpt{Environment.ProcessId}n{Interlocked.Increment(ref s_created)}";
        Run("ip", $"netns add {Name}");
    }

    public string Name { get; }

    /// <summary>Runs <paramref name="command"/> inside the namespace; throws when it fails.</summary>
    public string Exec(string command, string arguments) => Run("ip", $"netns exec {Name} {command} {arguments}");

    public static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {error}");
        }

        return output;
    }

    public long RxPackets(string device) => long.Parse(Exec("cat", $"/sys/class/net/{device}/statistics/rx_packets").Trim());

    /// <summary>Makes the kernel in the namespace send an ARP request out of the device for <paramref name="ip"/>.</summary>
    public void TriggerArp(string ip) =>
        Exec("python3", $"-c \"import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('{ip}', 9))\"");

    public void Dispose()
    {
        try
        {
            Run("ip", $"netns del {Name}");
        }
        catch (InvalidOperationException)
        {
        }
    }
}
