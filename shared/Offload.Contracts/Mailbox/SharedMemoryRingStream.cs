using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// A mailbox link over a shared-memory mapping: writes go into this end's outbound ring, reads come from its inbound
/// ring, and the rendezvous socket carries only doorbells, one byte each, sent only when the peer has announced it is
/// asleep. A busy stream makes no system calls.
/// </summary>
/// <remarks>
/// Threading: one reader and one writer at a time (the session serializes sends and reads on one thread), which is
/// what makes each ring single-producer single-consumer. A dedicated thread reads doorbells from the socket and
/// releases the waiting reader ('D') or writer ('S'); at end of file it marks the peer closed and releases both.
/// <see cref="Stream.Dispose()"/> may be called from any thread: it shuts the socket down (the peer reads end of
/// file), wakes a blocked read or write (which then throws <see cref="ObjectDisposedException"/>), and unmaps the
/// memory once no call is copying through it. A cancelled write may have written part of its bytes.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed partial class SharedMemoryRingStream : Stream
{

    private readonly Socket _socket;
    private readonly SharedMemoryMapping _mapping;
    private readonly SharedMemoryRing _outbound;
    private readonly SharedMemoryRing _inbound;
    private readonly SemaphoreSlim _dataRung = new(0);
    private readonly SemaphoreSlim _spaceRung = new(0);
    private int _peerClosed;
    private int _disposed;
    private long _doorbellsRung;

    /// <param name="deviceEnd">The device writes ring 0 and reads ring 1; the host the other way round.</param>
    public SharedMemoryRingStream(Socket socket, SharedMemoryMapping mapping, bool deviceEnd)
    {
        _socket = socket;
        _mapping = mapping;
        _outbound = mapping.Ring(deviceEnd ? SharedMemoryLayout.DeviceToHost : SharedMemoryLayout.HostToDevice, producer: true);
        _inbound = mapping.Ring(deviceEnd ? SharedMemoryLayout.HostToDevice : SharedMemoryLayout.DeviceToHost, producer: false);
        var doorbells = new Thread(ReadDoorbells) { IsBackground = true, Name = "mailbox-doorbell" };
        doorbells.Start();
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Rounds of polling before parking: first <see cref="SpinRounds"/> spins (a peer running on another core usually
    /// answers within microseconds; round n spins 2^n iterations), then <see cref="YieldRounds"/> yields of the core (on
    /// a small machine the peer may need this one), then sleep until a doorbell. Tests set both to 0 to park every time.
    /// On two cores or fewer there is no spinning: the peer, the session's other threads and the doorbell threads share
    /// the cores, and spinning only delayed them (MailboxTransportBenchmarks at 32 KB frames on 2 cores: 23.5 ± 0.5 µs
    /// per frame without spinning, 28-67 µs per iteration with it).
    /// </summary>
    internal int SpinRounds { get; set; } = Environment.ProcessorCount > 2 ? 6 : 0;

    internal int YieldRounds { get; set; } = 2;

    /// <summary>Doorbells this end has sent: one per wake-up of a sleeping peer; none while both ends are busy.</summary>
    internal long DoorbellsRung => Interlocked.Read(ref _doorbellsRung);

    /// <summary>Whether the peer has closed its end (its socket reached end of file).</summary>
    internal bool PeerClosed => Volatile.Read(ref _peerClosed) != 0;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        AddUser();
        try
        {
            int spins = 0;
            while (true)
            {
                int read = TryRead(buffer, out bool ended);
                if (read > 0 || ended)
                {
                    return read;
                }

                if (Poll(ref spins))
                {
                    continue;
                }

                if (PrepareReaderSleep())
                {
                    _dataRung.Wait();
                }

                spins = 0;
            }
        }
        finally
        {
            _mapping.RemoveUser();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (buffer.IsEmpty)
        {
            return new ValueTask<int>(0);
        }

        AddUser();
        bool handedOff = false;
        try
        {
            int read = TryRead(buffer.Span, out bool ended);
            if (read > 0 || ended)
            {
                return new ValueTask<int>(read);
            }

            handedOff = true;
            return ReadSlowAsync(buffer, cancellationToken);
        }
        finally
        {
            if (!handedOff)
            {
                _mapping.RemoveUser();
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        AddUser();
        try
        {
            int spins = 0;
            while (!buffer.IsEmpty)
            {
                int written = TryWrite(buffer);
                if (written > 0)
                {
                    buffer = buffer[written..];
                    spins = 0;
                    continue;
                }

                if (Poll(ref spins))
                {
                    continue;
                }

                if (PrepareWriterSleep())
                {
                    _spaceRung.Wait();
                }

                spins = 0;
            }
        }
        finally
        {
            _mapping.RemoveUser();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>Completes synchronously whenever the ring has room for all of <paramref name="buffer"/>, or gets it
    /// within a brief poll; otherwise waits asynchronously for the space doorbell.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        AddUser();
        bool handedOff = false;
        try
        {
            int written = 0;
            int rounds = 0;
            while (written < buffer.Length)
            {
                int n = TryWrite(buffer.Span[written..]);
                if (n > 0)
                {
                    written += n;
                    rounds = 0;
                    continue;
                }

                // Full: poll briefly here (the reader is usually draining right now) before going asynchronous, which
                // costs a thread-pool hop to resume after the space doorbell.
                if (!Poll(ref rounds))
                {
                    handedOff = true;
                    return WriteSlowAsync(buffer[written..], cancellationToken);
                }
            }

            return ValueTask.CompletedTask;
        }
        finally
        {
            if (!handedOff)
            {
                _mapping.RemoveUser();
            }
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            base.Dispose(disposing);
            return;
        }

        if (disposing)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // the peer is already gone
            }

            _socket.Dispose();
            _dataRung.Release();
            _spaceRung.Release();
            _mapping.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Copies out what is there; <paramref name="ended"/> when nothing is and the peer has closed. Throws once disposed.</summary>
    private int TryRead(Span<byte> buffer, out bool ended)
    {
        ended = false;
        if (buffer.IsEmpty)
        {
            return 0;
        }

        // Read the closed flag before the ring: bytes the peer wrote before closing are seen before its end of file.
        bool closed = PeerClosed;
        int read = _inbound.TryRead(buffer);
        if (read > 0)
        {
            if (_inbound.TakeWriterSleeping())
            {
                Ring(SharedMemoryLayout.SpaceDoorbell);
            }

            return read;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ended = closed;
        return 0;
    }

    private int TryWrite(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (PeerClosed)
        {
            throw new IOException("The shared-memory mailbox peer has closed its end.");
        }

        int written = _outbound.TryWrite(buffer);
        if (written > 0 && _outbound.TakeReaderSleeping())
        {
            Ring(SharedMemoryLayout.DataDoorbell);
        }

        return written;
    }

    private async ValueTask<int> ReadSlowAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (PrepareReaderSleep())
                {
                    try
                    {
                        await _dataRung.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        _inbound.WithdrawReaderSleeping();
                        throw;
                    }
                }

                int read = TryRead(buffer.Span, out bool ended);
                if (read > 0 || ended)
                {
                    return read;
                }
            }
        }
        finally
        {
            _mapping.RemoveUser();
        }
    }

    private async ValueTask WriteSlowAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                int written = TryWrite(buffer.Span);
                if (written > 0)
                {
                    buffer = buffer[written..];
                    continue;
                }

                if (PrepareWriterSleep())
                {
                    try
                    {
                        await _spaceRung.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        _outbound.WithdrawWriterSleeping();
                        throw;
                    }
                }
            }
        }
        finally
        {
            _mapping.RemoveUser();
        }
    }

    private void AddUser()
    {
        ObjectDisposedException.ThrowIf(!_mapping.TryAddUser(), this);
    }
}
