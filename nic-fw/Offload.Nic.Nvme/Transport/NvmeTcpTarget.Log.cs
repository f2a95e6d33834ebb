using System.Net;
using Microsoft.Extensions.Logging;

namespace Offload.Nic.Nvme;

public sealed partial class NvmeTcpTarget
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Queue pair failed unexpectedly")]
    private partial void LogUnexpected(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "NVMe/TCP target listening on {EndPoint}")]
    private partial void LogListening(IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keep-alive expired: controller {Cntlid} of {Subnqn} (host {HostNqn}) set CSTS.CFS and torn down")]
    private partial void LogKeepAliveExpired(ushort cntlid, string subnqn, string hostNqn);
}
