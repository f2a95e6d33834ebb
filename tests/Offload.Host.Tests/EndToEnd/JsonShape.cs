using System.Text.Json;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>Checks a JSON document against the documented schema (docs/OPERATIONS.md): exact field names and kinds.</summary>
internal static class JsonShape
{
    /// <summary>Asserts <paramref name="element"/> is an object with exactly these fields, each of the given kind
    /// (<c>string</c>, <c>number</c>, <c>bool</c>, <c>array</c>, <c>object</c>, <c>string?</c>/<c>number?</c>/<c>object?</c> for nullable).</summary>
    internal static void Assert(JsonElement element, params (string Name, string Kind)[] fields)
    {
        Xunit.Assert.Equal(JsonValueKind.Object, element.ValueKind);
        var actual = element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        var expected = fields.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();
        Xunit.Assert.True(expected.SequenceEqual(actual), $"fields [{string.Join(", ", actual)}] differ from the documented [{string.Join(", ", expected)}] in {element}");
        foreach (var (name, kind) in fields)
        {
            var value = element.GetProperty(name);
            var nullable = kind.EndsWith('?');
            if (nullable && value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var ok = kind.TrimEnd('?') switch
            {
                "string" => value.ValueKind == JsonValueKind.String,
                "number" => value.ValueKind == JsonValueKind.Number,
                "bool" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "array" => value.ValueKind == JsonValueKind.Array,
                "object" => value.ValueKind == JsonValueKind.Object,
                _ => false,
            };
            Xunit.Assert.True(ok, $"field '{name}' is {value.ValueKind}, documented as {kind}: {element}");
        }
    }

    internal static readonly (string, string)[] Tenant =
        [("name", "string"), ("application", "number"), ("weight", "number"), ("reservation", "number"), ("limit", "number?"), ("class", "string")];

    internal static readonly (string, string)[] PinnedRate = [("tenant", "string"), ("iops", "number"), ("bytesPerSecond", "number")];

    internal static readonly (string, string)[] Subsystem = [("nqn", "string"), ("allowAnyHost", "bool"), ("hosts", "array"), ("namespaces", "array")];

    internal static readonly (string, string)[] Namespace = [("nsid", "number"), ("size", "number"), ("blockSize", "number"), ("path", "string?")];

    internal static readonly (string, string)[] Policy = [("enforce", "bool"), ("requireFlowMetadata", "bool")];

    internal static readonly (string, string)[] Change = [("kind", "string"), ("name", "string"), ("action", "string"), ("detail", "string")];

    internal static readonly (string, string)[] ChangeDocument = [("schema", "string"), ("revision", "number"), ("changes", "array")];

    internal static readonly (string, string)[] RateRow =
        [("nic", "string"), ("application", "number"), ("tenant", "string?"), ("iopsLimit", "number"), ("bytesPerSecondLimit", "number"), ("pinned", "bool"), ("rule", "string")];

    internal static readonly (string, string)[] State =
        [("schema", "string"), ("revision", "number"), ("tenants", "array"), ("subsystems", "array"), ("pinnedRates", "array"), ("flowRules", "array"), ("policy", "object")];

    internal static readonly (string, string)[] FlowRule =
        [("priority", "number"), ("inPort", "number?"), ("ethSrc", "string?"), ("ethDst", "string?"), ("etherType", "number?"), ("actions", "string")];
}
