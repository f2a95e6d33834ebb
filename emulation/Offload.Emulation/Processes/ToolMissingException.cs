namespace Offload.Emulation.Processes;

/// <summary>A host tool the emulation needs (qemu-system-x86_64, apt-get, tshark...) is not installed.</summary>
public sealed class ToolMissingException : Exception
{
    /// <summary>Creates the exception for <paramref name="tool"/>.</summary>
    public ToolMissingException(string tool, Exception inner)
        : base($"Host tool '{tool}' is not installed or not on PATH. Install it (see emulation/Offload.Emulation/README.md, e.g. 'apt-get install -y qemu-system-x86 tshark') and retry.", inner)
    {
        Tool = tool;
    }

    /// <summary>Creates the exception with a custom message.</summary>
    public ToolMissingException()
        : base("A host tool is missing.")
    {
        Tool = string.Empty;
    }

    /// <summary>Creates the exception with a custom message.</summary>
    public ToolMissingException(string message)
        : base(message)
    {
        Tool = string.Empty;
    }

    /// <summary>The executable name that could not be started.</summary>
    public string Tool { get; }
}
