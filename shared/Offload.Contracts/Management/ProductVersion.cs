using System.Reflection;

namespace Offload.Contracts.Management;

/// <summary>The version string every Offload process reports (offloadd status, nic-fw Hello, <c>offloadctl --version</c>).</summary>
public static class ProductVersion
{
    private const int CommitDigits = 12;

    /// <summary>
    /// The assembly's informational version with any <c>+commit</c> suffix shortened to 12 hex digits,
    /// for example <c>1.0.0+35d8b35f0e1a</c>; falls back to the assembly version.
    /// </summary>
    public static string Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && informational.Length - plus - 1 > CommitDigits
            ? informational[..(plus + 1 + CommitDigits)]
            : informational;
    }
}
