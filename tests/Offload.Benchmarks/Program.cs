using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Offload.Benchmarks -- --filter '*Nvme*'
BenchmarkSwitcher.FromAssembly(typeof(Offload.Benchmarks.Nvme.NvmeIoPathBenchmarks).Assembly).Run(args);
return 0;
