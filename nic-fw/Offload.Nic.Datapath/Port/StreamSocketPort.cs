using System.Buffers.Binary;
using System.Net.Sockets;

namespace Offload.Nic.Datapath.Port;

/// <summary>
/// QEMU <c>-netdev stream</c> (and the older <c>-netdev socket,connect=/listen=</c>) framing over a TCP or
/// Unix stream: every frame is preceded by its length as a 4-byte big-endian integer. Non-blocking: partial
/// frames stay in the receive buffer until complete; output that the socket cannot take yet stays in a
/// bounded transmit buffer. A length of 0 or above the maximum frame size is a protocol error: the
/// connection is closed (the stream cannot be resynchronised) and <see cref="IsBroken"/> becomes true.
/// </summary>
internal sealed class StreamSocketPort : IPort, IPollablePort
{
    private const int PrefixSize = 4;
    private readonly Socket _socket;
    private readonly int _descriptor;
    private readonly int _maxFrameSize;
    private readonly byte[] _rx;
    private readonly byte[] _tx;
    private int _rxStart;
    private int _rxEnd;
    private int _txStart;
    private int _txEnd;

    public StreamSocketPort(Socket socket, string name, int maxFrameSize)
    {
        _socket = socket;
        _descriptor = (int)socket.Handle;
        _socket.Blocking = false;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            _socket.NoDelay = true;
        }

        Name = name;
        _maxFrameSize = maxFrameSize;
        _rx = new byte[Math.Max(256 * 1024, 4 * (maxFrameSize + PrefixSize))];
        _tx = new byte[Math.Max(256 * 1024, 4 * (maxFrameSize + PrefixSize))];
    }

    public string Name { get; }

    public int ReadinessDescriptor => IsBroken ? -1 : _descriptor;

    public bool IsBroken { get; private set; }

    public long ProtocolErrors { get; private set; }

    public int ReceiveBurst(FrameBatch batch)
    {
        if (IsBroken)
        {
            return 0;
        }

        Fill();
        var n = 0;
        while (batch.Free > 0 && _rxEnd - _rxStart >= PrefixSize)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(_rx.AsSpan(_rxStart));
            if (length == 0 || length > _maxFrameSize || length > batch.MaxFrameSize)
            {
                ProtocolErrors++;
                Break();
                break;
            }

            if (_rxEnd - _rxStart < PrefixSize + length)
            {
                break;
            }

            _rx.AsSpan(_rxStart + PrefixSize, length).CopyTo(batch.NextSlot());
            batch.Commit(length);
            _rxStart += PrefixSize + length;
            n++;
        }

        return n;
    }

    public int TransmitBurst(FrameBatch batch)
    {
        if (IsBroken)
        {
            return 0;
        }

        Drain();
        var accepted = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var frame = batch.Frame(i);
            if (_tx.Length - _txEnd < PrefixSize + frame.Length)
            {
                Compact(_tx, ref _txStart, ref _txEnd);
                if (_tx.Length - _txEnd < PrefixSize + frame.Length)
                {
                    break;
                }
            }

            BinaryPrimitives.WriteUInt32BigEndian(_tx.AsSpan(_txEnd), (uint)frame.Length);
            frame.CopyTo(_tx.AsSpan(_txEnd + PrefixSize));
            _txEnd += PrefixSize + frame.Length;
            accepted++;
        }

        Drain();
        return accepted;
    }

    private void Fill()
    {
        if (_rxStart == _rxEnd)
        {
            _rxStart = _rxEnd = 0;
        }
        else if (_rx.Length - _rxEnd < _maxFrameSize + PrefixSize)
        {
            Compact(_rx, ref _rxStart, ref _rxEnd);
        }

        while (_rxEnd < _rx.Length)
        {
            var got = _socket.Receive(_rx.AsSpan(_rxEnd), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success || got == 0)
            {
                IsBroken = _rxStart == _rxEnd; // peer closed; keep serving frames already buffered
                return;
            }

            _rxEnd += got;
        }
    }

    private void Drain()
    {
        while (_txStart < _txEnd)
        {
            var sent = _socket.Send(_tx.AsSpan(_txStart, _txEnd - _txStart), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Break();
                return;
            }

            _txStart += sent;
        }

        _txStart = _txEnd = 0;
    }

    private static void Compact(byte[] buffer, ref int start, ref int end)
    {
        buffer.AsSpan(start, end - start).CopyTo(buffer);
        end -= start;
        start = 0;
    }

    private void Break()
    {
        IsBroken = true;
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();
}
