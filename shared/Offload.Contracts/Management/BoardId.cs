using System.Diagnostics.CodeAnalysis;

namespace Offload.Contracts.Management;

/// <summary>
/// Identity of one NIC board: 1 to 63 characters, a lowercase letter or digit first, then lowercase letters,
/// digits, '.', '_' or '-' (<c>[a-z0-9][a-z0-9._-]{0,62}</c>). Safe in file names, URLs and log lines.
/// </summary>
public readonly record struct BoardId
{
    /// <summary>Maximum length in characters.</summary>
    public const int MaxLength = 63;

    private BoardId(string value) => Value = value;

    /// <summary>The validated text form.</summary>
    public string Value { get; }

    /// <summary>Parses <paramref name="text"/>; returns false (and default) when it is not a valid board id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out BoardId boardId)
    {
        if (IsValid(text))
        {
            boardId = new BoardId(text);
            return true;
        }

        boardId = default;
        return false;
    }

    /// <summary>True when <paramref name="text"/> matches <c>[a-z0-9][a-z0-9._-]{0,62}</c>.</summary>
    public static bool IsValid([NotNullWhen(true)] string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !IsLowerAlphanumeric(text[0]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsLowerAlphanumeric(c) && c != '.' && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
