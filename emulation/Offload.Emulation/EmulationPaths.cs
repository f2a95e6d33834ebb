namespace Offload.Emulation;

/// <summary>Where the emulation keeps its download/unpack cache (git-ignored <c>emulation/.cache/</c>).</summary>
public static class EmulationPaths
{
    /// <summary>
    /// <c>$OFFLOAD_EMU_CACHE</c> when set; otherwise <c>emulation/.cache</c> of the repository that contains the
    /// running assembly (found by walking up to <c>Offload.sln</c>); otherwise a folder under the temp directory.
    /// </summary>
    public static string DefaultCacheDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("OFFLOAD_EMU_CACHE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Offload.sln")))
            {
                return Path.Combine(dir.FullName, "emulation", ".cache");
            }
        }

        return Path.Combine(Path.GetTempPath(), "offload-emulation-cache");
    }
}
