// `orion bench [NAME...]`: runs registered benchmarks and prints one `bench ...` line each (cli-contract.md).
namespace Orion.Cli.Bench;

public static class BenchCommand
{
    /// <summary>
    /// Runs <paramref name="names"/> (all of <see cref="BenchCatalog.Default"/> when empty) against limits measured in
    /// this process. Returns 0 when every benchmark passed its reference check and ran, 1 when one failed, 2 for an
    /// unknown name (nothing is run then).
    /// </summary>
    public static int Run(IReadOnlyList<string> names, TextWriter output) =>
        Run(names, output, BenchCatalog.Default, new BenchContext(new MachineLimits(), new BenchRunner()));

    public static int Run(IReadOnlyList<string> names, TextWriter output, BenchCatalog catalog, BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(context);
        var known = catalog.Names;
        var unknown = names.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            output.WriteLine($"orion bench: unknown benchmark {string.Join(", ", unknown.Select(n => $"'{n}'"))}; " +
                $"expected one of: {string.Join(", ", known)} (or no name to run them all).");
            return 2;
        }

        int failed = 0;
        foreach (var name in names.Count == 0 ? known : names.Distinct().ToList())
        {
            catalog.TryGet(name, out var factory);
            BenchResult result;
            try
            {
                result = factory(context);
            }
            catch (Exception ex)
            {
                result = BenchResult.Failure(name, $"benchmark setup threw {ex.GetType().Name}: {ex.Message}");
            }
            if (result.Failed) failed++;
            output.WriteLine(result.FormatLine());
            output.Flush();
        }
        return failed == 0 ? 0 : 1;
    }
}
