namespace Offload.Emulation.Qemu;

/// <summary>One <c>step NAME CMD</c> of a scenario: its exit status and the output between its markers.</summary>
public sealed record GuestStepResult(string Name, int ExitCode, string Output);
