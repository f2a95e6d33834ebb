namespace Offload.Cli;

/// <summary>What a command's action needs: the resolved global options and where to write.</summary>
/// <param name="SocketPath">Management socket path (<c>--socket</c> / <c>$OFFLOAD_SOCKET</c> / default).</param>
/// <param name="Json">True for <c>--json</c>.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record CliContext(string SocketPath, bool Json, TextWriter Output, TextWriter Error);
