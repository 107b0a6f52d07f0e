// Builds the command tree and turns failures into one clear paragraph and a non-zero exit code
// (0 success, 1 bad input or failed run, 2 usage, 70 internal error — a bug).
using System.CommandLine;
using System.CommandLine.Parsing;
using Orion.Cli.Commands;

namespace Orion.Cli;

public static class OrionCli
{
    public const int Usage = 2;
    public const int Internal = 70;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("orion: train and serve transformers on Apple Neural Engines (emulated off a Mac)");
        root.Subcommands.Add(CompileCommand.Create(stdout));
        root.Subcommands.Add(MilCommand.Create(stdout, stderr));
        root.Subcommands.Add(DoctorCommand.Create(stdout));
        root.Subcommands.Add(TrainCommand.Create(stdout, stderr));
        root.Subcommands.Add(CoordinatorCommand.Create(stdout, stderr));
        root.Subcommands.Add(WorkerNodeCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvalCommand.Create(stdout, stderr));
        root.Subcommands.Add(GenerateCommand.Create(stdout, stderr));
        root.Subcommands.Add(CheckpointCommand.Create(stdout));
        root.Subcommands.Add(ImportCommand.Create(stdout));
        root.Subcommands.Add(CertsCommand.Create(stdout));
        root.Subcommands.Add(BenchCli.Create(stdout));
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        var command = parse.CommandResult.Command;
        // A bare command group (`orion`, `orion mil`) asks what it can do: show its help, but exit as a usage error.
        if (command.Action is null && command.Subcommands.Count > 0 && parse.Tokens.All(t => t.Type == TokenType.Command))
        {
            root.Parse([.. args, "--help"]).Invoke(config);
            return Usage;
        }
        if (parse.Errors.Count > 0)
        {
            var path = CommandPath(parse.CommandResult);
            stderr.WriteLine($"{path}: {string.Join("; ", parse.Errors.Select(e => e.Message))} (run `{path} --help` for usage)");
            return Usage;
        }
        try
        {
            Orion.Engine.Diagnostics.EnvironmentSettings.Validate();
            return parse.Invoke(config);
        }
        catch (Exception e) when (CliErrors.IsUserError(e))
        {
            stderr.WriteLine(CliErrors.Describe(e));
            return 1;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"orion: internal error: {e.GetType().Name}: {e.Message} (this is a bug; please report it with the command line you ran, and set ORION_DEBUG=1 for the details)");
            if (Environment.GetEnvironmentVariable("ORION_DEBUG") == "1") stderr.WriteLine(e);
            return Internal;
        }
    }

    /// <summary>"orion mil run" for the command the parser stopped in.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (var c = result; c is not null; c = c.Parent as CommandResult)
            names.Insert(0, c.Parent is null ? "orion" : c.Command.Name);
        return string.Join(' ', names);
    }
}
