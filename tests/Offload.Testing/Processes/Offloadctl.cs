namespace Offload.Testing.Processes;

/// <summary>Runs the real offloadctl executable to completion.</summary>
public static class Offloadctl
{
    /// <summary>How long one offloadctl run may take on a loaded machine.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>offloadctl <paramref name="arguments"/></c> with <c>OFFLOAD_SOCKET</c> unset.</summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ChildProcess.RunAsync(RepositoryLayout.Offloadctl, arguments, RunTimeout, new Dictionary<string, string?> { ["OFFLOAD_SOCKET"] = null });

    /// <summary>Runs offloadctl with extra environment variables.</summary>
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        ChildProcess.RunAsync(RepositoryLayout.Offloadctl, arguments, RunTimeout, environment);

    /// <summary>
    /// Runs offloadctl as another user and group (through <c>setpriv</c>, no supplementary groups), for permission tests.
    /// </summary>
    public static Task<ProcessResult> RunAsUserAsync(string user, string group, params string[] arguments) =>
        ChildProcess.RunAsync(
            "/usr/bin/setpriv",
            [$"--reuid={user}", $"--regid={group}", "--clear-groups", "--", RepositoryLayout.Offloadctl, .. arguments],
            RunTimeout);
}
