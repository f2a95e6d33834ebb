using Microsoft.Extensions.Options;
using Offload.Contracts.Management;

namespace Offload.Nic;

/// <summary>
/// Validates <see cref="NicOptions"/> at startup; each failure is one line naming the key, the bad value and
/// what is allowed. Also fills in the default firmware version.
/// </summary>
internal sealed class NicOptionsValidator : IValidateOptions<NicOptions>, IPostConfigureOptions<NicOptions>
{
    /// <summary>Longest accepted firmware version string.</summary>
    internal const int MaxFirmwareVersionLength = 64;

    public void PostConfigure(string? name, NicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.FirmwareVersion))
        {
            options.FirmwareVersion = ProductVersion.Of(typeof(NicOptions).Assembly);
        }
    }

    public ValidateOptionsResult Validate(string? name, NicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!BoardId.IsValid(options.BoardId))
        {
            failures.Add($"{NicOptions.SectionName}:{nameof(options.BoardId)}='{options.BoardId}' is invalid: must match [a-z0-9][a-z0-9._-]{{0,62}} (lowercase letters, digits, '.', '_', '-'), for example qemu-0.");
        }

        var firmware = options.FirmwareVersion;
        if (firmware is null || firmware.Length > MaxFirmwareVersionLength || !IsPrintableAscii(firmware))
        {
            failures.Add($"{NicOptions.SectionName}:{nameof(options.FirmwareVersion)}='{firmware}' is invalid: must be 1 to {MaxFirmwareVersionLength} printable ASCII characters without spaces, for example 1.2.0.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
