using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Offload.Contracts.Threading;

namespace Offload.Contracts.Tests.Threading;

/// <summary>poll(2) readiness on a real loopback TCP socket (the mailbox receive thread's wait).</summary>
public sealed class ReadinessWaitTests
{
    [Fact]
    public async Task WaitReadable_NoDataThenData_TimesOutThenReturnsReadable()
    {
        if (!ReadinessWait.IsSupported)
        {
            return;
        }

        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        {
            var started = Stopwatch.GetTimestamp();
            Assert.False(ReadinessWait.WaitReadable(server, TimeSpan.FromMilliseconds(50)));
            Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(40)); // it blocked, not spun out

            var waiting = Task.Factory.StartNew(() => ReadinessWait.WaitReadable(server, TimeSpan.FromSeconds(30)), TaskCreationOptions.LongRunning);
            await Task.Delay(20);
            Assert.False(waiting.IsCompleted);
            client.Send([1, 2, 3]);

            Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
            var buffer = new byte[8];
            Assert.Equal(3, server.Receive(buffer)); // data was there: the receive does not wait
        }
    }

    [Fact]
    public async Task WaitReadable_PeerShutsDown_ReturnsSoTheReadSeesTheEnd()
    {
        if (!ReadinessWait.IsSupported)
        {
            return;
        }

        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        {
            var waiting = Task.Factory.StartNew(() => ReadinessWait.WaitReadable(server, TimeSpan.FromSeconds(30)), TaskCreationOptions.LongRunning);
            await Task.Delay(20);
            server.Shutdown(SocketShutdown.Both); // what the session does to stop its receive thread

            Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, server.Receive(new byte[8]));
        }
    }

    private static async Task<(Socket Client, Socket Server)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accepting;
        return (client, server);
    }
}
