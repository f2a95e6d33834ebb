using System.Globalization;
using Offload.Contracts.Ids;

namespace Offload.Controller.Prediction;

public sealed partial class SqliteHistoryStore
{
    /// <summary>The stable id of a tenant (its host NQN), created on first use. Stable ids key the rollups, so a
    /// tenant's history survives NIC restarts, which renumber mailbox application ids.</summary>
    public AppId GetOrAddTenant(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (TryGetTenant(name, out var id))
        {
            return id;
        }

        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "INSERT INTO tenant(name) VALUES($n) ON CONFLICT(name) DO NOTHING; SELECT id FROM tenant WHERE name = $n;";
        cmd.Parameters.AddWithValue("$n", name);
        return new AppId(checked((uint)Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture)));
    }

    /// <summary>Looks a tenant up without creating it.</summary>
    public bool TryGetTenant(string name, out AppId id)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT id FROM tenant WHERE name = $n;";
        cmd.Parameters.AddWithValue("$n", name);
        if (cmd.ExecuteScalar() is long value)
        {
            id = new AppId(checked((uint)value));
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>The most recent <paramref name="count"/> rollups of an application, newest first.</summary>
    public IReadOnlyList<HistoryRollup> ReadRollups(AppId application, int count)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT t, hourly, peak, mean, read_fraction, samples FROM (
              SELECT hour * 3600 AS t, 1 AS hourly, peak, mean, read_fraction, samples FROM hour_rollup WHERE app = $a
              UNION ALL
              SELECT minute * 60 AS t, 0 AS hourly, peak, mean, read_fraction, samples FROM minute_rollup WHERE app = $a)
            ORDER BY t DESC LIMIT $n;
            """;
        cmd.Parameters.AddWithValue("$a", (long)application.Value);
        cmd.Parameters.AddWithValue("$n", Math.Max(0, count));
        var rows = new List<HistoryRollup>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new HistoryRollup(DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(0)), reader.GetInt64(1) == 1,
                reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetInt64(5)));
        }

        return rows;
    }
}
