using Offload.Controller.Cost;

namespace Offload.Controller.Tests.Cost;

public class CostModelTests
{
    [Fact]
    public void Rate_WritesCostMoreThanReads()
    {
        var m = new CostModel(1.0, 3.0);
        Assert.Equal(1000, m.Rate(1000, 4096, 0, 4096), 6);
        Assert.Equal(3000, m.Rate(0, 4096, 1000, 4096), 6);
    }

    [Fact]
    public void Read_LargeBlock_ScalesLinearly_SmallBlock_CostsMinimum()
    {
        var m = new CostModel();
        Assert.Equal(4, m.Read(16384), 6);
        Assert.Equal(1, m.Read(512), 6);
        Assert.Equal(8, m.Write(16384), 6);
    }

    [Fact]
    public void Uniform_ReadsAndWritesCostTheSame()
    {
        Assert.Equal(CostModel.Uniform.Read(4096), CostModel.Uniform.Write(4096));
    }
}
