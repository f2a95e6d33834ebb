using System.Buffers.Binary;
using System.Text;
using Offload.Emulation.Guest;

namespace Offload.Emulation.Tests.Guest;

public sealed class KernelModuleInfoTests
{
    /// <summary>A minimal ELF64 LE object: header, .shstrtab, .modinfo and a 3-entry section table.</summary>
    internal static byte[] BuildElf(string modinfo)
    {
        var names = Encoding.ASCII.GetBytes("\0.shstrtab\0.modinfo\0");
        var info = Encoding.ASCII.GetBytes(modinfo);
        var namesOffset = 64;
        var infoOffset = namesOffset + names.Length;
        var shoff = (infoOffset + info.Length + 7) & ~7;
        var elf = new byte[shoff + (3 * 64)];
        elf[0] = 0x7F;
        elf[1] = (byte)'E';
        elf[2] = (byte)'L';
        elf[3] = (byte)'F';
        elf[4] = 2;
        elf[5] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(0x28), (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3A), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3C), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3E), 1);
        names.CopyTo(elf, namesOffset);
        info.CopyTo(elf, infoOffset);
        WriteSection(elf.AsSpan(shoff + 64), 1, namesOffset, names.Length);
        WriteSection(elf.AsSpan(shoff + 128), 11, infoOffset, info.Length);
        return elf;
    }

    [Fact]
    public void TryParse_ModinfoWithDependsAndSoftdep_ReturnsNormalizedNames()
    {
        var elf = BuildElf("license=GPL\0depends=nvme-core,t10_pi\0softdep=pre: crc64-rocksoft post: foo\0name=nvme_tcp\0vermagic=6.1\0");

        Assert.True(KernelModuleInfo.TryParse(elf, out var info));

        Assert.Equal("nvme_tcp", info.Name);
        Assert.Equal(["nvme_core", "t10_pi"], info.Depends);
        Assert.Equal(["crc64_rocksoft"], info.SoftDependsPre);
    }

    [Fact]
    public void TryParse_EmptyDepends_NoDependencies()
    {
        Assert.True(KernelModuleInfo.TryParse(BuildElf("depends=\0name=crc64\0"), out var info));

        Assert.Empty(info.Depends);
    }

    [Fact]
    public void TryParse_EveryPrefixAndByteFlip_NeverThrows()
    {
        var elf = BuildElf("depends=a,b\0name=m\0");
        for (var length = 0; length < elf.Length; length++)
        {
            _ = KernelModuleInfo.TryParse(elf.AsSpan(0, length), out _);
        }

        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var copy = (byte[])elf.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            _ = KernelModuleInfo.TryParse(copy, out _);
        }
    }

    [Fact]
    public void TryParse_NotElf_ReturnsFalse()
    {
        Assert.False(KernelModuleInfo.TryParse("hello world, not an ELF object at all......................................"u8, out _));
    }

    private static void WriteSection(Span<byte> header, uint name, int offset, int size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, name);
        BinaryPrimitives.WriteUInt64LittleEndian(header[0x18..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[0x20..], (ulong)size);
    }
}
