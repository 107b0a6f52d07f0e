// Hand-written MIL programs for tests, in the dialect of ane-reference.md section 4.
namespace Orion.Engine.Tests.Support;

internal static class MilText
{
    public const string Header = "program(1.3)\n[buildInfo = dict<string, string>({{\"coremlc-component-MIL\", \"3510.2.1\"}, {\"coremlc-version\", \"3505.4.1\"}, {\"coremltools-component-milinternal\", \"\"}, {\"coremltools-version\", \"9.0\"}})]\n{\n";

    /// <summary>Wraps statements into a full program with one function main.</summary>
    public static string Program(string parameters, string body, string outputs) =>
        Header + $"    func main<ios18>({parameters}) {{\n{body}    }} -> ({outputs});\n}}\n";

    public static string T(int c, int s, string dtype = "fp16") => $"tensor<{dtype}, [1, {c}, 1, {s}]>";
}
