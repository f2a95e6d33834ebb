using System.Collections;
using System.Globalization;

namespace Offload.Contracts.MessagePack;

/// <summary>
/// Encodes plain objects (the shapes <see cref="MessagePackValueReader"/> produces, plus other integer widths,
/// <see cref="IDictionary"/> and <see cref="IEnumerable{T}"/> of key/value pairs) for tools and tests.
/// </summary>
public static class MessagePackValueWriter
{
    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case bool b:
                writer.Write(b);
                break;
            case long l:
                writer.Write(l);
                break;
            case ulong ul:
                writer.Write(ul);
                break;
            case int i:
                writer.Write(i);
                break;
            case uint ui:
                writer.Write(ui);
                break;
            case short s:
                writer.Write(s);
                break;
            case ushort us:
                writer.Write(us);
                break;
            case byte by:
                writer.Write(by);
                break;
            case sbyte sb:
                writer.Write(sb);
                break;
            case float f:
                writer.Write(f);
                break;
            case double d:
                writer.Write(d);
                break;
            case string str:
                writer.Write(str);
                break;
            case byte[] bytes:
                writer.Write(bytes.AsSpan());
                break;
            case DateTime dt:
                writer.Write(dt);
                break;
            case ExtensionValue ext:
                writer.WriteExtensionFormat(ext.TypeCode, ext.Data);
                break;
            case IEnumerable<KeyValuePair<object?, object?>> pairs:
                WritePairs(ref writer, pairs);
                break;
            case IDictionary dictionary:
                writer.WriteMapHeader(dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                {
                    Write(ref writer, entry.Key);
                    Write(ref writer, entry.Value);
                }

                break;
            case IList list:
                writer.WriteArrayHeader(list.Count);
                foreach (object? item in list)
                {
                    Write(ref writer, item);
                }

                break;
            default:
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"cannot encode a {value.GetType()} as MessagePack"),
                    nameof(value));
        }
    }

    private static void WritePairs(ref MessagePackWriter writer, IEnumerable<KeyValuePair<object?, object?>> pairs)
    {
        int count = pairs is ICollection<KeyValuePair<object?, object?>> c ? c.Count : pairs.Count();
        writer.WriteMapHeader(count);
        foreach (KeyValuePair<object?, object?> pair in pairs)
        {
            Write(ref writer, pair.Key);
            Write(ref writer, pair.Value);
        }
    }
}
