namespace Offload.Nic.Datapath;

/// <summary>
/// One entry of <c>Datapath:Applications</c>: the stamping state of an application at startup, for the flows whose
/// actions carry <c>congestion_mark:ID</c> / <c>rate_advertise:ID</c>. An operator override (and the test hook) until
/// the controller drives it at run time.
/// </summary>
public sealed class DatapathApplicationOptions
{
    /// <summary>Application id (0..4095).</summary>
    public int Id { get; set; }

    /// <summary>True: CongestionMark actions mark ECN CE on this application's ECT packets.</summary>
    public bool Congested { get; set; }

    /// <summary>Memory requests per second that RateAdvertise actions carry (0: no option is inserted).</summary>
    public uint AdvertisedRate { get; set; }
}
