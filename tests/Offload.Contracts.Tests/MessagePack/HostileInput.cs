using System.Buffers;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>
/// Feeds one untrusted input through every reading style (Skip, TrySkip, untyped Read, typed reads).
/// Returns null when the only exception seen was <see cref="MessagePackSerializationException"/>, else a description.
/// Every loop is bounded by the input length, so a reader that stops making progress is reported, not hung on.
/// </summary>
internal static class HostileInput
{
    public static string? Exercise(ReadOnlySequence<byte> input, MessagePackReaderOptions options, bool typedWalk)
    {
        string? failure = Guard(input, options, SkipAll);
        failure ??= Guard(input, options, TrySkipAll);
        failure ??= Guard(input, options, ReadAllUntyped);
        if (typedWalk)
        {
            failure ??= Guard(input, options, TypedWalk);
        }

        return failure;
    }

    private delegate bool Walk(ref MessagePackReader reader);

    private static string? Guard(ReadOnlySequence<byte> input, MessagePackReaderOptions options, Walk walk)
    {
        try
        {
            var reader = new MessagePackReader(input, options);
            long budget = input.Length + 1;
            while (!reader.End)
            {
                long before = reader.Consumed;
                if (!walk(ref reader))
                {
                    return null; // incomplete input reported by a Try method
                }

                if (reader.Consumed <= before || --budget < 0)
                {
                    return $"{walk.Method.Name}: no progress at byte {before}";
                }
            }

            return null;
        }
        catch (MessagePackSerializationException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return $"{walk.Method.Name}: {ex.GetType().Name}: {ex.Message}";
        }
    }

    private static bool SkipAll(ref MessagePackReader reader)
    {
        reader.Skip();
        return true;
    }

    private static bool TrySkipAll(ref MessagePackReader reader)
    {
        long before = reader.Consumed;
        bool skipped = reader.TrySkip();
        if (!skipped && reader.Consumed != before)
        {
            throw new InvalidOperationException("TrySkip returned false but consumed input");
        }

        return skipped;
    }

    private static bool ReadAllUntyped(ref MessagePackReader reader)
    {
        MessagePackValueReader.Read(ref reader);
        if (reader.Depth != 0)
        {
            throw new InvalidOperationException($"depth {reader.Depth} after a whole value");
        }

        return true;
    }

    /// <summary>Reads every token flat with the typed API (headers only for containers).</summary>
    private static bool TypedWalk(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    reader.ReadUInt64();
                }
                else
                {
                    reader.ReadInt64();
                }

                break;
            case MessagePackType.Nil:
                reader.ReadNil();
                break;
            case MessagePackType.Boolean:
                reader.ReadBoolean();
                break;
            case MessagePackType.Float:
                reader.ReadDouble();
                break;
            case MessagePackType.String:
                if (!reader.TryReadStringSpan(out _))
                {
                    reader.ReadString();
                }

                break;
            case MessagePackType.Binary:
                reader.ReadBytes();
                break;
            case MessagePackType.Array:
                reader.ReadArrayHeader();
                break;
            case MessagePackType.Map:
                reader.ReadMapHeader();
                break;
            case MessagePackType.Extension:
                ExtensionHeader header = reader.ReadExtensionFormatHeader();
                reader.ReadRaw(header.Length);
                break;
            default:
                reader.Skip(); // 0xc1 must throw the typed exception
                break;
        }

        return true;
    }
}
