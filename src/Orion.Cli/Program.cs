// The `orion` command: the contract of ../shared/docs/cli-contract.md.
using Orion.Cli;

return OrionCli.Run(args, Console.Out, Console.Error);
