// Checks, without a device, that every program a training run needs passes the ANE front end (the same parser and
// restriction catalog every device applies before compiling). The coordinator runs it before the first step, so a
// model no device can compile fails the run at once, naming the rule, instead of leaving workers failing one by one.
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Model.Device;

public static class ProgramCheck
{
    /// <summary>
    /// Builds and checks layer 0's programs of every kind (the other layers differ only in their weights) for sequences
    /// of <paramref name="seq"/>; throws <see cref="AneRestrictionException"/> citing the rule a program breaks.
    /// </summary>
    public static void Training(ModelParameters parameters, int seq, ChipProfile profile)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(profile);
        var options = new CompilerOptions { Profile = profile, InlineConstantLimit = Math.Min(64, parameters.Config.Channels) };
        foreach (var kind in Enum.GetValues<ProgramKind>())
        {
            var compiled = OrionCompiler.Compile(LayerPrograms.Build(parameters, kind, 0, seq, null), options);
            AneFrontEnd.Check(compiled.ToSource(), profile);
        }
    }
}
