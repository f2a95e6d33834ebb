using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Offload.Contracts.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Testing.Mailbox;

/// <summary>
/// A hand-driven mailbox peer over a real socket, for tests that need to misbehave: send bad CRCs, half frames,
/// unknown types, or go silent. It frames with the production <see cref="FrameWriter"/> and parses with
/// <see cref="FrameReader"/>.
/// </summary>
public sealed class RawMailboxPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _receive = new byte[1 << 20];
    private int _received;
    private ulong _sequence;

    private RawMailboxPeer(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawMailboxPeer> ConnectAsync(MailboxEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = endpoint.Kind == MailboxTransportKind.Unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.ToEndPoint());
        return new RawMailboxPeer(socket);
    }

    public static RawMailboxPeer FromAccepted(Socket socket) => new(socket);

    /// <summary>Builds the bytes of one frame.</summary>
    public static byte[] Frame(IMailboxMessage message, ulong sequence, ushort version = 1, MessageType? typeOverride = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new PooledBufferWriter();
        FrameWriter.Write(buffer, new MessageHeader(version, typeOverride ?? message.Type, 0, sequence), message);
        var bytes = buffer.WrittenSpan.ToArray();
        if (typeOverride is not null)
        {
            // re-seal the CRC over the changed header
            uint crc = Crc32C.Compute(bytes.AsSpan(4, bytes.Length - 8));
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(bytes.Length - 4), crc);
        }

        return bytes;
    }

    public Task SendAsync(IMailboxMessage message, MessageType? typeOverride = null) =>
        SendRawAsync(Frame(message, ++_sequence, typeOverride: typeOverride));

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes);

    /// <summary>Reads frames until one of the given type arrives (heartbeats are answered as a live peer would).</summary>
    public async Task<(MessageHeader Header, byte[] Payload)> ReceiveAsync(MessageType type, TimeSpan timeout, bool answerHeartbeats = true)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            while (TryTake(out var header, out var payload))
            {
                if (header.Type == type)
                {
                    return (header, payload);
                }

                if (answerHeartbeats && header.Type == MessageType.Heartbeat)
                {
                    var reader = new MessagePackReader(payload);
                    var beat = Heartbeat.Read(ref reader);
                    if (!beat.IsEcho)
                    {
                        await SendAsync(new Heartbeat { Nonce = beat.Nonce, SentAtTicks = beat.SentAtTicks, IsEcho = true });
                    }
                }
            }

            int n = await _socket.ReceiveAsync(_receive.AsMemory(_received), SocketFlags.None, cts.Token);
            if (n == 0)
            {
                throw new IOException($"peer closed while waiting for {type}");
            }

            _received += n;
        }
    }

    /// <summary>Waits until the other end closes the connection; returns false on timeout.</summary>
    public async Task<bool> WaitClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(_receive.AsMemory(_received % (_receive.Length / 2)), SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool TryTake(out MessageHeader header, out byte[] payload)
    {
        var seq = new ReadOnlySequence<byte>(_receive, 0, _received);
        var status = FrameReader.TryRead(ref seq, FrameFormat.DefaultMaxFrameSize, out header, out var body);
        if (status == FrameStatus.Incomplete)
        {
            payload = [];
            return false;
        }

        if (status != FrameStatus.Complete)
        {
            throw new InvalidDataException($"raw peer received a bad frame: {status}");
        }

        payload = body.ToArray();
        int consumed = _received - (int)seq.Length;
        Buffer.BlockCopy(_receive, consumed, _receive, 0, _received - consumed);
        _received -= consumed;
        return true;
    }
}
