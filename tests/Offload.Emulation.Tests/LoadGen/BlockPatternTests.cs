using Offload.Emulation.LoadGen;

namespace Offload.Emulation.Tests.LoadGen;

public sealed class BlockPatternTests
{
    [Fact]
    public void CountMismatches_FilledBuffer_Zero()
    {
        var buffer = new byte[4096];
        BlockPattern.Fill(buffer, 8192, 42);

        Assert.Equal(0, BlockPattern.CountMismatches(buffer, 8192));
    }

    [Fact]
    public void CountMismatches_NeverWritten_Zero()
    {
        Assert.Equal(0, BlockPattern.CountMismatches(new byte[4096], 0));
    }

    [Fact]
    public void CountMismatches_FlippedByteInEachSector_CountsEverySector()
    {
        var buffer = new byte[4096];
        BlockPattern.Fill(buffer, 0, 7);
        for (var sector = 0; sector < 8; sector++)
        {
            buffer[(sector * 512) + 100 + sector] ^= 0x01;
        }

        Assert.Equal(8, BlockPattern.CountMismatches(buffer, 0));
    }

    [Fact]
    public void CountMismatches_DataFromAnotherAddress_Detected()
    {
        var buffer = new byte[1024];
        BlockPattern.Fill(buffer, 4096, 1);

        Assert.Equal(2, BlockPattern.CountMismatches(buffer, 8192));
    }

    [Fact]
    public void CountMismatches_StaleSequenceHeaderWithNewPayload_Detected()
    {
        var buffer = new byte[512];
        BlockPattern.Fill(buffer, 0, 1);
        var newer = new byte[512];
        BlockPattern.Fill(newer, 0, 2);
        newer.AsSpan(0, 24).CopyTo(buffer); // header of write 2, payload of write 1: a torn sector

        Assert.Equal(1, BlockPattern.CountMismatches(buffer, 0));
    }
}
