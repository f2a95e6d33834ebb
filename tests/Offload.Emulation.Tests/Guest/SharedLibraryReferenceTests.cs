using Offload.Emulation.Guest;

namespace Offload.Emulation.Tests.Guest;

public sealed class SharedLibraryReferenceTests
{
    [Theory]
    [InlineData("\tlibnuma.so.1 => /lib/x86_64-linux-gnu/libnuma.so.1 (0x00007f85d1ba8000)", "libnuma.so.1", "/lib/x86_64-linux-gnu/libnuma.so.1")]
    [InlineData("\t/lib64/ld-linux-x86-64.so.2 (0x00007f85d1bc9000)", "ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2")]
    [InlineData("\tlibaio.so.1 => not found", "libaio.so.1", null)]
    public void TryParse_LddLine_SonameAndPath(string line, string soname, string? path)
    {
        Assert.True(SharedLibraryReference.TryParse(line, out var reference));

        Assert.Equal(soname, reference.Soname);
        Assert.Equal(path, reference.Path);
        Assert.Equal(path is null, reference.IsMissing);
    }

    [Theory]
    [InlineData("\tlinux-vdso.so.1 (0x00007ffd6b1f2000)")]
    [InlineData("\tstatically linked")]
    [InlineData("")]
    public void TryParse_LineWithoutFile_ReturnsFalse(string line)
    {
        Assert.False(SharedLibraryReference.TryParse(line, out _));
    }
}
