using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// The telemetry state of every connection of one target, in contiguous chunks of 128-byte lines: a connection's
/// counters and its SQ and CQ state side by side, one connection after another. The I/O path counts into its own line
/// (<see cref="ConnectionCounters"/>, <see cref="QueueOccupancy"/>); the telemetry sampler reads the lines in order,
/// so 10,000 connections are a sequential 1.25 MB sweep the prefetcher streams, not a pointer chase to each connection's
/// objects scattered between its buffers (the layout SPDK keeps for per-poll-group statistics). Lines are handed out
/// lowest-free-first, so live lines stay dense after churn; a line is visible to readers (non-zero
/// <see cref="ConnectionLine.Id"/>) only once its connection is described (<see cref="ConnectionCounters.Describe"/>).
/// Rent and return take a lock (connect and close); reads take none.
/// </summary>
public sealed class TelemetrySlab
{
    /// <summary>Lines per chunk (128 KiB of lines: a large-object-heap array that the GC never moves).</summary>
    public const int LinesPerChunk = 1024;

    /// <summary>Upper bound on lines (connections) of one slab: 1,048,576.</summary>
    public const int MaxLines = 1024 * LinesPerChunk;

    private readonly object _lock = new();
    private readonly PriorityQueue<int, int> _free = new();
    private Chunk[] _chunks = [];
    private int _lineCount;
    private int _rented;

    public TelemetrySlab(TimeProvider time)
    {
        Time = time ?? throw new ArgumentNullException(nameof(time));
        ConstantsPerTick = QueueOccupancy.ConstantsPerTick(time);
    }

    /// <summary>The clock of the queue states in this slab's lines.</summary>
    public TimeProvider Time { get; }

    /// <summary>Averaging time constants per tick of <see cref="Time"/> (for <see cref="AverageTracker"/> and
    /// <see cref="QueueOccupancy.AverageAt"/>).</summary>
    public double ConstantsPerTick { get; }

    /// <summary>Lines ever handed out (the high-water mark); readers sweep 0 .. LineCount-1.</summary>
    public int LineCount => Volatile.Read(ref _lineCount);

    /// <summary>Lines rented now.</summary>
    public int Rented => Volatile.Read(ref _rented);

    /// <summary>The chunks (grows; a reader takes the array once per sweep).</summary>
    public ReadOnlySpan<Chunk> Chunks => Volatile.Read(ref _chunks);

    /// <summary>Grows a reader's array parallel to the lines (one element per line) to cover every chunk; returns how
    /// many lines to read.</summary>
    public int Fit<T>(ref T[] parallel)
    {
        int lineCount = LineCount; // before the chunks: a chunk is added before the count grows into it
        int capacity = Chunks.Length * LinesPerChunk;
        if (parallel.Length < capacity)
        {
            Array.Resize(ref parallel, capacity);
        }

        return Math.Min(lineCount, parallel.Length);
    }

    /// <summary>A zeroed line for <paramref name="owner"/>, not yet visible to readers.</summary>
    internal TelemetryLineHandle Rent(ConnectionCounters owner)
    {
        lock (_lock)
        {
            int line;
            if (!_free.TryDequeue(out line, out _))
            {
                if (_lineCount == MaxLines)
                {
                    throw new InvalidOperationException($"A telemetry slab holds at most {MaxLines} connections.");
                }

                line = _lineCount;
                if (line / LinesPerChunk == _chunks.Length)
                {
                    var grown = new Chunk[_chunks.Length + 1];
                    _chunks.CopyTo(grown, 0);
                    grown[^1] = new Chunk();
                    Volatile.Write(ref _chunks, grown);
                }

                Volatile.Write(ref _lineCount, line + 1);
            }

            var chunk = _chunks[line / LinesPerChunk];
            int index = line % LinesPerChunk;
            chunk.Lines[index] = default;
            chunk.Owners[index] = owner;
            _rented++;
            return new TelemetryLineHandle(chunk.Lines, index, this, line, chunk.Changed);
        }
    }

    /// <summary>Makes a described line visible to readers under <paramref name="id"/> (0 hides it again).</summary>
    internal static void Publish(TelemetryLineHandle handle, long id) => Volatile.Write(ref handle.Line.Id, id);

    internal void Return(int line)
    {
        lock (_lock)
        {
            var chunk = _chunks[line / LinesPerChunk];
            int index = line % LinesPerChunk;
            Volatile.Write(ref chunk.Lines[index].Id, 0);
            chunk.Owners[index] = null;
            _free.Enqueue(line, line);
            _rented--;
        }
    }

