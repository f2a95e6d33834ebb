namespace Offload.Nic.Nvme.Transport;

/// <summary>What a queue pair's non-blocking poll step needs next from its <see cref="PollGroup"/>.</summary>
internal enum PollStatus
{
    /// <summary>Nothing more to do until the socket becomes readable/writable or the queue pair is woken.</summary>
    Wait,

    /// <summary>Stopped for fairness with work left: poll again on the next pass.</summary>
    Again,

    /// <summary>Rate limited: poll again at <c>PollWakeAt</c>.</summary>
    Timed,

    /// <summary>The connection is finished: the group removes it and cleans it up.</summary>
    Closed,
}
