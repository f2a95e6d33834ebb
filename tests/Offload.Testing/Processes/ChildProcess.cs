using System.Diagnostics;
using System.Text;

namespace Offload.Testing.Processes;

/// <summary>
/// A real child process started by a test: stdout and stderr are captured as they arrive, the test can wait for
/// a line, send a signal, or wait for the exit; disposing kills it (SIGKILL) if it is still running.
/// </summary>
/// <remarks>Output callbacks arrive on thread-pool threads; all access to the buffers is under one lock.</remarks>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private ChildProcess(Process process, string displayName)
    {
        _process = process;
        DisplayName = displayName;
    }

    /// <summary>Program and arguments, for failure messages.</summary>
    public string DisplayName { get; }

    /// <summary>Process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stdout so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="path"/> with <paramref name="arguments"/> and extra environment variables.</summary>
    public static ChildProcess Start(
        string path,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, path + " " + string.Join(' ', info.ArgumentList));
        process.OutputDataReceived += (_, e) => child.Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._stderr, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {child.DisplayName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a process to completion and returns its exit code and output.</summary>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<ProcessResult> RunAsync(
        string path,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var child = Start(path, arguments, environment);
        var exitCode = await child.WaitForExitAsync(timeout);
        return new ProcessResult(exitCode, child.StandardOutput, child.StandardError);
    }

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>.</summary>
    /// <exception cref="TimeoutException">The text did not appear in time, or the process exited first.</exception>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (StandardOutput.Contains(text, StringComparison.Ordinal) || StandardError.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited)
            {
                // Let the last buffered lines arrive before giving up.
                await _process.WaitForExitAsync();
                if (StandardOutput.Contains(text, StringComparison.Ordinal) || StandardError.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                throw new TimeoutException($"{DisplayName} exited ({_process.ExitCode}) before printing '{text}'.\n{Describe()}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{DisplayName} did not print '{text}' within {timeout}.\n{Describe()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code; kills it on timeout.</summary>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{DisplayName} did not exit within {timeout}.\n{Describe()}");
        }

        // WaitForExitAsync(token) also waits for the redirected streams to reach EOF.
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal; false if the process is already gone.</summary>
    public bool Signal(int signal) => !_process.HasExited && UnixSignal.TrySend(_process.Id, signal);

    /// <summary>Exit code, stdout and stderr so far, for assertion messages.</summary>
    public string Describe() =>
        $"--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            buffer.Append(line).Append('\n');
        }
    }
}
