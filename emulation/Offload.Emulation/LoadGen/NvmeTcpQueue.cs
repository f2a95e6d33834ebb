using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Net;
using System.Net.Sockets;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// One NVMe/TCP queue pair seen from the host (NVMe/TCP Transport 1.0 §3.3–3.6): ICReq/ICResp, CapsuleCmd with
/// in-capsule data or a transport SGL, R2T answered with H2CData, C2HData (with or without SUCCESS) and CapsuleResp.
/// Commands are identified by CID = slot index; a receive loop completes them through a reusable per-slot value-task
/// source. Sends are synchronous under one lock (a capsule is at most 72 bytes + in-capsule data), so the per-I/O
/// path allocates nothing.
/// </summary>
internal sealed partial class NvmeTcpQueue : IAsyncDisposable
{
    private const int HandshakeTimeoutMilliseconds = 10_000;
    private const byte PduIcReq = 0x00;
    private const byte PduIcResp = 0x01;
    private const byte PduC2HTermReq = 0x03;
    private const byte PduCapsuleCmd = 0x04;
    private const byte PduCapsuleResp = 0x05;
    private const byte PduH2CData = 0x06;
    private const byte PduC2HData = 0x07;
    private const byte PduR2T = 0x09;
    private const byte FlagHeaderDigest = 0x01;
    private const byte FlagDataDigest = 0x02;
    private const byte FlagLast = 0x04;
    private const byte FlagSuccess = 0x08;
    private const int CapsuleHeaderSize = 72;
    private const int DataHeaderSize = 24;

    private readonly Socket _socket;
    private SendCombiner _sender = null!;
    private readonly Slot[] _slots;
    private readonly byte[] _receiveHeader = new byte[128];
    private readonly byte[] _dataHeader = new byte[DataHeaderSize + 4];
    private readonly byte[] _h2cDigest = new byte[4];
    private Task? _receiveLoop;
    private Exception? _failure;

    /// <summary>This end of the queue's TCP connection.</summary>
    internal IPEndPoint? LocalEndPoint => _socket.LocalEndPoint as IPEndPoint;

    /// <summary>The target's end of the queue's TCP connection.</summary>
    internal IPEndPoint? RemoteEndPoint => _socket.RemoteEndPoint as IPEndPoint;

    private NvmeTcpQueue(Socket socket, int slots, int maxTransferSize)
    {
        _socket = socket;
        _slots = new Slot[slots];
        for (var i = 0; i < slots; i++)
        {
            _slots[i] = new Slot(maxTransferSize);
        }
    }

    /// <summary>MAXH2CDATA from ICResp.</summary>
    public int MaxH2CDataSize { get; private set; }

    /// <summary>Header digests were negotiated in ICReq/ICResp.</summary>
    public bool HeaderDigest { get; private set; }

    /// <summary>Data digests were negotiated in ICReq/ICResp.</summary>
    public bool DataDigest { get; private set; }

    /// <summary>Number of command slots (CIDs 0..SlotCount-1).</summary>
    public int SlotCount => _slots.Length;

    /// <summary>In-capsule data allowed on this queue (0 = always use R2T).</summary>
    public int InCapsuleDataSize { get; set; }

