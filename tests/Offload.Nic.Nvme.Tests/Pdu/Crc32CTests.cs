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
}
