using System.Net.Sockets;

namespace Offload.Contracts.Mailbox;

/// <summary>Polling, sleeping and doorbells: how an end waits for its peer without losing a wake-up.</summary>
internal sealed partial class SharedMemoryRingStream
{
    /// <summary>One round of adaptive polling: false once it is time to park.</summary>
    private bool Poll(ref int rounds)
    {
        rounds++;
        if (rounds <= SpinRounds)
        {
            Thread.SpinWait(1 << rounds);
            return true;
        }

        if (rounds <= SpinRounds + YieldRounds)
        {
            Thread.Yield();
            return true;
        }

        return false;
    }

    /// <summary>Announces the reader is going to sleep; false when a re-check after the fence finds a reason not to.</summary>
    private bool PrepareReaderSleep()
    {
        _inbound.AnnounceReaderSleeping();
        if (_inbound.HasData || PeerClosed || Volatile.Read(ref _disposed) != 0)
        {
            _inbound.WithdrawReaderSleeping();
            return false;
        }

        return true;
    }

    private bool PrepareWriterSleep()
    {
        _outbound.AnnounceWriterSleeping();
        if (_outbound.HasWakeSpace || PeerClosed || Volatile.Read(ref _disposed) != 0)
        {
            _outbound.WithdrawWriterSleeping();
            return false;
        }

        return true;
    }

    /// <summary>Sends one doorbell byte. A failure means the peer is gone; the doorbell thread reports that.</summary>
    private void Ring(byte doorbell)
    {
        try
        {
            Span<byte> bell = stackalloc byte[1];
            bell[0] = doorbell;
            _socket.Send(bell);
            Interlocked.Increment(ref _doorbellsRung);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            MarkPeerClosed();
        }
    }

    private void ReadDoorbells()
    {
        byte[] bells = new byte[64];
        try
        {
            while (true)
            {
                int received = _socket.Receive(bells);
                if (received == 0)
                {
                    break;
                }

                bool data = false;
                bool space = false;
                foreach (byte bell in bells.AsSpan(0, received))
                {
                    data |= bell == SharedMemoryLayout.DataDoorbell;
                    space |= bell == SharedMemoryLayout.SpaceDoorbell;
                }

                // Unknown bytes are ignored: a doorbell only ever prompts a re-check of the rings.
                if (data)
                {
                    _dataRung.Release();
                }

                if (space)
                {
                    _spaceRung.Release();
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // reset, or this end was disposed
        }

        MarkPeerClosed();
    }

    private void MarkPeerClosed()
    {
        if (Interlocked.Exchange(ref _peerClosed, 1) == 0)
        {
            _dataRung.Release();
            _spaceRung.Release();
        }
    }
}
