using System.Text;
using Offload.Emulation.Guest;
using Offload.Emulation.Processes;

namespace Offload.Emulation.Tests.Guest;

public sealed class CpioArchiveWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offload-cpio-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Finish_FilesLinksAndDevices_RealCpioListsAndExtractsThem()
    {
        var archive = Path.Combine(_directory, "a.cpio");
        await using (var file = File.Create(archive))
        {
            var writer = new CpioArchiveWriter(file);
            writer.AddFile("bin/tool", "#!/bin/sh\necho hi\n"u8, 0x1ED);
            writer.AddFile("etc/deep/nested/file.txt", "abc"u8);
            writer.AddSymlink("bin/sh", "tool");
            writer.AddCharacterDevice("dev/console", 5, 1);
            writer.AddDirectory("empty");
            writer.Finish();
        }

        var list = await ProcessRunner.RunAsync("sh", ["-c", $"cpio -itv < '{archive}'"], TimeSpan.FromSeconds(30));
        Assert.True(list.Succeeded, list.StandardError);
        Assert.Contains("bin/sh -> tool", list.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"crw-------.*5,\s+1.*dev/console", list.StandardOutput);
        Assert.Contains("etc/deep/nested", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("empty", list.StandardOutput, StringComparison.Ordinal);

        var root = Directory.CreateDirectory(Path.Combine(_directory, "x")).FullName;
        var extract = await ProcessRunner.RunAsync("sh", ["-c", $"cpio -id --no-absolute-filenames 'bin/*' 'etc/*' < '{archive}'"], TimeSpan.FromSeconds(30), root);
        Assert.True(extract.Succeeded, extract.StandardError);
        Assert.Equal("abc", await File.ReadAllTextAsync(Path.Combine(root, "etc/deep/nested/file.txt")));
        Assert.True(OperatingSystem.IsLinux() && (File.GetUnixFileMode(Path.Combine(root, "bin/tool")) & UnixFileMode.UserExecute) != 0);
    }

    [Fact]
    public void Finish_SameInputs_SameBytes()
    {
        static byte[] Build()
        {
            using var stream = new MemoryStream();
            var writer = new CpioArchiveWriter(stream);
            writer.AddFile("a/b", Encoding.ASCII.GetBytes("12345"));
            writer.AddSymlink("a/c", "b");
            writer.Finish();
            return stream.ToArray();
        }

        var first = Build();

        Assert.Equal(first, Build());
        Assert.Equal(0, first.Length % 4);
        Assert.Equal("070701", Encoding.ASCII.GetString(first, 0, 6));
    }

    [Fact]
    public void AddFile_DuplicatePath_WrittenOnce()
    {
        using var stream = new MemoryStream();
        var writer = new CpioArchiveWriter(stream);
        writer.AddFile("x", "1"u8);
        var length = stream.Length;

        writer.AddFile("x", "2"u8);

        Assert.Equal(length, stream.Length);
    }
}
