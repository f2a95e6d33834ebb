using Microsoft.Extensions.Options;

namespace Offload.Host.History;

/// <summary>Runs the history's retention and compaction at start and every <see cref="HistoryOptions.CompactionInterval"/>.</summary>
internal sealed partial class HistoryCompactionService(TenantHistory history, IOptions<HistoryOptions> options, TimeProvider time,
    ILogger<HistoryCompactionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CompactionInterval, time);
        do
        {
            try
            {
                int changed = history.Compact();
                LogCompacted(history.Path, changed);
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                LogCompactionFailed(history.Path, ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "History {Path}: retention and compaction changed {Rows} rows")]
    private partial void LogCompacted(string path, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "History {Path}: compaction failed ({Reason}); it is retried at the next interval")]
    private partial void LogCompactionFailed(string path, string reason);
}
