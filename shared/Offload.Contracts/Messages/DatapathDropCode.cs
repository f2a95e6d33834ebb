namespace Offload.Contracts.Messages;

/// <summary>
/// The datapath's drop reason codes as they travel in <see cref="DatapathStats"/> (the values of nic-fw's
/// <c>DropReason</c>; docs/PROTOCOL.md lists them), and the stable names the management API reports them under.
/// </summary>
public static class DatapathDropCode
{
    /// <summary>Codes 1..<see cref="LastMalformed"/>: the parser refused the frame (truncations, bad lengths, fragments).</summary>
    public const byte LastMalformed = 18;

    public const byte FrameTooLarge = 19;
    public const byte NoRoute = 32;
    public const byte UpcallLimit = 33;
    public const byte FlowLimit = 34;
    public const byte Meter = 35;
    public const byte Budget = 36;
    public const byte QueueFull = 37;
    public const byte UpcallTimeout = 38;
    public const byte NoSuchPort = 39;
    public const byte ActionFailed = 40;

    /// <summary>The management API's name for a code (malformed codes share <c>malformed</c>).</summary>
    public static string Name(byte code) => code switch
    {
        >= 1 and <= LastMalformed => "malformed",
        FrameTooLarge => "frame_too_large",
        NoRoute => "no_route",
        UpcallLimit => "upcall_limit",
        FlowLimit => "flow_limit",
        Meter => "meter",
        Budget => "budget",
        QueueFull => "queue_full",
        UpcallTimeout => "upcall_timeout",
        NoSuchPort => "no_such_port",
        ActionFailed => "action_failed",
        _ => "other",
    };
}
