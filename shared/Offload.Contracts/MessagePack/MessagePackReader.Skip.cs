using System.Buffers;

namespace Offload.Contracts.MessagePack;

/// <summary>Skipping and capturing whole values. Recursion is bounded by MaxDepth via <see cref="DepthStep"/>.</summary>
public ref partial struct MessagePackReader
{
    /// <summary>Skips the next whole value (recursively); throws when it is truncated or malformed.</summary>
    public void Skip() => SkipCore(throwIfTruncated: true);

    /// <summary>Skips the next whole value; returns false and consumes nothing when it is incomplete.</summary>
    public bool TrySkip()
    {
        MessagePackReader saved = this;
        if (SkipCore(throwIfTruncated: false))
        {
            return true;
        }

        this = saved;
        return false;
    }

    /// <summary>Returns the encoded bytes of the next whole value (a slice of the input) and consumes them.</summary>
    public ReadOnlySequence<byte> ReadRaw()
    {
        long start = Consumed;
        SequencePosition startPosition = Position;
        Skip();
        return _isSingleSegment
            ? _sequence.Slice(start, Consumed - start)
            : _sequence.Slice(startPosition, Consumed - start);
    }

    /// <summary>Returns the next <paramref name="length"/> bytes verbatim and consumes them.</summary>
    public ReadOnlySequence<byte> ReadRaw(long length)
    {
        if (length < 0 || length > Remaining)
        {
            ThrowHelper.Truncated(Consumed, "raw read", length, Remaining);
        }

        ReadOnlySequence<byte> raw = SliceAhead(0, length);
        Advance(length);
        return raw;
    }

    private bool SkipCore(bool throwIfTruncated)
    {
        long offset = Consumed;
        if (!TryPeekHeader(out Header h))
        {
            if (throwIfTruncated)
            {
                ThrowTruncatedHeader("value");
            }

            return false;
        }

        switch (h.Type)
        {
            case MessagePackType.Array or MessagePackType.Map:
                string what = h.Type == MessagePackType.Array ? "array" : "map";
                if (!CheckCollectionLength(h, offset, what, throwIfTruncated))
                {
                    return false;
                }

                Advance(h.Size);
                DepthStep();
                long elements = h.Type == MessagePackType.Map ? 2L * h.Length : h.Length;
                for (long i = 0; i < elements; i++)
                {
                    if (!SkipCore(throwIfTruncated))
                    {
                        return false;
                    }
                }

                Depth--;
                return true;

            case MessagePackType.String or MessagePackType.Binary or MessagePackType.Extension:
                string kind = h.Type switch
                {
                    MessagePackType.String => "str",
                    MessagePackType.Binary => "bin",
                    _ => "ext",
                };
                if (!CheckBody(h, offset, kind, throwIfTruncated))
                {
                    return false;
                }

                Advance(h.Size + h.Length);
                return true;

            default:
                Advance(h.Size);
                return true;
        }
    }
}
