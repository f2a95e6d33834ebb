using Offload.Contracts.Mailbox;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>Endpoint text: parse, print, and the errors that name what is wrong.</summary>
public sealed class MailboxEndpointTests
{
    [Theory]
    [InlineData("shm:///run/offload/nic0.sock", MailboxTransportKind.SharedMemory, "/run/offload/nic0.sock")]
    [InlineData("SHM:///tmp/x", MailboxTransportKind.SharedMemory, "/tmp/x")]
    [InlineData("unix:///run/offload/nic0.sock", MailboxTransportKind.Unix, "/run/offload/nic0.sock")]
    [InlineData("/run/offload/nic0.sock", MailboxTransportKind.Unix, "/run/offload/nic0.sock")]
    public void Parse_PathEndpoints_KindPathAndRoundTrip(string text, MailboxTransportKind kind, string path)
    {
        var endpoint = MailboxEndpoint.Parse(text);
        Assert.Equal(kind, endpoint.Kind);
        Assert.Equal(path, endpoint.Path);
        Assert.Equal(endpoint, MailboxEndpoint.Parse(endpoint.ToString()));
    }

    [Fact]
    public void SharedMemory_AbsolutePath_PrintsShmUrlAndRendezvousSocket()
    {
        var endpoint = MailboxEndpoint.SharedMemory("/run/offload/nic0.sock");
        Assert.Equal("shm:///run/offload/nic0.sock", endpoint.ToString());
        var socket = Assert.IsType<System.Net.Sockets.UnixDomainSocketEndPoint>(endpoint.ToEndPoint());
        Assert.Equal("/run/offload/nic0.sock", socket.ToString());
    }

    [Fact]
    public void Parse_TcpStillParses_RoundTrips()
    {
        var endpoint = MailboxEndpoint.Parse("tcp://127.0.0.1:7420");
        Assert.Equal(MailboxTransportKind.Tcp, endpoint.Kind);
        Assert.Equal("tcp://127.0.0.1:7420", endpoint.ToString());
    }

    [Fact]
    public void TryParse_ShmRelativePath_ErrorSaysAbsolute()
    {
        Assert.False(MailboxEndpoint.TryParse("shm://run/nic0.sock", out _, out string error));
        Assert.Contains("'run/nic0.sock' must be absolute", error, StringComparison.Ordinal);
        Assert.Contains("shared-memory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ShmPathLongerThanSunPath_ErrorNamesTheLimit()
    {
        string path = "/" + new string('a', MailboxEndpoint.MaxSocketPathSize);
        Assert.False(MailboxEndpoint.TryParse("shm://" + path, out _, out string error));
        Assert.Contains("107 bytes", error, StringComparison.Ordinal);
        Assert.True(MailboxEndpoint.TryParse("shm://" + path[..MailboxEndpoint.MaxSocketPathSize], out var longest, out _));
        Assert.Equal(MailboxEndpoint.MaxSocketPathSize, longest.Path.Length);
    }

    [Fact]
    public void SharedMemory_RelativePath_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => MailboxEndpoint.SharedMemory("nic0.sock"));
        Assert.Contains("must be absolute", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Empty_ErrorListsShm()
    {
        Assert.False(MailboxEndpoint.TryParse(" ", out _, out string error));
        Assert.Contains("shm:///PATH", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    [InlineData(5000)]
    [InlineData(512 * 1024 * 1024)]
    public void Options_BadSharedMemoryRingSize_ErrorNamesKeyAndValue(int size)
    {
        var options = new MailboxOptions { SharedMemoryRingSize = size };
        var errors = options.Validate(deviceEnd: true);
        Assert.Contains(errors, e => e.StartsWith($"Mailbox:SharedMemoryRingSize = '{size}' must be a power of two", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_SharedMemoryEndpointAndRingSize_Valid()
    {
        var options = new MailboxOptions { Endpoint = "shm:///run/offload/nic0.sock", SharedMemoryRingSize = 256 * 1024 };
        Assert.Empty(options.Validate(deviceEnd: true));
    }
}
