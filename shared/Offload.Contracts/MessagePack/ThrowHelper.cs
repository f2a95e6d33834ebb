using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Offload.Contracts.MessagePack;

/// <summary>Out-of-line throws so the codec's hot paths stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Throw(string reason, long offset) =>
        throw new MessagePackSerializationException(reason, offset);

    [DoesNotReturn]
    public static void Truncated(long offset, string what, long needed, long remaining) =>
        throw new MessagePackSerializationException(
            string.Create(CultureInfo.InvariantCulture, $"truncated: {what} needs {needed} bytes but {remaining} remain"),
            offset);

    [DoesNotReturn]
    public static void LengthExceedsRemaining(long offset, string what, ulong length, long remaining) =>
        throw new MessagePackSerializationException(
            string.Create(CultureInfo.InvariantCulture, $"truncated: {what} length {length} exceeds {remaining} remaining bytes"),
            offset);

    [DoesNotReturn]
    public static void LengthExceedsLimit(long offset, string what, ulong length, string limitName, int limit) =>
        throw new MessagePackSerializationException(
            string.Create(CultureInfo.InvariantCulture, $"{what} length {length} exceeds {limitName} {limit}"),
            offset);

    [DoesNotReturn]
    public static void WrongType(long offset, string expected, byte code) =>
        throw new MessagePackSerializationException(
            string.Create(
                CultureInfo.InvariantCulture,
                $"expected {expected} but found {MessagePackCode.ToMessagePackType(code)} (code 0x{code:x2})"),
            offset);

    [DoesNotReturn]
    public static void InvalidCode(long offset, byte code) =>
        throw new MessagePackSerializationException(
            string.Create(CultureInfo.InvariantCulture, $"invalid format code 0x{code:x2}"), offset);

    [DoesNotReturn]
    public static void Overflow(long offset, string target) =>
        throw new MessagePackSerializationException(
            string.Create(CultureInfo.InvariantCulture, $"integer value does not fit in {target}"), offset);

    [DoesNotReturn]
    public static void DepthExceeded(long offset, int depth, int maxDepth) =>
        throw new MessagePackSerializationException(
            string.Create(CultureInfo.InvariantCulture, $"nesting depth {depth} exceeds MaxDepth {maxDepth}"), offset);

    [DoesNotReturn]
    public static void InvalidUtf8(long offset) =>
        throw new MessagePackSerializationException("str contains invalid UTF-8", offset);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName) =>
        throw new ArgumentOutOfRangeException(paramName);
}
