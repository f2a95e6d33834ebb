using System.Globalization;
using Microsoft.Data.Sqlite;
using Offload.Contracts.Ids;

namespace Offload.Controller.Prediction;

/// <summary>
/// History in an embedded SQLite database. Table <c>minute_rollup</c> holds per-minute rollups; compaction
/// folds minutes older than <see cref="HistoryRetention.MinuteRollups"/> into <c>hour_rollup</c> (max of
/// peaks, sample-weighted means) and deletes hours older than <see cref="HistoryRetention.HourRollups"/>.
/// Not thread-safe: the policy owns it.
/// </summary>
public sealed partial class SqliteHistoryStore : IHistoryStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly HistoryRetention _retention;

    /// <summary>Opens (creating if needed) the store. Use "Data Source=:memory:" for a throwaway store.</summary>
    public SqliteHistoryStore(string connectionString, HistoryRetention? retention = null)
    {
        _retention = retention ?? HistoryRetention.Default;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS minute_rollup(
              app INTEGER NOT NULL, minute INTEGER NOT NULL, peak REAL NOT NULL, mean REAL NOT NULL,
              read_fraction REAL NOT NULL, samples INTEGER NOT NULL, PRIMARY KEY(app, minute));
            CREATE TABLE IF NOT EXISTS hour_rollup(
              app INTEGER NOT NULL, hour INTEGER NOT NULL, peak REAL NOT NULL, mean REAL NOT NULL,
              read_fraction REAL NOT NULL, samples INTEGER NOT NULL, PRIMARY KEY(app, hour));
            CREATE TABLE IF NOT EXISTS tenant(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            """);
    }

    /// <inheritdoc />
    public void Append(in HistorySample sample)
    {
        if (sample.SampleCount <= 0)
        {
            return;
        }

        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO minute_rollup(app, minute, peak, mean, read_fraction, samples) VALUES($a, $m, $p, $mean, $rf, $n)
            ON CONFLICT(app, minute) DO UPDATE SET
              peak = max(peak, excluded.peak),
              mean = (mean * samples + excluded.mean * excluded.samples) / (samples + excluded.samples),
              read_fraction = (read_fraction * samples + excluded.read_fraction * excluded.samples) / (samples + excluded.samples),
              samples = samples + excluded.samples;
            """;
        cmd.Parameters.AddWithValue("$a", (long)sample.Application.Value);
        cmd.Parameters.AddWithValue("$m", sample.MinuteUnix);
        cmd.Parameters.AddWithValue("$p", sample.PeakCostRate);
        cmd.Parameters.AddWithValue("$mean", sample.MeanCostRate);
        cmd.Parameters.AddWithValue("$rf", sample.ReadFraction);
        cmd.Parameters.AddWithValue("$n", sample.SampleCount);
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public bool TryGetProfile(AppId application, out DemandProfile profile)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT peak, read_fraction FROM (
              SELECT hour * 60 AS t, peak, read_fraction FROM hour_rollup WHERE app = $a
              UNION ALL
              SELECT minute AS t, peak, read_fraction FROM minute_rollup WHERE app = $a)
            ORDER BY t DESC LIMIT $n;
            """;
        cmd.Parameters.AddWithValue("$a", (long)application.Value);
        cmd.Parameters.AddWithValue("$n", _retention.MaxRollups);
        var peaks = new List<(double Peak, double Read)>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                peaks.Add((reader.GetDouble(0), reader.GetDouble(1)));
            }
        }

        if (peaks.Count == 0)
        {
            profile = default;
            return false;
        }

        // Oldest first so that the newest rollup carries weight alpha.
        double peak = peaks[^1].Peak, read = peaks[^1].Read;
        for (int i = peaks.Count - 2; i >= 0; i--)
        {
            peak += _retention.PeakAlpha * (peaks[i].Peak - peak);
            read += _retention.PeakAlpha * (peaks[i].Read - read);
        }

        profile = new DemandProfile(peak, read, peaks.Count);
        return true;
    }

    /// <inheritdoc />
    public int Compact(DateTimeOffset now)
    {
        long minuteCutoff = (now - _retention.MinuteRollups).ToUnixTimeSeconds() / 60;
        long hourCutoff = (now - _retention.HourRollups).ToUnixTimeSeconds() / 3600;
        using var tx = _connection.BeginTransaction();
        using var fold = _connection.CreateCommand();
        fold.Transaction = tx;
        fold.CommandText = """
            INSERT INTO hour_rollup(app, hour, peak, mean, read_fraction, samples)
              SELECT app, minute / 60, max(peak), sum(mean * samples) / sum(samples), sum(read_fraction * samples) / sum(samples), sum(samples)
              FROM minute_rollup WHERE minute < $mc GROUP BY app, minute / 60
            ON CONFLICT(app, hour) DO UPDATE SET
              peak = max(peak, excluded.peak),
              mean = (mean * samples + excluded.mean * excluded.samples) / (samples + excluded.samples),
              read_fraction = (read_fraction * samples + excluded.read_fraction * excluded.samples) / (samples + excluded.samples),
              samples = samples + excluded.samples;
            """;
        fold.Parameters.AddWithValue("$mc", minuteCutoff);
        fold.ExecuteNonQuery();
        int changed = Delete(tx, "DELETE FROM minute_rollup WHERE minute < $c;", minuteCutoff);
        changed += Delete(tx, "DELETE FROM hour_rollup WHERE hour < $c;", hourCutoff);
        tx.Commit();
        return changed;
    }

    /// <summary>Row counts of (minute_rollup, hour_rollup), for tests and `offloadctl status`.</summary>
    public (long Minutes, long Hours) CountRows()
        => (Scalar("SELECT count(*) FROM minute_rollup;"), Scalar("SELECT count(*) FROM hour_rollup;"));

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private int Delete(SqliteTransaction tx, string sql, long cutoff)
    {
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$c", cutoff);
        return cmd.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
