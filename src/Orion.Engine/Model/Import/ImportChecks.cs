// Checks shared by the checkpoint importers, so both refuse bad files with the same kind of message: the file, the
// field, its value, what was expected and a hint.
namespace Orion.Engine.Model.Import;

internal static class ImportChecks
{
    /// <summary>Opens <paramref name="path"/> for one sequential pass and imports it (the importers' Read).</summary>
    public static ImportedModel ReadFile(string path, string what, string missingHint, Func<Stream, string, ImportedModel> import)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{what} '{path}' does not exist ({missingHint})", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return import(stream, path);
    }

    /// <summary>Imports a checkpoint held in memory (the importers' Parse); <paramref name="name"/> names it in errors.</summary>
    public static unsafe ImportedModel ParseBytes(ReadOnlySpan<byte> bytes, string name, Func<Stream, string, ImportedModel> import)
    {
        ArgumentNullException.ThrowIfNull(name);
        fixed (byte* p = bytes)
        {
            using var stream = new UnmanagedMemoryStream(p, bytes.Length);
            return import(stream, name);
        }
    }

    public static void Positive(string name, string field, int value, string format)
    {
        if (value <= 0)
            throw new InvalidDataException($"{name}: {field} is {value}; expected a positive number (a corrupt header, or not {format})");
    }

    /// <summary>The file must be exactly header + parameters: shorter is a truncated copy, longer is not this format.</summary>
    public static void ExactLength(string name, long actual, int headerBytes, long parameters, int elementSize, string dtype, string shape, string trailingHint)
    {
        long expected = headerBytes + parameters * elementSize;
        if (actual == expected) return;
        string what = actual < expected
            ? $"{expected - actual:N0} bytes short: the file is truncated (an interrupted download or copy?)"
            : $"{actual - expected:N0} trailing bytes: {trailingHint}";
        throw new InvalidDataException($"{name}: the header ({shape}) needs {parameters:N0} {dtype} parameters, {expected:N0} bytes with the {headerBytes:N0}-byte header; the file has {actual:N0} bytes, {what}");
    }

    /// <summary>A parameter count computed by <paramref name="count"/> in a checked context, refused as corrupt when it overflows.</summary>
    public static long Count(string name, string shape, Func<long> count)
    {
        long n;
        try
        {
            n = count();
        }
        catch (OverflowException)
        {
            n = long.MaxValue;
        }
        // Also leaves room to multiply by the element size and add the header without overflowing.
        if (n > long.MaxValue / 8)
            throw new InvalidDataException($"{name}: the header ({shape}) describes more parameters than any file can hold; the header is corrupt");
        return n;
    }

    /// <summary>Our own shape rules (vocab fits uint16, even RoPE head size, one float[] buffer), naming the file.</summary>
    public static ParameterLayout Layout(string name, ModelConfig config)
    {
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name}: {e.Message}", e);
        }
        var layout = ParameterLayout.For(config);
        if (layout.Count > Array.MaxLength)
            throw new InvalidDataException($"{name}: {layout.Count:N0} parameters do not fit one buffer (at most {Array.MaxLength:N0} floats); models this large cannot be imported");
        return layout;
    }

    /// <summary>The preset's name when the shape is exactly that preset's, else the fallback.</summary>
    public static ModelConfig Named(ModelConfig config, string preset, string fallback) =>
        config with { Name = preset } == ModelConfig.Preset(preset) ? config with { Name = preset } : config with { Name = fallback };
}
