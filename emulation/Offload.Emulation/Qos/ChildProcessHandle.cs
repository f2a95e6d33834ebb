using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Offload.Emulation.Qos;

/// <summary>
/// A child process whose stdout and stderr are drained into a bounded tail (so a chatty process never blocks on a
/// full pipe) and can be waited on for a line. Stopped with SIGTERM, then killed if it does not exit in time.
/// </summary>
internal sealed partial class ChildProcessHandle : IAsyncDisposable
{
    private const int TailLines = 60;
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    private ChildProcessHandle(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote (stdout and stderr interleaved).</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    public static ChildProcessHandle Start(string name, string path, IEnumerable<string> arguments)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{name} is not built: {path} is missing (dotnet build the project first, or pass --bin-config).", path);
        }

        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var handle = new ChildProcessHandle(name, process);
        process.OutputDataReceived += (_, e) => handle.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => handle.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handle;
    }

    /// <summary>Waits until the process writes a line containing <paramref name="text"/>; fails if it exits first.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_tail)
        {
            if (_tail.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            _waits.Add((text, seen));
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(timeoutSource.Token);
        var first = await Task.WhenAny(seen.Task, exited);
        if (first == seen.Task)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var why = _process.HasExited ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"exited with code {_process.ExitCode}") : $"did not write '{text}' within {timeout.TotalSeconds:F0} s";
        throw new InvalidOperationException($"{Name} {why}; its last output:{Environment.NewLine}{Tail}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            for (var i = _waits.Count - 1; i >= 0; i--)
            {
                if (line.Contains(_waits[i].Text, StringComparison.Ordinal))
                {
                    _waits[i].Seen.TrySetResult();
                    _waits.RemoveAt(i);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
