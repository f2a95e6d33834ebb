namespace Offload.Contracts.Messages;

/// <summary>One action of a flow: a kind and one integer argument. Travels as a 2-element array.</summary>
public readonly record struct FlowAction(FlowActionKind Kind, ulong Argument);
