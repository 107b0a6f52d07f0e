// A failed native step: which step of the section-2 sequence, which call, and the error's own description.
namespace Orion.Engine.Ane.Apple.Native;

public sealed class AneNativeException : Exception
{
    public AneNativeException(string step, string call, string description)
        : base($"ANE {step}: {call} failed: {description}")
    {
        Step = step;
        Call = call;
        Description = description;
    }

    public AneNativeException() : this("unknown step", "unknown call", "no description") { }

    public AneNativeException(string message) : this("unknown step", "unknown call", message) { }

    public AneNativeException(string message, Exception inner) : base(message, inner)
    {
        Step = "unknown step";
        Call = "unknown call";
        Description = message;
    }

    public string Step { get; } = "";
    public string Call { get; } = "";
    public string Description { get; } = "";

    /// <summary>The description of an <c>NSError**</c> result: its text, or a note that the call gave none.</summary>
    public static string DescribeError(string? nsErrorDescription, string call) =>
        string.IsNullOrWhiteSpace(nsErrorDescription)
            ? $"{call} returned NO without an NSError (see Console.app, process ANECompilerService / aned, for the reason)"
            : nsErrorDescription.Trim();
}
