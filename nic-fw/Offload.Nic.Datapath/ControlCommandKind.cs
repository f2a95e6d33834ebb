namespace Offload.Nic.Datapath;

/// <summary>Kinds of <see cref="ControlCommand"/>.</summary>
internal enum ControlCommandKind
{
    InstallFlow,
    RemoveFlowById,
    RemoveFlowByMatch,
    SetMeter,
    RemoveMeter,
}
