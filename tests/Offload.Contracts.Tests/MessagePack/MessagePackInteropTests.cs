using System.Buffers;
using System.Text;
using Offload.Contracts.MessagePack;
using static Offload.Contracts.Tests.MessagePack.MessagePackTestCodec;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>
/// Interop with python3-msgpack (an independent implementation), 10,000 random nested values each way.
/// Both sides compare a canonical dump of every value (see <see cref="CanonicalDump"/>).
/// </summary>
public sealed class MessagePackInteropTests : IDisposable
{
    private const int Count = 10_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly MessagePackReaderOptions Stream = new() { MaxFrameSize = int.MaxValue };
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("offload-msgpack-interop-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Write_10000RandomNestedValues_PythonReadsEqualValues()
    {
        PythonMsgpack.RequireInstalled();
        var random = new RandomMessagePackValues(seed: 20261121, largeOneIn: 1000);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        var expected = new StringBuilder();
        for (int i = 0; i < Count; i++)
        {
            // The first two values are an array32 and a map32; the rest are random.
            object? value = i switch
            {
                0 => Enumerable.Range(0, 70_000).Select(n => (object?)(long)n).ToArray(),
                1 => Enumerable.Range(0, 70_000).Select(n => new KeyValuePair<object?, object?>((long)n, (long)-n)).ToList(),
                _ => random.Next(),
            };
            MessagePackValueWriter.Write(ref writer, value);
            expected.Append(CanonicalDump.Of(value)).Append('\n');
        }

        writer.Flush();
        string packed = PathOf("csharp.msgpack");
        string expectedPath = PathOf("csharp.expected");
        string pythonDump = PathOf("python.dump");
        File.WriteAllBytes(packed, buffer.WrittenSpan.ToArray());
        File.WriteAllText(expectedPath, expected.ToString());

        (int exit, string output) = PythonMsgpack.RunScript(_directory.FullName, Timeout, "check", packed, expectedPath, pythonDump);

        Assert.True(exit == 0, $"python3-msgpack disagreed: {output}");
        Assert.Contains($"checked {Count}", output, StringComparison.Ordinal);
        Assert.Equal(expected.ToString(), File.ReadAllText(pythonDump));
        Assert.Equal(MessagePackCode.Array32, buffer.WrittenSpan[0]);
    }

    [Fact]
    public void Read_10000RandomNestedValuesFromPython_EqualValuesAndByteIdenticalReencoding()
    {
        PythonMsgpack.RequireInstalled();
        string packed = PathOf("python.msgpack");
        string pythonDump = PathOf("python.dump");
        (int genExit, string genOutput) = PythonMsgpack.RunScript(_directory.FullName, Timeout, "gen", "4242", Count.ToString(), packed, pythonDump);
        Assert.True(genExit == 0, $"python generator failed: {genOutput}");

        byte[] bytes = File.ReadAllBytes(packed);
        string[] expected = File.ReadAllText(pythonDump).Split('\n')[..^1];
        Assert.Equal(Count, expected.Length);
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(bytes), Stream);
        var reencoded = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(reencoded);
        for (int i = 0; i < Count; i++)
        {
            byte[] raw = reader.ReadRaw().ToArray();
            object? value = DecodeValue(raw, Stream);
            Assert.True(expected[i] == CanonicalDump.Of(value), $"value {i} ({Hex(raw.AsSpan(0, Math.Min(raw.Length, 64)))}...) decoded differently:\n python {expected[i][..Math.Min(300, expected[i].Length)]}\n csharp {CanonicalDump.Of(value)[..Math.Min(300, CanonicalDump.Of(value).Length)]}");
            byte[] again = EncodeValue(value);
            Assert.True(raw.AsSpan().SequenceEqual(again), $"value {i} re-encoded differently: python {Hex(raw)} vs C# {Hex(again)}");
            MessagePackValueWriter.Write(ref writer, value);
        }

        Assert.True(reader.End);
        Assert.Equal(MessagePackCode.Array32, bytes[0]);
        writer.Flush();

        // And the other side's check: Python reads the C# re-encoding back and compares with its own dump.
        string csharpPacked = PathOf("csharp.msgpack");
        File.WriteAllBytes(csharpPacked, reencoded.WrittenSpan.ToArray());
        (int exit, string output) = PythonMsgpack.RunScript(_directory.FullName, Timeout, "check", csharpPacked, pythonDump, PathOf("python2.dump"));
        Assert.True(exit == 0, $"python3-msgpack disagreed: {output}");
    }

    [Fact]
    public void RequireInstalled_MsgpackNotImportable_FailsWithInstallCommand()
    {
        // -S drops site-packages, where Debian's python3-msgpack lives: the test must fail, never skip.
        var ex = Assert.ThrowsAny<Exception>(() => PythonMsgpack.RequireInstalled("-S"));
        Assert.Contains("apt-get install -y python3-msgpack", ex.Message, StringComparison.Ordinal);
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);
}
