using System.Text;
using Offload.Nic.Nvme.Pdu;

namespace Offload.Nic.Nvme.Tests.Pdu;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_CheckValue_MatchesCastagnoli() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Compute_32Zeroes_MatchesRfc3720Vector() =>
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));

    [Fact]
    public void Compute_AnyLength_SameAsBytewise()
    {
        var data = new byte[100];
        new Random(1).NextBytes(data);
        for (var n = 0; n <= data.Length; n++)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data.AsSpan(0, n))
            {
                crc = System.Numerics.BitOperations.Crc32C(crc, b);
            }

            Assert.Equal(~crc, Crc32C.Compute(data.AsSpan(0, n)));
        }
    }

    /// <summary>Inputs of 12 KiB and more take the three-lane loop: every length around its stride boundaries, and
    /// 1 MiB, give the byte-at-a-time register.</summary>
    [Theory]
    [InlineData(12287)]
    [InlineData(12288)]
    [InlineData(12289)]
    [InlineData(24575)]
    [InlineData(24576 + 7)]
    [InlineData(131072)]
    [InlineData(1 << 20)]
    public void Compute_LongInputs_SameAsBytewise(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, b);
        }

        Assert.Equal(~crc, Crc32C.Compute(data));
    }

    /// <summary>Appending in pieces (a digest over PDU fragments) gives the one-piece CRC, with pieces that straddle the
    /// three-lane stride.</summary>
    [Fact]
    public void Append_InPieces_SameAsWhole()
    {
        var data = new byte[100_000];
        new Random(7).NextBytes(data);
        uint whole = Crc32C.Compute(data);
        foreach (int cut in new[] { 1, 4095, 12288, 12289, 50_000, 99_999 })
        {
            uint crc = Crc32C.Append(0xFFFFFFFFu, data.AsSpan(0, cut));
            crc = Crc32C.Append(crc, data.AsSpan(cut));
            Assert.Equal(whole, ~crc);
        }
    }

    [Fact]
    public void Compute_1MiBZeroes_MatchesKnownValue()
    {
        // Independent oracle: the same 1 MiB of zeroes through the byte-at-a-time instruction chain.
        var data = new byte[1 << 20];
        var crc = 0xFFFFFFFFu;
        for (int i = 0; i < data.Length; i++)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, (byte)0);
        }

        Assert.Equal(~crc, Crc32C.Compute(data));
    }
}
