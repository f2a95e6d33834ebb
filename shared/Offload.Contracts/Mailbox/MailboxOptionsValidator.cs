using Microsoft.Extensions.Options;

namespace Offload.Contracts.Mailbox;

/// <summary>Validates <see cref="MailboxOptions"/> at startup for one end; each failure names the key and the value.</summary>
public sealed class MailboxOptionsValidator(bool deviceEnd) : IValidateOptions<MailboxOptions>
{
    public ValidateOptionsResult Validate(string? name, MailboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate(deviceEnd);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
