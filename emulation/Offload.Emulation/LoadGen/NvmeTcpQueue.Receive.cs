using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Offload.Emulation.LoadGen;

internal sealed partial class NvmeTcpQueue
{
    /// <summary>The receive loop, on its own thread: blocking receives, completions run their workers inline.</summary>
    private void ReceiveLoop()
    {
        var header = _receiveHeader;
        try
        {
            while (true)
            {
                ReadExact(header.AsMemory(0, 8));
                var type = header[0];
                var flags = header[1];
                var hlen = header[2];
                var pdo = header[3];
                var plen = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
                if (hlen < 8 || hlen > header.Length || plen < hlen)
                {
                    throw new InvalidDataException($"Malformed PDU from target: type 0x{type:X2} hlen {hlen} plen {plen}.");
                }

                ReadExact(header.AsMemory(8, hlen - 8));
                long remaining = plen - hlen;
                var hd = (flags & FlagHeaderDigest) != 0 ? 4 : 0;
                if (hd != 0)
                {
                    if (remaining < 4)
                    {
                        throw new InvalidDataException($"PDU type 0x{type:X2} sets HDGSTF but plen {plen} leaves no room for it.");
                    }

                    ReadExact(_digest.AsMemory());
                    remaining -= 4;
                    if (BinaryPrimitives.ReadUInt32LittleEndian(_digest) != Crc32C.Compute(header.AsSpan(0, hlen)))
                    {
                        throw new InvalidDataException($"Header digest mismatch on PDU type 0x{type:X2} from the target.");
                    }
                }
                switch (type)
                {
                    case PduCapsuleResp:
                        {
                            var dw0 = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
                            var cid = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(20));
                            var status = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(22)) >> 1);
                            SlotFor(cid).Complete(dw0, status);
                            break;
                        }

                    case PduC2HData:
                        {
                            var cid = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
                            var offset = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
                            var length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
                            var slot = SlotFor(cid);
                            var pad = pdo > hlen + hd ? pdo - hlen - hd : 0;
                            if ((ulong)offset + length > (ulong)slot.DataLength || pad + length > remaining)
                            {
                                throw new InvalidDataException($"C2HData for CID {cid} at {offset}+{length} exceeds the command's {slot.DataLength} bytes.");
                            }

                            Skip(pad);
                            ReadExact(slot.Data.AsMemory((int)offset, (int)length));
                            remaining -= pad + length;
                            if ((flags & FlagDataDigest) != 0)
                            {
                                if (remaining < 4)
                                {
                                    throw new InvalidDataException($"C2HData for CID {cid} sets DDGSTF but plen {plen} leaves no room for it.");
                                }

                                ReadExact(_digest.AsMemory());
                                remaining -= 4;
                                if (BinaryPrimitives.ReadUInt32LittleEndian(_digest) != Crc32C.Compute(slot.Data.AsSpan((int)offset, (int)length)))
                                {
                                    throw new InvalidDataException($"Data digest mismatch on C2HData for CID {cid}.");
                                }
                            }
                            if ((flags & FlagSuccess) != 0)
                            {
                                slot.Complete(0, 0);
                            }

                            break;
                        }

                    case PduR2T:
                        {
                            var cid = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
                            var tag = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
                            var offset = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
                            var length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
                            SendH2CData(SlotFor(cid), cid, tag, offset, length);
                            break;
                        }

                    case PduC2HTermReq:
                        throw new IOException($"Target sent C2HTermReq (FES 0x{BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8)):X4}).");
                }

