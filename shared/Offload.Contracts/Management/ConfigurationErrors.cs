using Microsoft.Extensions.Options;

namespace Offload.Contracts.Management;

/// <summary>
/// Turns startup configuration failures (options validation, configuration binder conversions) into one
/// operator-facing line each, so nic-fw and offloadd can refuse a bad option without a stack trace.
/// </summary>
public static class ConfigurationErrors
{
    /// <summary>
    /// Collects the configuration problems in <paramref name="exception"/> (an <see cref="OptionsValidationException"/>,
    /// a binder conversion failure, or an <see cref="AggregateException"/> of those); false when it is something else.
    /// </summary>
    public static bool TryDescribe(Exception exception, out IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var found = new List<string>();
        Collect(exception, found);
        lines = found;
        return found.Count > 0;
    }

    private static void Collect(Exception exception, List<string> found)
    {
        switch (exception)
        {
            case OptionsValidationException validation:
                found.AddRange(validation.Failures);
                break;
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    Collect(inner, found);
                }

                break;
            case InvalidOperationException when IsConversionFailure(exception.InnerException):
                // "Failed to convert configuration value 'abc' at 'Management:TcpPort' to type 'System.Int32'."
                found.Add(exception.Message);
                break;
            default:
                break;
        }
    }

    private static bool IsConversionFailure(Exception? inner)
    {
        for (; inner is not null; inner = inner.InnerException)
        {
            if (inner is FormatException or OverflowException)
            {
                return true;
            }
        }

        return false;
    }
}
