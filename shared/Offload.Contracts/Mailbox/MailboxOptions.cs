using System.Globalization;
using Offload.Contracts.Threading;

namespace Offload.Contracts.Mailbox;

/// <summary>Mailbox settings shared by both ends (configuration section <c>Mailbox</c>).</summary>
public sealed class MailboxOptions
{
    public const string SectionName = "Mailbox";

    /// <summary>Device end: where the NIC listens.</summary>
    public string Endpoint { get; set; } = "tcp://127.0.0.1:7420";

    /// <summary>Host end: the NICs to connect to.</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>How often each end sends a heartbeat. A peer silent for 2.5 periods is declared lost.</summary>
    public TimeSpan HeartbeatPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on one frame's length field, in bytes.</summary>
    public int MaxFrameSize { get; set; } = FrameFormat.DefaultMaxFrameSize;

    /// <summary>How long a new connection may take to finish Hello/HelloAck.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First reconnect delay (host end); doubles up to <see cref="ReconnectMaxDelay"/>, with ±20% jitter.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lowest protocol version this end speaks.</summary>
    public ushort MinProtocolVersion { get; set; } = ProtocolVersions.Min;

    /// <summary>Highest protocol version this end speaks.</summary>
    public ushort MaxProtocolVersion { get; set; } = ProtocolVersions.Max;

    /// <summary>Scheduling of each session's receive thread, which runs the handlers (the control loop's path in both
    /// directions). RealTime by default, falling back (logged once) when the process may not raise priorities.</summary>
    public ControlThreadPriority ReceiveThreadPriority { get; set; } = ControlThreadPriority.RealTime;

    /// <summary>The receive thread waits for data in poll(2) on its own thread (Linux) instead of behind the runtime's
    /// socket engine thread: one wake-up less per message. On by default; off only to compare.</summary>
    public bool ReceiveInKernelPoll { get; set; } = true;

    /// <summary>
    /// Bytes in each direction's ring of a <c>shm://</c> mailbox (device end; the host takes the size the device
    /// offers): a power of two from <see cref="SharedMemoryLayout.MinRingSize"/> (4 KiB) to
    /// <see cref="SharedMemoryLayout.MaxRingSize"/> (256 MiB). A frame may be larger than the ring.
    /// </summary>
    public int SharedMemoryRingSize { get; set; } = SharedMemoryLayout.DefaultRingSize;

    /// <summary>Returns one line per invalid setting, naming the key and the bad value; empty when valid.</summary>
    public IReadOnlyList<string> Validate(bool deviceEnd)
    {
        var errors = new List<string>();
        if (deviceEnd)
        {
            if (!MailboxEndpoint.TryParse(Endpoint, out _, out string why))
            {
                errors.Add($"{SectionName}:Endpoint = '{Endpoint}' {why}");
            }
        }
        else
        {
            for (int i = 0; i < Endpoints.Count; i++)
            {
                if (!MailboxEndpoint.TryParse(Endpoints[i], out _, out string why))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:Endpoints:{i} = '{Endpoints[i]}' {why}"));
                }
            }
        }

        Check(errors, "HeartbeatPeriod", HeartbeatPeriod, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        Check(errors, "HandshakeTimeout", HandshakeTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        Check(errors, "ReconnectInitialDelay", ReconnectInitialDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
        Check(errors, "ReconnectMaxDelay", ReconnectMaxDelay, ReconnectInitialDelay, TimeSpan.FromHours(1));
        if (MaxFrameSize < 1024 || MaxFrameSize > FrameFormat.MaxConfigurableFrameSize)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxFrameSize = '{MaxFrameSize}' must be from 1024 to {FrameFormat.MaxConfigurableFrameSize} bytes"));
        }

        if (!SharedMemoryLayout.IsValidRingSize(SharedMemoryRingSize))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:SharedMemoryRingSize = '{SharedMemoryRingSize}' must be a power of two from {SharedMemoryLayout.MinRingSize} to {SharedMemoryLayout.MaxRingSize} bytes"));
        }

        if (MinProtocolVersion == 0 || MinProtocolVersion > MaxProtocolVersion)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MinProtocolVersion = '{MinProtocolVersion}' must be at least 1 and at most MaxProtocolVersion ({MaxProtocolVersion})"));
        }

        return errors;
    }

    private static void Check(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{key} = '{value}' must be from {min} to {max}"));
        }
    }
}
