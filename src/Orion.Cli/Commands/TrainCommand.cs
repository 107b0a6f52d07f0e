// `orion train` (cli-contract.md): single-node mode — one coordinator and N worker actors in this process over
// in-process links, the SQLite journal in the run directory by default. With no flags it trains gpt2-tiny on the
// built-in corpus with the emulated ANE (the real one on a Mac); re-running with the same --run-dir resumes exactly.
using System.CommandLine;
using System.Globalization;

namespace Orion.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var flags = new TrainingFlags();
        var device = DeviceOption.Create("auto");
        var cacheDir = ClusterOptions.CacheDirOption();
        var train = new Command("train", "train a model: one coordinator and N workers in this process; re-running with the same --run-dir resumes");
        flags.AddTo(train);
        train.Options.Add(device);
        train.Options.Add(cacheDir);
        train.SetAction(r =>
        {
            var run = ClusterOptions.Bind(r, flags, defaultRunDir: Path.Combine("runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            var deviceChoice = ClusterOptions.Device(r.GetValue(device), run.Config);
            var cache = ClusterOptions.CacheDir(r.GetValue(cacheDir), run.Config);
            return ClusterOptions.RunCoordinator(run, stdout, (settings, ct) =>
                SingleNode.RunAsync(settings, run.Workers, i => ClusterOptions.Worker($"worker-{i}", deviceChoice, cache, run.Config, stderr), run.Config.Akka, ct));
        });
        return train;
    }
}
