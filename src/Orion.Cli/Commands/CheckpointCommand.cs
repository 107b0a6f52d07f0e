// `orion checkpoint hash DIR` (cli-contract.md): one line, the sha256 of the checkpoint's model weights in canonical
// form, so the same bits give the same hash on any machine (and a resumed run can be compared with a straight one).
using System.CommandLine;
using Orion.Engine.Model.Checkpoints;

namespace Orion.Cli.Commands;

internal static class CheckpointCommand
{
    public static Command Create(TextWriter stdout)
    {
        var path = new Argument<string>("DIR") { Description = "checkpoint folder, run directory (its newest checkpoint) or model.safetensors" };
        var hash = new Command("hash", "print the sha256 of a checkpoint's model weights") { path };
        hash.SetAction(r =>
        {
            stdout.WriteLine(LoadedCheckpoint.Load(r.GetValue(path)!).WeightsHash());
            return 0;
        });
        return new Command("checkpoint", "inspect checkpoints") { hash };
    }
}
