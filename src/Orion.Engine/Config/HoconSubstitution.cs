// An unresolved ${path} or ${?path} (HOCON.md "Substitutions"), with what resolution needs: the include prefix
// for looking the path up relative to an included file, the environment to fall back on, and for a
// self-referential one (a = ${a}":x", a += ...) the earlier value of the field it refers to.
namespace Orion.Engine.Config;

internal sealed class HoconSubstitution : HoconValue
{
    public HoconSubstitution(
        string[] path, string[] prefix, bool optional, int selfDepth, HoconValue? previous,
        Func<string, string?> environment, HoconOrigin origin) : base(origin)
    {
        Path = path;
        Prefix = prefix;
        Optional = optional;
        SelfDepth = selfDepth;
        Previous = previous;
        Environment = environment;
    }

    /// <summary>The path as written in the file.</summary>
    public string[] Path { get; }

    /// <summary>Where the file holding this substitution was included (empty for top-level files).</summary>
    public string[] Prefix { get; }

    public string[] FullPath => [.. Prefix, .. Path];

    public bool Optional { get; }

    /// <summary>
    /// When ≥ 0 the substitution refers to the field being defined (its full path starts with that field's path, whose
    /// length this is), so it must read the field's earlier value, <see cref="Previous"/>, not the final one.
    /// </summary>
    public int SelfDepth { get; }

    /// <summary>The field's earlier value, set when a later definition is merged over it; null while none is known.</summary>
    public HoconValue? Previous { get; }

    public Func<string, string?> Environment { get; }

    public string PathText => HoconPath.Render(Path);

    public bool IsSelfReference => SelfDepth >= 0;

    public override bool IsResolved => false;

    public HoconSubstitution WithPrevious(HoconValue previous) =>
        new(Path, Prefix, Optional, SelfDepth, previous, Environment, Origin);

    public HoconSubstitution WithPreviousAndOrigin(HoconValue? previous, HoconOrigin origin) =>
        new(Path, Prefix, Optional, SelfDepth, previous, Environment, origin);

    internal override HoconValue WithOrigin(HoconOrigin origin) => WithPreviousAndOrigin(Previous, origin);

    internal override string Describe() => "a substitution";

    public override string ToString() => "${" + (Optional ? "?" : "") + PathText + "}";
}
