using System.Text;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>
/// Seeded random value trees in the shapes <see cref="MessagePackValueReader"/> produces, biased towards format
/// width boundaries. Map keys are unique str or int (so Python dicts keep every pair).
/// </summary>
internal sealed class RandomMessagePackValues(int seed, int maxDepth = 5, bool allowLarge = true, int largeOneIn = 20)
{
    private static readonly long[] IntegerEdges =
    [
        0, 1, 31, 32, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, 1L + uint.MaxValue, long.MaxValue,
        -1, -31, -32, -33, -127, -128, -129, -32767, -32768, -32769, int.MinValue, int.MinValue - 1L, long.MinValue,
    ];

    private static readonly int[] LengthEdges = [0, 1, 15, 16, 31, 32, 255, 256];

    private static readonly string[] Alphabets =
    [
        "abcdefghijklmnopqrstuvwxyz0123456789 _-",
        "àéîõüßçñ\u00a0€£¥",
        "漢字かなカナ한글",
        "😀🚀👍🏽𝄞",
        "\u0000\u0001\t\n\"\\\u007f",
    ];

    private readonly Random _random = new(seed);

    public object? Next() => Next(0);

    private object? Next(int depth)
    {
        int kind = _random.Next(depth >= maxDepth ? 9 : 12);
        return kind switch
        {
            0 => null,
            1 => _random.Next(2) == 0,
            2 or 3 => NextInteger(),
            4 => NextSingle(),
            5 => NextDouble(),
            6 => NextString(),
            7 => NextBytes(),
            8 => _random.Next(3) == 0 ? NextTimestamp() : new ExtensionValue((sbyte)_random.Next(0, 128), NextBytes(ext: true)),
            9 or 10 => NextArray(depth),
            _ => NextMap(depth),
        };
    }

    private object NextInteger()
    {
        long value = _random.Next(4) switch
        {
            0 => IntegerEdges[_random.Next(IntegerEdges.Length)],
            1 => _random.Next(-40, 200),
            2 => _random.NextInt64() >> _random.Next(64),
            _ => -(_random.NextInt64() >> _random.Next(64)),
        };
        if (_random.Next(10) == 0)
        {
            ulong big = (ulong)_random.NextInt64() | (1UL << 63);
            return _random.Next(3) == 0 ? ulong.MaxValue : big;
        }

        return value;
    }

    private float NextSingle() => _random.Next(5) switch
    {
        0 => 0.0f,
        1 => float.NegativeInfinity,
        2 => (float)(_random.NextDouble() * 1000 - 500),
        _ => BitConverter.Int32BitsToSingle(_random.Next() | (_random.Next(2) << 31)),
    };

    private double NextDouble() => _random.Next(5) switch
    {
        0 => -0.0,
        1 => double.PositiveInfinity,
        2 => _random.NextDouble() * 1e6,
        _ => BitConverter.Int64BitsToDouble(_random.NextInt64()),
    };

    private int NextLength()
    {
        if (allowLarge && _random.Next(largeOneIn) == 0)
        {
            return _random.Next(2) == 0 ? 65535 : 65536;
        }

        int pick = _random.Next(20);
        return pick < 6 ? LengthEdges[_random.Next(LengthEdges.Length)] : _random.Next(0, 40);
    }

    private string NextString()
    {
        int length = NextLength();
        string alphabet = Alphabets[_random.Next(Alphabets.Length)];
        var builder = new StringBuilder(length);
        var runes = alphabet.EnumerateRunes().ToArray();
        while (builder.Length < length)
        {
            builder.Append(runes[_random.Next(runes.Length)].ToString());
        }

        return builder.ToString();
    }

    private byte[] NextBytes(bool ext = false)
    {
        int length = ext && _random.Next(2) == 0 ? new[] { 1, 2, 4, 8, 16, 3, 17 }[_random.Next(7)] : NextLength();
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private DateTime NextTimestamp()
    {
        long ticks = _random.Next(3) switch
        {
            0 => DateTime.UnixEpoch.Ticks + (_random.NextInt64(0, 1L + uint.MaxValue) * TimeSpan.TicksPerSecond),
            1 => DateTime.UnixEpoch.Ticks + _random.NextInt64(0, (1L << 34) * TimeSpan.TicksPerSecond),
            _ => _random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks),
        };
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    private object?[] NextArray(int depth)
    {
        int count = _random.Next(8) == 0 ? _random.Next(15, 20) : _random.Next(0, 6);
        var items = new object?[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = Next(depth + 1);
        }

        return items;
    }

    private List<KeyValuePair<object?, object?>> NextMap(int depth)
    {
        int count = _random.Next(8) == 0 ? _random.Next(15, 20) : _random.Next(0, 6);
        var pairs = new List<KeyValuePair<object?, object?>>(count);
        var keys = new HashSet<object>();
        while (pairs.Count < count)
        {
            object key = _random.Next(2) == 0 ? NextString() : NextInteger();
            if (keys.Add(key))
            {
                pairs.Add(new KeyValuePair<object?, object?>(key, Next(depth + 1)));
            }
        }

        return pairs;
    }
}
