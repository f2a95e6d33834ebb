using System.Globalization;
using System.Text;
using Offload.Emulation.Processes;
using static System.FormattableString;

namespace Offload.Emulation.Qos;

/// <summary>
/// Writes each real-time run's 100 ms series (.dat) and one gnuplot script per scenario, then renders
/// <c>rt-sN-*.png</c> with gnuplot (Debian gnuplot-nox): top row IOPS per tenant (and, dashed, offloadd's rate for it
/// where the mode has one), bottom row p99 per 100 ms window (log scale), one column per mode.
/// </summary>
public static class RtPlotWriter
{
    public static void WriteAll(IEnumerable<RtScenarioReport> reports, string directory, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        Directory.CreateDirectory(directory);
        foreach (var report in reports)
        {
            var runs = report.Runs.Where(r => r.Label != "victims alone").ToList();
            if (runs.Count == 0)
            {
                continue;
            }

            var script = new StringBuilder();
            script.AppendLine(Invariant($"set terminal pngcairo size {Math.Max(2, runs.Count) * 480},760 font \",10\""));
            script.AppendLine(Invariant($"set output '{report.Id}.png'"));
            script.AppendLine("set termoption noenhanced");
            script.AppendLine("set datafile missing 'NaN'");
            script.AppendLine("set key top right font ',9'");
            script.AppendLine("set grid");
            script.AppendLine("set xlabel 'time (s)'");
            script.AppendLine(Invariant($"set multiplot layout 2,{runs.Count} title '{Escape(report.Title)} (real time, loopback)'"));
            foreach (var throughput in new[] { true, false })
            {
                foreach (var (label, run) in runs)
                {
                    var file = Invariant($"{report.Id}-{Slug(label)}.dat");
                    if (throughput)
                    {
                        WriteData(Path.Combine(directory, file), run);
                    }

                    AppendPanel(script, label, run, file, throughput);
                }
            }

            script.AppendLine("unset multiplot");
            File.WriteAllText(Path.Combine(directory, report.Id + ".gp"), script.ToString());
            try
            {
                var result = ProcessRunner.RunAsync("gnuplot", [report.Id + ".gp"], TimeSpan.FromSeconds(60), directory).GetAwaiter().GetResult();
                if (result.ExitCode == 0)
                {
                    report.Images.Add("img/" + report.Id + ".png");
                }
                else
                {
                    progress?.WriteLine($"gnuplot failed on {report.Id}.gp: {result.StandardError.Trim()}");
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                progress?.WriteLine("gnuplot is not installed (apt-get install gnuplot-nox); the .dat and .gp files are written, no PNG.");
            }
        }
    }

    private static void AppendPanel(StringBuilder s, string label, RtRun run, string file, bool throughput)
    {
        var n = run.Tenants.Count;
        if (throughput)
        {
            s.AppendLine(Invariant($"set title '{Escape(label)}: IOPS per 100 ms'"));
            s.AppendLine("set ylabel 'IOPS'");
            s.AppendLine("unset logscale y");
            s.AppendLine(Invariant($"set yrange [0:{run.CapacityIops * 1.1:F0}]"));
        }
        else
        {
            s.AppendLine(Invariant($"set title '{Escape(label)}: p99 per 100 ms'"));
            s.AppendLine("set ylabel 'p99 (µs)'");
            s.AppendLine("set logscale y");
            s.AppendLine("set yrange [*:*]");
        }

        s.Append("plot ");
        for (var i = 0; i < n; i++)
        {
            var column = throughput ? 2 + i : 2 + n + i;
            s.Append(Invariant($"'{file}' using 1:{column} with linespoints pt 7 ps 0.4 lw 2 lt {i + 1} title '{Escape(run.Tenants[i].Name)}'"));
            if (throughput && run.RateSeries is not null)
            {
                s.Append(Invariant($", '{file}' using 1:{2 + (2 * n) + i} with lines lw 1 dt 2 lt {i + 1} title '{Escape(run.Tenants[i].Name)} rate'"));
            }

            s.Append(i + 1 < n ? ", " : "\n");
        }
    }

    private static void WriteData(string path, RtRun run)
    {
        var sb = new StringBuilder("# time_s");
        foreach (var t in run.Tenants)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {t.Name}_iops");
        }

        foreach (var t in run.Tenants)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {t.Name}_p99us");
        }

        foreach (var t in run.Tenants)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {t.Name}_rate");
        }

        sb.AppendLine();
        var windows = run.Tenants[0].IopsSeries.Count;
        for (var w = 0; w < windows; w++)
        {
            sb.Append(Invariant($"{(w + 0.5) * RtRun.WindowSeconds:F2}"));
            foreach (var t in run.Tenants)
            {
                sb.Append(Invariant($" {t.IopsSeries[w]:F0}"));
            }

            foreach (var t in run.Tenants)
            {
                var p = t.P99Series[w];
                sb.Append(double.IsNaN(p) ? " NaN" : Invariant($" {p:F1}"));
            }

            for (var i = 0; i < run.Tenants.Count; i++)
            {
                var r = run.RateSeries is { } rates && w < rates[i].Count ? rates[i][w] : double.NaN;
                sb.Append(double.IsNaN(r) ? " NaN" : Invariant($" {r:F0}"));
            }

            sb.AppendLine();
        }

        File.WriteAllText(path, sb.ToString());
    }

    private static string Slug(string label) => string.Concat(label.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-'));

    private static string Escape(string text) => text.Replace("'", "''", StringComparison.Ordinal);
}
