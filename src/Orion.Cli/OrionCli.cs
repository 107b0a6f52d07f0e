// Builds the command tree and turns failures into one clear paragraph and a non-zero exit code.
using System.CommandLine;
using Orion.Cli.Commands;

namespace Orion.Cli;

public static class OrionCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("orion: train and serve transformers on Apple Neural Engines (emulated off a Mac)");
        root.Subcommands.Add(CompileCommand.Create(stdout));
        root.Subcommands.Add(MilCommand.Create(stdout));
        root.Subcommands.Add(BenchCli.Create(stdout));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"orion: {string.Join("; ", parse.Errors.Select(e => e.Message))} (run `orion --help` or `orion <command> --help` for usage)");
            return 2;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e) when (CliErrors.IsUserError(e))
        {
            stderr.WriteLine(CliErrors.Describe(e));
            return 1;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"orion: internal error: {e.GetType().Name}: {e.Message} (this is a bug; please report it with the command line you ran)");
            if (Environment.GetEnvironmentVariable("ORION_DEBUG") == "1") stderr.WriteLine(e);
            return 70;
        }
    }
}