    /// <summary><see cref="LinesPerChunk"/> lines and their owners (for what does not change per period: the
    /// application, the 5-tuple, the latency histogram).</summary>
    public sealed class Chunk
    {
        public LineArray Lines { get; } = new(LinesPerChunk, pinned: true);

        public ConnectionCounters?[] Owners { get; } = new ConnectionCounters?[LinesPerChunk];

        /// <summary>One bit per line: a queue on it changed level since a reader last took the bit (set by the queue,
        /// taken by the occupancy reporter), so a signal is answered by reading those lines only.</summary>
        public long[] Changed { get; } = new long[LinesPerChunk / 64];
    }
}

/// <summary>
/// Telemetry lines whose first line starts on a 64-byte boundary, so each 128-byte line is exactly two cache lines:
/// the counters, and the SQ and CQ state. A managed <c>ConnectionLine[]</c> starts 16 bytes into its object, which the
/// GC aligns to 8 only, so most lines straddled three cache lines, and the last one was shared with the next line's
/// connection: a reader on another core pulled three lines per connection, and two I/O threads with neighbouring
/// connections wrote to one line. The storage is a pinned byte array (it never moves, so the alignment holds) with 64
/// bytes of slack to start the first line on a boundary.
/// </summary>
public sealed class LineArray
{
    private const int LineSize = 128;
    private const int CacheLine = 64;
    private readonly byte[] _storage;
    private readonly int _offset;

    /// <param name="length">Lines.</param>
    /// <param name="pinned">Pinned (the pinned object heap): the alignment holds for the array's lifetime. Unpinned
    /// (a closed connection's private line), it holds until the GC moves the array, which only costs speed.</param>
    public LineArray(int length, bool pinned)
        : this(length, pinned, skew: 0)
    {
    }

    /// <param name="skew">Bytes (a multiple of 8, under 64) added to the aligned start: only for the benchmark that
    /// measures what the alignment saves (<c>line-sharing</c>: 16 is the old array's layout).</param>
    internal LineArray(int length, bool pinned, int skew)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (skew is < 0 or >= CacheLine || skew % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(skew), skew, "A multiple of 8 under 64.");
        }

        Length = length;
        _storage = GC.AllocateArray<byte>((length * LineSize) + CacheLine, pinned);
        int aligned = pinned ? (int)((CacheLine - (StorageAddress() % CacheLine)) % CacheLine) : 0;
        _offset = (aligned + skew) % CacheLine; // still within the 64 bytes of slack, and skew bytes past a boundary
    }

    public int Length { get; }

    public ref ConnectionLine this[int index] =>
        ref Unsafe.As<byte, ConnectionLine>(ref Unsafe.AddByteOffset(ref MemoryMarshal.GetArrayDataReference(_storage), ByteOffset(index)));

    internal byte[] Storage => _storage;

    /// <summary>Where line <paramref name="index"/> starts in <see cref="Storage"/> (checked).</summary>
    internal nint ByteOffset(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            OutOfRange(index);
        }

        return _offset + (index * LineSize);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void OutOfRange(int index) => throw new ArgumentOutOfRangeException(nameof(index), index, "No such line.");

    /// <summary>The address of the storage's first byte (pinned: it does not move), to align the first line.</summary>
    private unsafe long StorageAddress() => (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
}

/// <summary>One connection's telemetry line: the counters (first 64 bytes) and its SQ and CQ state.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct ConnectionLine
{
    /// <summary>The owning <see cref="ConnectionCounters.Id"/> once described; 0 = free or not yet described.</summary>
    [FieldOffset(0)] public long Id;
    [FieldOffset(8)] public long ReadCommands;
    [FieldOffset(16)] public long WriteCommands;
    [FieldOffset(24)] public long BytesRead;
    [FieldOffset(32)] public long BytesWritten;
    [FieldOffset(40)] public long CpuTicks;
    [FieldOffset(48)] public long Pdus;
    [FieldOffset(64)] public QueueState Submission;
    [FieldOffset(96)] public QueueState Completion;
}

/// <summary>The state of one SQ or CQ (<see cref="QueueOccupancy"/>): depth, size, time of the last change, the
/// time-weighted average up to it, and the integral of the depth over time up to it (depth x ticks: a reader's average
/// over any window is the integral's change over the window's length).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct QueueState
{
    public long LastChange;
    public double Average;
    public int Depth;
    public int QueueSize;
    public long Integral;
}

