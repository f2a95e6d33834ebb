using System.Globalization;
using System.Text;

namespace Offload.Emulation.Qemu;

/// <summary>What a guest run printed on its serial console, parsed from the /init markers.</summary>
public sealed record GuestRunResult
{
    /// <summary>QEMU's exit code (0 after the guest's <c>poweroff -f</c>).</summary>
    public int QemuExitCode { get; init; }

    /// <summary>True when QEMU was killed at the run's timeout.</summary>
    public bool TimedOut { get; init; }

    /// <summary>The raw serial console (CR stripped).</summary>
    public string Console { get; init; } = string.Empty;

    /// <summary>QEMU's stderr.</summary>
    public string QemuError { get; init; } = string.Empty;

    /// <summary>/init started (<c>@@BOOT@@</c>).</summary>
    public bool Booted { get; init; }

    /// <summary>Modules and network were set up (<c>@@READY@@</c>).</summary>
    public bool Ready { get; init; }

    /// <summary>The scenario finished and the guest is powering off (<c>@@DONE@@</c>).</summary>
    public bool Done { get; init; }

    /// <summary>insmod exit status per module, in load order.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Modules { get; init; } = [];

    /// <summary>Scenario steps in the order they ran.</summary>
    public IReadOnlyList<GuestStepResult> Steps { get; init; } = [];

    /// <summary>The step named <paramref name="name"/>, or null when it never finished.</summary>
    public GuestStepResult? Step(string name) => Steps.FirstOrDefault(s => s.Name == name);

    /// <summary>A short diagnostic for assertion messages: flags, failing steps and the console tail.</summary>
    public string Describe(int tailLines = 60)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"qemu exit={QemuExitCode} timedOut={TimedOut} booted={Booted} ready={Ready} done={Done}\n");
        foreach (var step in Steps)
        {
            text.Append(CultureInfo.InvariantCulture, $"step {step.Name} rc={step.ExitCode}\n");
        }

        if (QemuError.Length > 0)
        {
            text.Append("qemu stderr: ").Append(QemuError.Trim()).Append('\n');
        }

        var lines = Console.Split('\n');
        text.Append("--- console tail ---\n");
        text.Append(string.Join('\n', lines.Skip(Math.Max(0, lines.Length - tailLines))));
        return text.ToString();
    }

    /// <summary>Parses the console markers written by emulation/guest/init.sh.</summary>
    public static GuestRunResult Parse(string console, int qemuExitCode, bool timedOut, string qemuError)
    {
        ArgumentNullException.ThrowIfNull(console);
        console = console.Replace("\r", string.Empty, StringComparison.Ordinal);
        var modules = new List<KeyValuePair<string, int>>();
        var steps = new List<GuestStepResult>();
        bool booted = false, ready = false, done = false;
        string? open = null;
        var output = new StringBuilder();
        foreach (var raw in console.Split('\n'))
        {
            var line = raw.TrimEnd();
            var start = line.IndexOf("@@", StringComparison.Ordinal);
            var end = start >= 0 ? line.IndexOf("@@", start + 2, StringComparison.Ordinal) : -1;
            if (start < 0 || end < 0)
            {
                if (open is not null)
                {
                    output.Append(line).Append('\n');
                }

                continue;
            }

            var marker = line[(start + 2)..end];
            var words = marker.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words.Length > 0 ? words[0] : string.Empty)
            {
                case "BOOT":
                    booted = true;
                    break;
                case "READY":
                    ready = true;
                    break;
                case "DONE":
                    done = true;
                    break;
                case "MODULE" when words.Length == 3 && TryParseRc(words[2], out var moduleRc):
                    modules.Add(new KeyValuePair<string, int>(words[1], moduleRc));
                    break;
                case "BEGIN" when words.Length == 2:
                    open = words[1];
                    output.Clear();
                    break;
                case "RESULT" when words.Length == 3 && TryParseRc(words[2], out var stepRc):
                    steps.Add(new GuestStepResult(words[1], stepRc, open == words[1] ? output.ToString() : string.Empty));
                    open = null;
                    output.Clear();
                    break;
                default:
                    if (open is not null)
                    {
                        output.Append(line).Append('\n');
                    }

                    break;
            }
        }

        return new GuestRunResult
        {
            QemuExitCode = qemuExitCode,
            TimedOut = timedOut,
            Console = console,
            QemuError = qemuError,
            Booted = booted,
            Ready = ready,
            Done = done,
            Modules = modules,
            Steps = steps,
        };
    }

    private static bool TryParseRc(string word, out int rc)
    {
        rc = 0;
        return word.StartsWith("rc=", StringComparison.Ordinal)
            && int.TryParse(word.AsSpan(3), NumberStyles.Integer, CultureInfo.InvariantCulture, out rc);
    }
}
