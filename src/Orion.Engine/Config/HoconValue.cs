// Base of the HOCON value tree (HOCON.md "Definitions"): every node knows where it was written.
// Public nodes are objects, arrays and scalars; substitutions and concatenations are internal and vanish on Resolve.
namespace Orion.Engine.Config;

public abstract class HoconValue
{
    private protected HoconValue(HoconOrigin origin) => Origin = origin;

    public HoconOrigin Origin { get; }

    /// <summary>False while the value (or anything inside it) still holds a substitution; see <see cref="HoconObject.Resolve"/>.</summary>
    public abstract bool IsResolved { get; }

    /// <summary>A copy of this node (children unchanged) that reports another origin.</summary>
    internal abstract HoconValue WithOrigin(HoconOrigin origin);

    /// <summary>"a string", "a list", ... for messages that say what was found.</summary>
    internal abstract string Describe();
}
