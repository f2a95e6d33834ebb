using Microsoft.Extensions.Options;

namespace Offload.Nic.Datapath;

/// <summary>Validates <c>Datapath</c> at startup: one line per problem, naming the key (nic-fw then exits 78).</summary>
internal sealed class NicDatapathOptionsValidator : IValidateOptions<NicDatapathOptions>
{
    public ValidateOptionsResult Validate(string? name, NicDatapathOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<int>();
        for (var i = 0; i < options.Ports.Count; i++)
        {
            var port = options.Ports[i];
            if (DatapathPortOpener.TryDescribeProblem(port, i) is { } problem)
            {
                failures.Add(problem);
            }
            else if (!seen.Add(port.No))
            {
                failures.Add($"{DatapathPortOpener.Key(i)}:No={port.No} is used by another port: give every port its own number.");
            }
        }

        for (var i = 0; i < options.Applications.Count; i++)
        {
            if (options.Applications[i].Id is < 0 or >= Offload.Nic.Datapath.Actions.AppId.Capacity)
            {
                failures.Add($"{NicDatapathOptions.SectionName}:Applications:{i}:Id={options.Applications[i].Id} is out of range: use 0..{Offload.Nic.Datapath.Actions.AppId.Capacity - 1}.");
            }
        }

        if (options.StatsPeriodMilliseconds is < 10 or > 3_600_000)
        {
            failures.Add($"{NicDatapathOptions.SectionName}:{nameof(options.StatsPeriodMilliseconds)}={options.StatsPeriodMilliseconds} is out of range: use 10..3600000 (default 1000).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
