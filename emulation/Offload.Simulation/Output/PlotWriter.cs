using System.Diagnostics;
using System.Globalization;
using System.Text;
using Offload.Simulation.Results;
using Offload.Simulation.Scenarios;
using static System.FormattableString;

namespace Offload.Simulation.Output;

/// <summary>
/// Writes per-run time series (.dat) and a gnuplot script per scenario, then renders PNGs with gnuplot
/// (Debian gnuplot-nox). Top row: throughput per tenant (solid, cost units/s, 50 ms mean) and the policy's
/// rate (dashed); bottom row: p99 latency per 100 ms window (log scale).
/// </summary>
internal static class PlotWriter
{
    private const int SmoothPeriods = 5;
    private const double LatencyWindowSeconds = 0.1;

    public static void WriteAll(IEnumerable<ScenarioReport> reports, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var report in reports)
        {
            var runs = PickRuns(report);
            if (runs.Count == 0)
            {
                continue;
            }

            var script = new StringBuilder();
            script.AppendLine(Invariant($"set terminal pngcairo size {620 * runs.Count},820 font \",10\""));
            script.AppendLine(Invariant($"set output '{report.Id}.png'"));
            script.AppendLine("set datafile missing '?'"); // p99 rows between windows: skipped, lines join; NaN rates break lines
            script.AppendLine("set key top right font ',9'");
            script.AppendLine("set grid");
            script.AppendLine(Invariant($"set multiplot layout 2,{runs.Count} title '{Escape(report.Title)}'"));
            foreach (var (label, run) in runs)
            {
                string file = Invariant($"{report.Id}-{Slug(label)}.dat");
                WriteData(Path.Combine(directory, file), run);
                AppendPanel(script, label, run, file, throughput: true);
            }

            foreach (var (label, run) in runs)
            {
                AppendPanel(script, label, run, Invariant($"{report.Id}-{Slug(label)}.dat"), throughput: false);
            }

            script.AppendLine("unset multiplot");
            string gp = Path.Combine(directory, report.Id + ".gp");
            File.WriteAllText(gp, script.ToString());
            Render(directory, report.Id + ".gp");
            report.Images.Add("img/" + report.Id + ".png");
        }
    }

    private static List<(string Label, SimResult Run)> PickRuns(ScenarioReport report)
    {
        string[] preferred = report.Id switch
        {
            "s3-weights" => ["Offload", "Offload SLA"],
            "s5-prediction" => ["Offload, history off", "Offload, history on"],
            "s6-rwmix" => ["Offload, cost model off", "Offload, cost model on"],
            "s4-convergence" => ["Offload"],
            _ => ["FIFO", "Offload"],
        };
        var list = new List<(string, SimResult)>();
        foreach (string p in preferred)
        {
            if (report.Runs.TryGetValue(p, out var r))
            {
                list.Add((p, r));
            }
        }

        return list;
    }

    private static void AppendPanel(StringBuilder s, string label, SimResult run, string file, bool throughput)
    {
        int n = run.Tenants.Count;
        s.AppendLine("set xlabel 'time (s)'");
        if (throughput)
        {
            s.AppendLine(Invariant($"set title '{Escape(label)}: throughput (solid) and policy rate (dashed)'"));
            s.AppendLine("set ylabel 'cost units/s'");
            s.AppendLine("unset logscale y");
            s.AppendLine("set yrange [0:*]");
        }
        else
        {
            s.AppendLine(Invariant($"set title '{Escape(label)}: p99 latency per {LatencyWindowSeconds * 1000:F0} ms'"));
            s.AppendLine("set ylabel 'p99 (µs)'");
            s.AppendLine("set logscale y");
            s.AppendLine("set yrange [*:*]");
        }

        s.Append("plot ");
        for (int i = 0; i < n; i++)
        {
            string name = Escape(run.Tenants[i].Name);
            int lt = i + 1;
            if (throughput)
            {
                s.Append(Invariant($"'{file}' using 1:{2 + (3 * i)} with lines lw 2 lt {lt} title '{name}', "));
                s.Append(Invariant($"'{file}' using 1:{3 + (3 * i)} with lines dt 2 lt {lt} notitle"));
            }
            else
            {
                s.Append(Invariant($"'{file}' using 1:{4 + (3 * i)} with linespoints pt 7 ps 0.5 lt {lt} title '{name}'"));
            }

            s.Append(i + 1 < n ? ", " : "\n");
        }
    }

    private static void WriteData(string path, SimResult run)
    {
        int periods = run.SeriesCapacity.Length;
        int latencyEvery = Math.Max(1, (int)Math.Round(LatencyWindowSeconds / run.PeriodSeconds));
        var sb = new StringBuilder();
        sb.Append("# time");
        foreach (var t in run.Tenants)
        {
            sb.Append(Invariant($" {t.Name}_cost {t.Name}_rate {t.Name}_p99us"));
        }

        sb.AppendLine();
        for (int p = 0; p < periods; p++)
        {
            double time = (p + 1) * run.PeriodSeconds;
            sb.Append(time.ToString("F3", CultureInfo.InvariantCulture));
            for (int i = 0; i < run.Tenants.Count; i++)
            {
                var t = run.Tenants[i];
                int a = Math.Max(0, p - SmoothPeriods + 1);
                double sum = 0;
                for (int k = a; k <= p; k++)
                {
                    sum += t.SeriesCost[k];
                }

                double p99 = double.NaN;
                if ((p + 1) % latencyEvery == 0)
                {
                    p99 = run.P99Micros(i, time - LatencyWindowSeconds, time);
                }

                string latency = double.IsNaN(p99) ? "?" : p99.ToString("F1", CultureInfo.InvariantCulture);
                sb.Append(Invariant($" {sum / (p - a + 1):F1} {t.SeriesRate[p]:F1} {latency}"));
            }

            sb.AppendLine();
        }

        File.WriteAllText(path, sb.ToString().Replace("∞", "NaN", StringComparison.Ordinal));
    }

    private static void Render(string directory, string script)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("gnuplot", script)
            {
                WorkingDirectory = directory,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return;
            }

            string err = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"gnuplot {script} failed: {err}");
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("gnuplot not found: apt-get install -y gnuplot-nox; data and scripts are written, PNGs are not.");
        }
    }

    private static string Escape(string text) => text.Replace("'", "''", StringComparison.Ordinal);

    private static string Slug(string label)
    {
        var sb = new StringBuilder();
        foreach (char c in label.ToLowerInvariant())
        {
            sb.Append(char.IsLetterOrDigit(c) ? c : '-');
        }

        return sb.ToString().Replace("--", "-", StringComparison.Ordinal);
    }
}
