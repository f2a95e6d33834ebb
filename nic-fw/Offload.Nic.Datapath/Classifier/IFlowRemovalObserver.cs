namespace Offload.Nic.Datapath.Classifier;

/// <summary>Told about every flow the <see cref="FlowTable"/> removes.</summary>
internal interface IFlowRemovalObserver
{
    void OnRemoved(Megaflow flow, FlowRemovedReason reason);
}
