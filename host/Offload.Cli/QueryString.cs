using System.Globalization;
using System.Text;

namespace Offload.Cli;

/// <summary>Builds a URL query (<c>?a=1&amp;b=x</c>) from the options that were given.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _text = new();

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public QueryString Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryString Add(string name, double? value) => Add(name, value?.ToString("R", CultureInfo.InvariantCulture));

    public override string ToString() => _text.ToString();
}
