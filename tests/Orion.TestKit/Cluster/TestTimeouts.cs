// How long test waits last: 15 s by default, every wait multiplied by ORION_TEST_TIMEOUT_SCALE for slow machines.
// Reference: Akka.TestKit "akka.test.timefactor" / Dilated.
using System.Globalization;

namespace Orion.TestKit.Cluster;

/// <summary>Generous, scalable waits so a slow machine never turns a correct test red.</summary>
public static class TestTimeouts
{
    /// <summary>The environment variable that multiplies every probe wait (e.g. 3 on a loaded CI box).</summary>
    public const string ScaleVariable = "ORION_TEST_TIMEOUT_SCALE";

    private static readonly Lazy<double> s_scale = new(ReadScale);

    /// <summary>The multiplier from <see cref="ScaleVariable"/>, 1 when unset.</summary>
    public static double Scale => s_scale.Value;

    /// <summary>15 s times <see cref="Scale"/>: how long an Expect waits when no timeout is given.</summary>
    public static TimeSpan Default => Dilated(TimeSpan.FromSeconds(15));

    /// <summary><paramref name="timeout"/> times <see cref="Scale"/>.</summary>
    public static TimeSpan Dilated(TimeSpan timeout) => TimeSpan.FromTicks((long)(timeout.Ticks * Scale));

    private static double ReadScale()
    {
        var text = Environment.GetEnvironmentVariable(ScaleVariable);
        if (string.IsNullOrWhiteSpace(text))
            return 1.0;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0 && scale < 1000)
            return scale;
        throw new InvalidOperationException(
            $"{ScaleVariable}='{text}' is not a usable timeout scale; expected a positive number below 1000 " +
            "such as 2 or 0.5 (hint: unset it to use 1)");
    }
}
