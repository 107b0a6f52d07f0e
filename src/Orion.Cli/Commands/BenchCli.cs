// `orion bench [NAME...]`: the benchmark suite (runner in Bench/).
using System.CommandLine;
using Orion.Cli.Bench;

namespace Orion.Cli.Commands;

internal static class BenchCli
{
    public static Command Create(TextWriter stdout)
    {
        var names = new Argument<string[]>("names") { Description = "benchmarks to run (all when none given)", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("bench", "run benchmarks: one `bench <name> median=... min=...` line each") { names };
        cmd.SetAction(r => BenchCommand.Run(r.GetValue(names) ?? [], stdout));
        return cmd;
    }
}
