namespace Offload.Nic.Nvme.Namespace;

/// <summary>
/// Block atomicity for one namespace store: every 4 KiB of the namespace (one 4096-byte logical block, or eight
/// 512-byte ones, which never straddle a 4 KiB boundary because the namespace starts at offset 0 of its store) maps
/// to one word of a fixed table. A word is a sequence lock plus a pin count:
/// <list type="bullet">
/// <item>writers own a stripe while they copy into it (sequence odd), one stripe at a time, and only when no reader has
/// it pinned; a writer never holds a stripe while it waits, so there is no lock order to get wrong;</item>
/// <item>copying readers retry a stripe whose sequence moved while they copied (they never block writers);</item>
/// <item>zero-copy readers pin the stripes their C2HData points at until the kernel has copied the bytes (a send that
/// returned) or they were bounced into a private buffer; writers to a pinned stripe wait for the pin to go.</item>
/// </list>
/// This is what Identify reports: AWUN = AWUPF = 0 (0's based, i.e. one logical block, NVMe Base 2.0 Figure 276) and
/// NSFEAT.NSABP = 0 (no per-namespace atomicity): a Read never returns a logical block that mixes two Writes.
/// Stripes are hashed into at most <see cref="MaxWords"/> words; two stripes sharing a word only wait for each other.
/// </summary>
internal sealed class StripeLocks
{
    /// <summary>log2 of the stripe size (4 KiB).</summary>
    public const int StripeShift = 12;

    public const int StripeSize = 1 << StripeShift;

    private const int MaxWords = 1 << 16;
    private const long WriterUnit = 1L << 32;
    private const long PinMask = 0xFFFF_FFFF;

    private readonly long[] _words;
    private readonly long _mask;

    public StripeLocks(long size)
    {
        var stripes = Math.Max(1, (size + StripeSize - 1) >> StripeShift);
        var words = 1L;
        while (words < stripes && words < MaxWords)
        {
            words <<= 1;
        }

        _words = new long[words];
        _mask = words - 1;
    }

    /// <summary>Index of the word guarding the stripe that holds byte <paramref name="offset"/>.</summary>
    public int WordOf(long offset) => (int)((offset >> StripeShift) & _mask);

    /// <summary>Zero-copy readers currently pinning the word (tests and diagnostics).</summary>
    public int PinCount(long offset) => (int)(Volatile.Read(ref _words[WordOf(offset)]) & PinMask);

    /// <summary>Takes the stripe for writing: waits until no writer owns it and no reader pins it.</summary>
    public void EnterWrite(int word)
    {
        ref var w = ref _words[word];
        var spin = default(SpinWait);
        while (true)
        {
            var seen = Volatile.Read(ref w);
            if ((seen & (PinMask | WriterUnit)) == 0 && Interlocked.CompareExchange(ref w, seen + WriterUnit, seen) == seen)
            {
                return;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Releases a stripe taken by <see cref="EnterWrite"/> (the sequence becomes even again).</summary>
    public void ExitWrite(int word) => Interlocked.Add(ref _words[word], WriterUnit);

    /// <summary>Starts a copying read of a stripe: waits out a writer, returns the sequence to validate against.</summary>
    public long BeginRead(int word)
    {
        ref var w = ref _words[word];
        var spin = default(SpinWait);
        while (true)
        {
            var seen = Volatile.Read(ref w);
            if ((seen & WriterUnit) == 0)
            {
                return seen >> 32;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>True when no writer touched the stripe since <see cref="BeginRead"/> returned <paramref name="sequence"/>.</summary>
    public bool ValidateRead(int word, long sequence)
    {
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _words[word]) >> 32 == sequence;
    }

    /// <summary>Pins a stripe for a zero-copy send: waits out a writer (which never waits while it owns a stripe).</summary>
    public void Pin(int word)
    {
        ref var w = ref _words[word];
        var spin = default(SpinWait);
        while (true)
        {
            var seen = Volatile.Read(ref w);
            if ((seen & WriterUnit) == 0 && Interlocked.CompareExchange(ref w, seen + 1, seen) == seen)
            {
                return;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    public void Unpin(int word) => Interlocked.Decrement(ref _words[word]);
}