                Skip(remaining);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidDataException or EndOfStreamException)
        {
            _failure = ex;
            foreach (var slot in _slots)
            {
                slot.Fail(ex);
            }
        }
    }

    private const int DirectReceiveSize = 16 * 1024;
    private readonly byte[] _digest = new byte[4];
    private readonly byte[] _rx = new byte[64 * 1024];
    private int _rxStart;
    private int _rxEnd;

    private Slot SlotFor(ushort cid) =>
        cid < _slots.Length ? _slots[cid] : throw new InvalidDataException($"Target answered unknown CID {cid}.");

    private void SendH2CData(Slot slot, ushort cid, ushort tag, uint offset, uint length)
    {
        if (!slot.HostToController || (ulong)offset + length > (ulong)slot.DataLength)
        {
            throw new InvalidDataException($"R2T for CID {cid} asks {offset}+{length}, outside the command's data.");
        }

        {
            var chunk = Math.Max(4096, MaxH2CDataSize);
            var end = offset + length;
            for (var position = offset; position < end;)
            {
                var size = (uint)Math.Min(chunk, end - position);
                var header = _dataHeader;
                var hd = HeaderDigest ? 4 : 0;
                var dd = DataDigest ? 4 : 0;
                header.AsSpan().Clear();
                header[0] = PduH2CData;
                header[1] = (byte)((position + size == end ? FlagLast : 0) | (hd != 0 ? FlagHeaderDigest : 0) | (dd != 0 ? FlagDataDigest : 0));
                header[2] = DataHeaderSize;
                header[3] = (byte)(DataHeaderSize + hd);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(DataHeaderSize + hd + size + dd));
                BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), cid);
                BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), tag);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), position);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), size);
                if (hd != 0)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(DataHeaderSize), Crc32C.Compute(header.AsSpan(0, DataHeaderSize)));
                }

                if (dd != 0)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(_h2cDigest, Crc32C.Compute(slot.Data.AsSpan((int)position, (int)size)));
                }

                _sender.Send(header.AsSpan(0, DataHeaderSize + hd), slot.Data.AsSpan((int)position, (int)size), _h2cDigest.AsSpan(0, dd));

                position += size;
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> from the receive buffer, reading the socket in large chunks
    /// (many PDUs per <c>recv</c> at high queue depth); a large remainder is received straight into the destination.</summary>
    private void ReadExact(Memory<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var buffered = _rxEnd - _rxStart;
            if (buffered > 0)
            {
                var take = Math.Min(buffered, destination.Length);
                _rx.AsSpan(_rxStart, take).CopyTo(destination.Span);
                _rxStart += take;
                destination = destination[take..];
                continue;
            }

            _rxStart = _rxEnd = 0;
            _sender.Uncork();
            var read = destination.Length >= DirectReceiveSize
                ? _socket.Receive(destination.Span, SocketFlags.None)
                : _socket.Receive(_rx, SocketFlags.None);
            _sender.Cork();
            if (read == 0)
            {
                throw new EndOfStreamException("The NVMe/TCP target closed the connection.");
            }

            if (destination.Length >= DirectReceiveSize)
            {
                destination = destination[read..];
            }
            else
            {
                _rxEnd = read;
            }
        }
    }

    private void Skip(long count)
    {
        while (count > 0)
        {
            if (_rxEnd == _rxStart)
            {
                _rxStart = _rxEnd = 0;
                _sender.Uncork();
                var read = _socket.Receive(_rx, SocketFlags.None);
                _sender.Cork();
                if (read == 0)
                {
                    throw new EndOfStreamException("The NVMe/TCP target closed the connection.");
                }

                _rxEnd = read;
            }

            var take = (int)Math.Min(count, _rxEnd - _rxStart);
            _rxStart += take;
            count -= take;
        }
    }

    /// <summary>Per-CID command state: the SQE, the data buffer and a reusable completion (one command at a time).</summary>
    private sealed class Slot(int maxTransferSize) : IValueTaskSource<(uint Dw0, ushort Status)>
    {
        // Completions run the waiting I/O worker inline on the receive loop (no thread-pool hop per I/O); the commands
        // it issues collect in the corked sender and leave in one send before the next receive.
        private ManualResetValueTaskSourceCore<(uint Dw0, ushort Status)> _core = new() { RunContinuationsAsynchronously = false };
        private int _armed;

        public byte[] Sqe { get; } = new byte[64];

        /// <summary>CapsuleCmd header (+ header digest) being built for this slot's command.</summary>
        public byte[] Header { get; } = new byte[CapsuleHeaderSize + 4];

        /// <summary>Data digest of this slot's in-capsule data.</summary>
        public byte[] Digest { get; } = new byte[4];

        public byte[] Data { get; } = new byte[maxTransferSize];

        public int DataLength { get; private set; }

        public bool HostToController { get; private set; }

        public ValueTask<(uint Dw0, ushort Status)> Begin(int dataLength, bool hostToController)
        {
            if (dataLength > Data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(dataLength), $"Transfer of {dataLength} bytes exceeds the slot's {Data.Length}.");
            }

            DataLength = dataLength;
            HostToController = hostToController;
            _core.Reset();
            Volatile.Write(ref _armed, 1);
            return new ValueTask<(uint Dw0, ushort Status)>(this, _core.Version);
        }

        public void Complete(uint dw0, ushort status)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _core.SetResult((dw0, status));
            }
        }

        public void Fail(Exception ex)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _core.SetException(ex);
            }
        }

        (uint Dw0, ushort Status) IValueTaskSource<(uint Dw0, ushort Status)>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<(uint Dw0, ushort Status)>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<(uint Dw0, ushort Status)>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
