using System.Buffers;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>Replays tests/regression/msgpack/ (see its README) through every reading style.</summary>
public sealed class MessagePackRegressionCorpusTests
{
    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(CorpusDirectory()).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".hex", StringComparison.Ordinal) || file.EndsWith(".bin", StringComparison.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }
        }

        return data;
    }

    [Fact]
    public void Corpus_Directory_HasInputs()
    {
        Assert.True(CorpusFiles().Count >= 10, $"expected the hand-made corpus in {CorpusDirectory()}");
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Replay_CorpusInput_OnlyTypedExceptionAndNoHang(string name)
    {
        byte[] input = Load(Path.Combine(CorpusDirectory(), name));

        foreach (ReadOnlySequence<byte> sequence in new[] { new ReadOnlySequence<byte>(input), MessagePackTestCodec.Segmented(input, 1) })
        {
            Assert.Null(HostileInput.Exercise(sequence, MessagePackReaderOptions.Default, typedWalk: true));
            if (!name.StartsWith("valid-", StringComparison.Ordinal))
            {
                // Hand-made inputs are all malformed: the untyped decoder must reject them.
                Assert.Throws<MessagePackSerializationException>(() => ReadAll(sequence));
            }
        }
    }

    private static void ReadAll(ReadOnlySequence<byte> sequence)
    {
        var reader = new MessagePackReader(sequence);
        while (!reader.End)
        {
            MessagePackValueReader.Read(ref reader);
        }
    }

    internal static byte[] Load(string path)
    {
        if (path.EndsWith(".bin", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(path);
        }

        string hex = string.Concat(File.ReadAllLines(path)
            .Where(line => !line.TrimStart().StartsWith('#'))
            .SelectMany(line => line.Where(c => !char.IsWhiteSpace(c))));
        return Convert.FromHexString(hex);
    }

    private static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "regression", "msgpack");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/regression/msgpack not found above {AppContext.BaseDirectory}");
    }
}
