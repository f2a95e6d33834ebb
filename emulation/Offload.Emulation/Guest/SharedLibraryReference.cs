namespace Offload.Emulation.Guest;

/// <summary>One line of <c>ldd</c> output: a soname and where the loader found it (null when "not found").</summary>
public sealed record SharedLibraryReference(string Soname, string? Path)
{
    /// <summary>True when ldd could not resolve the library.</summary>
    public bool IsMissing => Path is null;

    /// <summary>Parses one ldd line; false for lines that name no file (vdso, "statically linked").</summary>
    public static bool TryParse(string line, out SharedLibraryReference reference)
    {
        ArgumentNullException.ThrowIfNull(line);
        reference = new SharedLibraryReference(string.Empty, null);
        var text = line.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        var arrow = text.IndexOf(" => ", StringComparison.Ordinal);
        if (arrow < 0)
        {
            // "/lib64/ld-linux-x86-64.so.2 (0x...)" names the interpreter by absolute path.
            var path = StripAddress(text);
            if (!path.StartsWith('/'))
            {
                return false;
            }

            reference = new SharedLibraryReference(System.IO.Path.GetFileName(path), path);
            return true;
        }

        var soname = text[..arrow].Trim();
        var target = StripAddress(text[(arrow + 4)..]);
        if (target == "not found")
        {
            reference = new SharedLibraryReference(soname, null);
            return true;
        }

        if (!target.StartsWith('/'))
        {
            return false;
        }

        reference = new SharedLibraryReference(soname, target);
        return true;
    }

    private static string StripAddress(string text)
    {
        var paren = text.LastIndexOf(" (0x", StringComparison.Ordinal);
        return (paren >= 0 ? text[..paren] : text).Trim();
    }
}