/// <summary>Where a connection's line is: immutable, so a reader never pairs one array with another's index (a
/// connection that closes moves to a private copy by swapping the handle).</summary>
internal sealed class TelemetryLineHandle(LineArray lines, int index, TelemetrySlab? slab, int line, long[]? changed = null)
{
    /// <summary>The chunk's changed bits (null for a private line).</summary>
    public long[]? Changed { get; } = changed;

    public int Index { get; } = index;

    /// <summary>The slab it was rented from; null for a private line.</summary>
    public TelemetrySlab? Slab { get; } = slab;

    /// <summary>Line number in <see cref="Slab"/>.</summary>
    public int SlabLine { get; } = line;

    /// <summary>The line's storage and byte offset, taken once (the index checked then): the I/O path reaches its line
    /// with two loads and no bounds check, as it did through a managed array element.</summary>
    private readonly byte[] _storage = lines.Storage;
    private readonly nint _byteOffset = lines.ByteOffset(index);

    public ref ConnectionLine Line =>
        ref Unsafe.As<byte, ConnectionLine>(ref Unsafe.AddByteOffset(ref MemoryMarshal.GetArrayDataReference(_storage), _byteOffset));

    public static TelemetryLineHandle Private() => new(new LineArray(1, pinned: false), 0, null, -1);
}

/// <summary>
/// A connection's place in the telemetry: its counters and both queues count through one cell, so a close moves all
/// three to a private line at once (<see cref="Release"/>) and the slab line can go to the next connection. Readers that
/// still hold the counters keep seeing the final values.
/// </summary>
public sealed class TelemetryCell
{
    private TelemetryLineHandle _handle;

    /// <summary>A private line (no slab): for counters and queues that no sampler sweeps.</summary>
    public TelemetryCell() => _handle = TelemetryLineHandle.Private();

    internal TelemetryCell(TelemetryLineHandle handle) => _handle = handle;

    /// <summary>The I/O path's way to the line: a plain read of the handle (immutable, published by a volatile
    /// write; a read that misses a just-made swap counts into the old line once, as <see cref="Release"/> allows).</summary>
    internal ref ConnectionLine Line
    {
        get
        {
            var h = _handle;
            return ref h.Line;
        }
    }

    internal TelemetryLineHandle Handle => Volatile.Read(ref _handle);

    /// <summary>Sets the line's changed bit (a queue on it changed level).</summary>
    internal void MarkChanged()
    {
        var h = Volatile.Read(ref _handle);
        if (h.Changed is { } changed)
        {
            Interlocked.Or(ref changed[h.Index >> 6], 1L << (h.Index & 63));
        }
    }

    /// <summary>The slab line this cell counts in; -1 when private.</summary>
    public int SlabLine => Handle.SlabLine;

    /// <summary>Copies the line to a private one and returns the slab line (idempotent). Call once the connection's
    /// I/O has stopped: a count in flight on another thread may land in the old line and be lost.</summary>
    public void Release()
    {
        var old = Volatile.Read(ref _handle);
        if (old.Slab is not { } slab)
        {
            return;
        }

        var copy = TelemetryLineHandle.Private();
        copy.Line = old.Line;
        copy.Line.Id = 0;
        Volatile.Write(ref _handle, copy);
        slab.Return(old.SlabLine);
    }
}

/// <summary>
/// A sweeping reader's running copy of one queue's time-weighted average (<see cref="QueueState"/>). While the queue
/// has not changed since the reader's last sweep, its average moves by the depth held over the time between sweeps
/// only (a few milliseconds: the short series of <see cref="QueueOccupancy"/>), so an idle queue costs no
/// exponential per sweep; after a change it is read from the line as usual. The two agree to rounding.
/// </summary>
public struct AverageTracker
{
    private long _lastChange;
    private long _at;
    private double _average;

    /// <summary>The average as of <paramref name="now"/> (timestamps of the queue's clock; constants per tick of it).</summary>
    public double Read(ref QueueState queue, long now, double constantsPerTick)
    {
        long changed = Volatile.Read(ref queue.LastChange);
        if (changed == _lastChange && _at != 0 && now >= _at)
        {
            _average = QueueOccupancy.Toward(_average, Volatile.Read(ref queue.Depth), QueueOccupancy.Weight((now - _at) * constantsPerTick));
        }
        else
        {
            _average = QueueOccupancy.AverageAt(ref queue, now, constantsPerTick);
            _lastChange = changed;
        }

        _at = now;
        return _average;
    }
}
