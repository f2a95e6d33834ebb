using Offload.Cli;

// offloadctl: the operator's CLI for offloadd. See README.md for commands and exit codes.
return await OffloadctlApp.RunAsync(args, Console.Out, Console.Error);
