// The environment variables the engine reads. Each is checked once, up front, by the command line, so a malformed
// value stops the command with a sentence naming the variable and what it expects, instead of surfacing later as a
// type initializer failure deep inside a device or the coordinator.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;

namespace Orion.Engine.Diagnostics;

/// <summary>A malformed ORION_* environment variable: the message names it and what it expects.</summary>
public sealed class EnvironmentSettingException(string message) : Exception(message);

public static class EnvironmentSettings
{
    /// <summary>Throws <see cref="EnvironmentSettingException"/> for the first malformed variable.</summary>
    public static void Validate(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        Check(() => CompileBudget.ParseLimit(read("ORION_COMPILE_BUDGET"), CompileBudget.DefaultLimit));
        Check(() => CrashPoints.ParseTarget(read(CrashPoints.Variable)));
        Check(() => EmulatedDeviceOptions.CheckOsBuild(read("ORION_OS_BUILD"), "ORION_OS_BUILD"));
    }

    private static void Check(Action parse)
    {
        try
        {
            parse();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new EnvironmentSettingException(e.Message);
        }
    }
}
