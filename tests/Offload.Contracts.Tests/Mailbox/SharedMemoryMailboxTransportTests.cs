using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Offload.Contracts.Mailbox;
using Offload.Testing.Processes;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>The shm:// rendezvous: files on disk, and a host that refuses a bad hello and a device that gives up on a silent host.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedMemoryMailboxTransportTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Connect_LinkUp_RingFileUnlinkedAndSocketRemovedOnListenerDispose()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(64 * 1024);
        Assert.Equal(["mbx.sock"], Directory.GetFiles(pair.Directory.Path).Select(Path.GetFileName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(pair.Endpoint.Path) & ~UnixFileMode.SetGroup);

        await pair.Listener.DisposeAsync();
        Assert.Empty(Directory.GetFiles(pair.Directory.Path));

        // The link outlives the listener and its files: the mappings are all that is left.
        await pair.Device.WriteAsync(new byte[] { 1, 2, 3 });
        byte[] got = new byte[3];
        Assert.Equal(3, await pair.Host.ReadAsync(got).AsTask().WaitAsync(HangGuard));
        Assert.Equal(new byte[] { 1, 2, 3 }, got);
    }

    [Fact]
    public async Task Listen_StaleSocketAndRingFiles_RemovedAndBinds()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mbx.sock");
        await File.WriteAllTextAsync(path, "stale");
        await File.WriteAllTextAsync(path + ".1.1.ring", "stale");
        await File.WriteAllTextAsync(directory.File("other.ring"), "not ours");
        var transport = MailboxTransport.Create(MailboxEndpoint.SharedMemory(path), SharedMemoryPair.Options(4096));
        await using (await transport.ListenAsync(CancellationToken.None))
        {
            Assert.Equal(["mbx.sock", "other.ring"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
        }
    }

    public static TheoryData<string, string> BadHellos => new()
    {
        { "magic", "magic" },
        { "version", "layout version" },
        { "ring-not-power-of-two", "power of two" },
        { "ring-too-large", "power of two" },
        { "file-size", "need" },
        { "path-outside", "refusing to map it" },
        { "path-traversal", "refusing to map it" },
        { "file-truncated", "bytes; the device announced" },
    };

    [Theory]
    [MemberData(nameof(BadHellos))]
    public async Task Connect_BadHello_ThrowsIOExceptionSayingWhy(string flaw, string expected)
    {
        using var directory = new TempDirectory();
        string path = directory.File("mbx.sock");
        const int Ring = 4096;
        long fileSize = 4096 + (2 * Ring);
        string ringPath = path + ".9.9.ring";
        await File.WriteAllBytesAsync(ringPath, new byte[flaw == "file-truncated" ? 4096 : fileSize]);
        string offered = flaw switch
        {
            "path-outside" => "/etc/passwd",
            "path-traversal" => path + ".9/../../x.ring",
            _ => ringPath,
        };
        byte[] pathBytes = Encoding.UTF8.GetBytes(offered);
        byte[] hello = new byte[24 + pathBytes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(hello, flaw == "magic" ? 0x12345678u : 0x4D53464Fu);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(4), (ushort)(flaw == "version" ? 99 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(6), (ushort)pathBytes.Length);
        long ring = flaw switch { "ring-not-power-of-two" => 5000, "ring-too-large" => 1L << 40, _ => Ring };
        BinaryPrimitives.WriteInt64LittleEndian(hello.AsSpan(8), ring);
        BinaryPrimitives.WriteInt64LittleEndian(hello.AsSpan(16), flaw == "file-size" ? fileSize + 1 : fileSize);
        pathBytes.CopyTo(hello.AsSpan(24));

        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var device = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptAsync();
            await accepted.SendAsync(hello);
            byte[] answer = new byte[1];
            try
            {
                return await accepted.ReceiveAsync(answer);
            }
            catch (SocketException)
            {
                return 0; // the host closed with the rest of the hello unread: a reset, not an answer
            }
        });

        var transport = MailboxTransport.Create(MailboxEndpoint.SharedMemory(path), SharedMemoryPair.Options(Ring));
        var ex = await Assert.ThrowsAsync<IOException>(async () => await transport.ConnectAsync(CancellationToken.None));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await device.WaitAsync(HangGuard)); // the host closed without answering
        Assert.True(File.Exists(ringPath), "the host never deletes a file");
    }

    [Fact]
    public async Task Connect_DeviceNeverSendsHello_ThrowsIOExceptionAfterTheHandshakeTimeout()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mbx.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var options = SharedMemoryPair.Options(4096);
        options.HandshakeTimeout = TimeSpan.FromMilliseconds(200);
        var transport = MailboxTransport.Create(MailboxEndpoint.SharedMemory(path), options);

        var ex = await Assert.ThrowsAsync<IOException>(async () => await transport.ConnectAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard));
        Assert.Contains("did not complete the shared-memory hello", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_HostNeverAnswers_ThrowsIOExceptionLeavesNoRingFileAndKeepsListening()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mbx.sock");
        var options = SharedMemoryPair.Options(4096);
        options.HandshakeTimeout = TimeSpan.FromMilliseconds(300);
        var transport = MailboxTransport.Create(MailboxEndpoint.SharedMemory(path), options);
        await using var listener = await transport.ListenAsync(CancellationToken.None);

        using (var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await silent.ConnectAsync(new UnixDomainSocketEndPoint(path));
            var ex = await Assert.ThrowsAsync<IOException>(async () => await listener.AcceptAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard));
            Assert.Contains("did not answer the shared-memory hello", ex.Message, StringComparison.Ordinal);
            Assert.Equal(["mbx.sock"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
        }

        var accepting = listener.AcceptAsync(CancellationToken.None).AsTask();
        var host = await transport.ConnectAsync(CancellationToken.None);
        var device = await accepting.WaitAsync(HangGuard);
        await host.Stream.DisposeAsync();
        await device.Stream.DisposeAsync();
    }

    [Fact]
    public async Task Accept_Cancelled_ThrowsOperationCanceled()
    {
        using var directory = new TempDirectory();
        var transport = MailboxTransport.Create(MailboxEndpoint.SharedMemory(directory.File("mbx.sock")), SharedMemoryPair.Options(4096));
        await using var listener = await transport.ListenAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await listener.AcceptAsync(cts.Token));
    }
}