    /// <summary>Connects, exchanges ICReq/ICResp and starts the receive loop on its own thread.</summary>
    /// <remarks>The socket is only ever used synchronously (blocking connect, send and receive), so it never joins the
    /// runtime's socket engine: a receive blocks in the kernel on the loop's own thread and the target's data wakes that
    /// thread directly, instead of the engine's epoll thread handing each readiness event to a thread-pool worker (two
    /// context switches per receive that does not complete at once; the generator's main cost at 128 KiB).</remarks>
    public static Task<NvmeTcpQueue> OpenAsync(IPEndPoint target, int slots, int maxTransferSize, bool digests, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.ReceiveTimeout = HandshakeTimeoutMilliseconds;
            socket.Connect(target);
            var queue = new NvmeTcpQueue(socket, slots, maxTransferSize);
            var icReq = new byte[128];
            icReq[0] = PduIcReq;
            icReq[2] = 128;
            BinaryPrimitives.WriteUInt32LittleEndian(icReq.AsSpan(4), 128);
            icReq[11] = digests ? (byte)0x03 : (byte)0; // HDGST_ENABLE | DDGST_ENABLE
            socket.Send(icReq);
            var icResp = new byte[128];
            ReceiveExactly(socket, icResp);
            socket.ReceiveTimeout = 0;
            if (icResp[0] != PduIcResp || BinaryPrimitives.ReadUInt32LittleEndian(icResp.AsSpan(4)) != 128)
            {
                throw new InvalidDataException($"Target at {target} did not answer ICReq with a 128-byte ICResp (type 0x{icResp[0]:X2}).");
            }

            queue.HeaderDigest = (icResp[11] & 0x01) != 0;
            queue.DataDigest = (icResp[11] & 0x02) != 0;
            queue.MaxH2CDataSize = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(icResp.AsSpan(12)));
            queue._sender = new SendCombiner(socket, Math.Max(256 * 1024, 2 * (DataHeaderSize + 8 + Math.Max(4096, queue.MaxH2CDataSize))));
            queue._receiveLoop = Task.Factory.StartNew(queue.ReceiveLoop, CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return Task.FromResult(queue);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The data buffer of command slot <paramref name="cid"/> (write source / read destination).</summary>
    public Memory<byte> Buffer(int cid) => _slots[cid].Data;

    /// <summary>
    /// Sends the 64-byte SQE <paramref name="sqe"/> (CID set to <paramref name="cid"/>) moving
    /// <paramref name="dataLength"/> bytes of the slot buffer; completes with the CQE's DW0 and status. Allocation-free
    /// unless <paramref name="cancellationToken"/> can be cancelled (admin commands with a timeout).
    /// </summary>
    public ValueTask<(uint Dw0, ushort Status)> ExecuteAsync(int cid, ReadOnlyMemory<byte> sqe, int dataLength, bool hostToController, CancellationToken cancellationToken)
    {
        var slot = _slots[cid];
        if (_failure is not null)
        {
            throw new IOException("NVMe/TCP queue failed.", _failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var completion = slot.Begin(dataLength, hostToController);
        var inCapsule = hostToController && dataLength > 0 && dataLength <= InCapsuleDataSize;
        sqe.Span.CopyTo(slot.Sqe);
        BinaryPrimitives.WriteUInt16LittleEndian(slot.Sqe.AsSpan(2), (ushort)cid);
        slot.Sqe[1] = 0x40; // PSDT = SGL
        var sgl = slot.Sqe.AsSpan(24, 16);
        sgl.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(sgl[8..], (uint)dataLength);
        sgl[15] = inCapsule ? (byte)0x01 /* data block, offset */ : (byte)0x5A; // transport SGL data block

        var header = slot.Header;
        var hd = HeaderDigest ? 4 : 0;
        var dd = DataDigest && inCapsule ? 4 : 0;
        header.AsSpan().Clear();
        header[0] = PduCapsuleCmd;
        header[1] = (byte)((HeaderDigest ? FlagHeaderDigest : 0) | (dd != 0 ? FlagDataDigest : 0));
        header[2] = CapsuleHeaderSize;
        header[3] = inCapsule ? (byte)(CapsuleHeaderSize + hd) : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(CapsuleHeaderSize + hd + (inCapsule ? dataLength + dd : 0)));
        slot.Sqe.CopyTo(header, 8);
        if (hd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(CapsuleHeaderSize), Crc32C.Compute(header.AsSpan(0, CapsuleHeaderSize)));
        }

        if (dd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(slot.Digest, Crc32C.Compute(slot.Data.AsSpan(0, dataLength)));
        }

        _sender.Send(header.AsSpan(0, CapsuleHeaderSize + hd), inCapsule ? slot.Data.AsSpan(0, dataLength) : default, slot.Digest.AsSpan(0, dd));

        if (_failure is { } failure)
        {
            // The receive loop died after the check above: it may have failed the slots before this one was armed.
            slot.Fail(failure);
        }

        return cancellationToken.CanBeCanceled ? WaitCancellableAsync(completion, cancellationToken) : completion;
    }

    private static async ValueTask<(uint Dw0, ushort Status)> WaitCancellableAsync(ValueTask<(uint Dw0, ushort Status)> completion, CancellationToken cancellationToken) =>
        await completion.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }

    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static void ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = socket.Receive(buffer, SocketFlags.None);
            if (read == 0)
            {
                throw new EndOfStreamException("The NVMe/TCP target closed the connection.");
            }

            buffer = buffer[read..];
        }
    }
}
