using System.Globalization;
using System.Text;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>
/// A language-neutral text form of a decoded value, produced identically by the Python side of the interop test:
/// n, t/f, i&lt;decimal&gt;, d&lt;float64 bits hex&gt; (dnan for NaN), s&lt;utf8 hex&gt;, b&lt;hex&gt;, [a,b], {k:v,...},
/// e&lt;type&gt;:&lt;hex&gt;, T&lt;seconds&gt;.&lt;nanoseconds&gt;.
/// </summary>
internal static class CanonicalDump
{
    public static string Of(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder b, object? value)
    {
        switch (value)
        {
            case null:
                b.Append('n');
                break;
            case bool v:
                b.Append(v ? 't' : 'f');
                break;
            case long v:
                b.Append('i').Append(v.ToString(CultureInfo.InvariantCulture));
                break;
            case ulong v:
                b.Append('i').Append(v.ToString(CultureInfo.InvariantCulture));
                break;
            case float v:
                AppendDouble(b, v);
                break;
            case double v:
                AppendDouble(b, v);
                break;
            case string v:
                b.Append('s').Append(Convert.ToHexString(Encoding.UTF8.GetBytes(v)).ToLowerInvariant());
                break;
            case byte[] v:
                b.Append('b').Append(Convert.ToHexString(v).ToLowerInvariant());
                break;
            case object?[] items:
                b.Append('[');
                for (int i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        b.Append(',');
                    }

                    Append(b, items[i]);
                }

                b.Append(']');
                break;
            case List<KeyValuePair<object?, object?>> pairs:
                b.Append('{');
                for (int i = 0; i < pairs.Count; i++)
                {
                    if (i > 0)
                    {
                        b.Append(',');
                    }

                    Append(b, pairs[i].Key);
                    b.Append(':');
                    Append(b, pairs[i].Value);
                }

                b.Append('}');
                break;
            case ExtensionValue v:
                b.Append('e').Append(v.TypeCode.ToString(CultureInfo.InvariantCulture)).Append(':')
                    .Append(Convert.ToHexString(v.Data).ToLowerInvariant());
                break;
            case DateTime v:
                long ticks = v.Ticks - DateTime.UnixEpoch.Ticks;
                long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
                if (remainder < 0)
                {
                    seconds--;
                    remainder += TimeSpan.TicksPerSecond;
                }

                b.Append('T').Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('.')
                    .Append((remainder * 100).ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"no canonical form for {value.GetType()}");
        }
    }

    private static void AppendDouble(StringBuilder b, double value)
    {
        if (double.IsNaN(value))
        {
            b.Append("dnan");
            return;
        }

        b.Append('d').Append(BitConverter.DoubleToInt64Bits(value).ToString("x16", CultureInfo.InvariantCulture));
    }
}
