using System.Globalization;
using Offload.Contracts.Management;

namespace Offload.Cli.History;

/// <summary>Renders a <see cref="HistoryDocument"/> as plain text.</summary>
internal static class HistoryView
{
    internal static void WriteText(HistoryDocument history, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Tenant {history.Tenant} (history in {history.Database})"));
        output.WriteLine(history.Prediction is { } p
            ? string.Create(c, $"Predicted demand on return: {p.PredictedPeakRate:F0} units/s, {p.ReadFraction:P0} reads (from {p.RollupCount} rollups)")
            : "No prediction yet: the tenant has no stored history (a rollup is written each minute it is active and when it disconnects).");
        if (history.Rollups.Count == 0)
        {
            return;
        }

        output.WriteLine(string.Create(c, $"{"start (UTC)",-17} {"res",-6} {"peak",10} {"mean",10} {"reads",6} {"periods",8}"));
        foreach (var r in history.Rollups)
        {
            output.WriteLine(string.Create(c, $"{r.Start.UtcDateTime:yyyy-MM-dd HH:mm} {r.Resolution,-6} {r.PeakRate,10:F0} {r.MeanRate,10:F0} {r.ReadFraction,6:P0} {r.Samples,8}"));
        }
    }
}
