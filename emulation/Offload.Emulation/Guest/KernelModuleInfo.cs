using System.Buffers.Binary;
using System.Text;

namespace Offload.Emulation.Guest;

/// <summary>
/// The dependency facts of one kernel module, read from the <c>.modinfo</c> ELF section of its <c>.ko</c>
/// file (NUL-separated <c>key=value</c> strings; the same data <c>modinfo(8)</c> prints).
/// </summary>
public sealed record KernelModuleInfo(string Name, IReadOnlyList<string> Depends, IReadOnlyList<string> SoftDependsPre)
{
    /// <summary>Module names use '_' internally; file names may use '-'. Both compare equal after this.</summary>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace('-', '_');
    }

    /// <summary>Parses an ELF64 little-endian relocatable object's .modinfo section.</summary>
    public static bool TryParse(ReadOnlySpan<byte> elf, out KernelModuleInfo info)
    {
        info = new KernelModuleInfo(string.Empty, [], []);
        if (!TryFindSection(elf, ".modinfo", out var section))
        {
            return false;
        }

        string name = string.Empty;
        var depends = new List<string>();
        var softPre = new List<string>();
        foreach (var entry in Encoding.ASCII.GetString(section).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = entry[..eq];
            var value = entry[(eq + 1)..];
            switch (key)
            {
                case "name":
                    name = NormalizeName(value);
                    break;
                case "depends":
                    depends.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(NormalizeName));
                    break;
                case "softdep":
                    AddSoftDependsPre(value, softPre);
                    break;
            }
        }

        info = new KernelModuleInfo(name, depends, softPre);
        return name.Length > 0;
    }

    // softdep=pre: a b post: c  (module-init-tools syntax)
    private static void AddSoftDependsPre(string value, List<string> softPre)
    {
        var inPre = false;
        foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.EndsWith(':'))
            {
                inPre = token == "pre:";
                continue;
            }

            if (inPre)
            {
                softPre.Add(NormalizeName(token));
            }
        }
    }

    private static bool TryFindSection(ReadOnlySpan<byte> elf, string wanted, out byte[] content)
    {
        content = [];
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 /* ELFCLASS64 */ || elf[5] != 1 /* little endian */)
        {
            return false;
        }

        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        var shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3E..]);
        if (shentsize < 64 || shstrndx >= shnum || shoff > (ulong)elf.Length
            || (ulong)shnum * shentsize > (ulong)elf.Length - shoff)
        {
            return false;
        }

        if (!TrySectionBytes(elf, shoff + ((ulong)shstrndx * shentsize), out var names))
        {
            return false;
        }

        for (var i = 0; i < shnum; i++)
        {
            var header = elf.Slice((int)(shoff + ((ulong)i * shentsize)), 64);
            var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (nameOffset >= names.Length)
            {
                continue;
            }

            var nameSpan = names[(int)nameOffset..];
            var end = nameSpan.IndexOf((byte)0);
            if (end < 0 || !Encoding.ASCII.GetString(nameSpan[..end]).Equals(wanted, StringComparison.Ordinal))
            {
                continue;
            }

            if (TrySectionBytes(elf, shoff + ((ulong)i * shentsize), out var bytes))
            {
                content = bytes.ToArray();
                return true;
            }
        }

        return false;
    }

    private static bool TrySectionBytes(ReadOnlySpan<byte> elf, ulong headerOffset, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        var header = elf.Slice((int)headerOffset, 64);
        var offset = BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
        if (offset > (ulong)elf.Length || size > (ulong)elf.Length - offset)
        {
            return false;
        }

        bytes = elf.Slice((int)offset, (int)size);
        return true;
    }
}
