namespace Offload.Nic.Datapath;

/// <summary>
/// One counter per <see cref="DropReason"/>. Owned by one poll thread; read by others as a snapshot
/// (64-bit reads are atomic on x86-64, values may be slightly stale).
/// </summary>
public sealed class DropCounters
{
    private readonly long[] _counts = new long[DropReasons.Count];

    /// <summary>Counts one drop.</summary>
    public void Increment(DropReason reason) => _counts[(int)reason]++;

    /// <summary>Counts <paramref name="n"/> drops.</summary>
    public void Add(DropReason reason, long n) => _counts[(int)reason] += n;

    /// <summary>Drops counted for <paramref name="reason"/>.</summary>
    public long this[DropReason reason] => Volatile.Read(ref _counts[(int)reason]);

    /// <summary>Sum of all malformed-frame reasons.</summary>
    public long Malformed
    {
        get
        {
            long sum = 0;
            for (var i = 1; i < (int)DropReason.NoRoute; i++)
            {
                sum += Volatile.Read(ref _counts[i]);
            }

            return sum;
        }
    }

    /// <summary>Sum of every reason.</summary>
    public long Total
    {
        get
        {
            long sum = 0;
            for (var i = 1; i < _counts.Length; i++)
            {
                sum += Volatile.Read(ref _counts[i]);
            }

            return sum;
        }
    }
}
