using System.Text.Json;
using Microsoft.Extensions.Options;
using Offload.Host.State;

namespace Offload.Host.Audit;

/// <summary>
/// Appends one JSON line per mutating management call to <c>State:AuditLogPath</c>: when (<c>time</c>, UTC), who
/// (<c>transport</c>, <c>uid</c>, <c>gid</c>, <c>pid</c> from SO_PEERCRED, or <c>peer</c> for TCP), what
/// (<c>method</c>, <c>route</c>, <c>summary</c>) and the result (<c>status</c>, <c>result</c>). Writes are serialised
/// and flushed before the API answers; a write failure is logged, never fails the call.
/// </summary>
internal sealed partial class AuditLog(IOptions<StateOptions> options, TimeProvider time, ILogger<AuditLog> logger)
{
    private readonly Lock _gate = new();

    /// <summary>The audit log path.</summary>
    public string Path => options.Value.AuditLogPath;

    /// <summary>Appends one entry.</summary>
    public void Append(HttpContext context, string summary, int status, string result)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = PeerCredentials.Of(context);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("time", time.GetUtcNow());
            json.WriteString("transport", peer.Transport);
            WriteNumberOrNull(json, "uid", peer.Uid);
            WriteNumberOrNull(json, "gid", peer.Gid);
            if (peer.Pid is { } pid)
            {
                json.WriteNumber("pid", pid);
            }
            else
            {
                json.WriteNull("pid");
            }

            json.WriteString("peer", peer.Address);
            json.WriteString("method", context.Request.Method);
            json.WriteString("route", context.Request.Path.Value);
            json.WriteString("summary", summary);
            json.WriteNumber("status", status);
            json.WriteString("result", result);
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            try
            {
                var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
                buffer.Position = 0;
                buffer.CopyTo(file);
                file.Flush(flushToDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(logger, Path, ex.Message);
            }
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, uint? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    [LoggerMessage(EventId = 3420, Level = LogLevel.Error, Message = "Audit log {Path} could not be written: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason);
}
