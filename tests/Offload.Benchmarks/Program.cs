using BenchmarkDotNet.Running;

namespace Offload.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/Offload.Benchmarks -- --filter '*FlowMetadata*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
