// The signature table the macOS device sends every Objective-C message through: each selector's arguments match its
// colons, each native prototype has exactly one typed invoker whose C# parameters are that prototype's types, and
// every selector of ane-reference.md section 2 is in the table with the declared types.
using System.Reflection;
using System.Text.RegularExpressions;
using Orion.Engine.Ane.Apple;
using Orion.Engine.Ane.Apple.Native;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Ane.Apple;

public sealed partial class MessageSignatureTests
{
    [Fact]
    public void EverySelector_ArgumentCountMatchesColons()
    {
        foreach (var s in MessageSignatures.All)
            Assert.True(s.ArgumentCount == MessageSignatures.Of(s.Shape).Arguments.Count,
                $"{s.Selector} has {s.ArgumentCount} colons but shape {MessageSignatures.Of(s.Shape)}");
    }

    [Fact]
    public void EverySelector_DeclarationSpellsTheShapesTypes()
    {
        foreach (var s in MessageSignatures.All)
        {
            var shape = MessageSignatures.Of(s.Shape);
            Assert.StartsWith(s.IsClassMethod ? "+ " : "- ", s.Declaration, StringComparison.Ordinal);
            var returnType = DeclarationReturn().Match(s.Declaration).Groups[1].Value;
            Assert.Equal(shape.Return, NativeName(returnType));
            var args = DeclarationArgs().Matches(s.Declaration).Select(m => NativeName(m.Groups[1].Value)).ToList();
            Assert.Equal(shape.Arguments, args);
        }
    }

    // "unsigned int" -> uint32_t, "NSError **" -> NSError**, "NSDictionary *" -> id: the ABI type of each declaration.
    private static string NativeName(string declared)
    {
        var t = declared.Replace(" ", "", StringComparison.Ordinal);
        return t switch
        {
            "unsignedint" => "uint32_t",
            "BOOL" => "BOOL",
            "IOSurfaceRef" => "IOSurfaceRef",
            "NSError**" => "NSError**",
            _ when t == "id" || t.EndsWith('*') => "id",
            _ => t,
        };
    }

    [GeneratedRegex(@"^[+-] \(([^)]*)\)")]
    private static partial Regex DeclarationReturn();

    [GeneratedRegex(@":\(([^)]*)\)")]
    private static partial Regex DeclarationArgs();

    [Fact]
    public void EveryShape_HasExactlyOneInvokerWithTheNativeTypes()
    {
        var invokers = typeof(ObjC).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (Method: m, Attr: m.GetCustomAttribute<ShapeInvokerAttribute>())).Where(x => x.Attr is not null).ToList();
        foreach (var shape in MessageSignatures.Shapes)
        {
            var matching = invokers.Where(i => i.Attr!.Shape == shape.Shape).ToList();
            Assert.True(matching.Count == 1, $"{shape}: {matching.Count} invokers");
            var m = matching[0].Method;
            var ps = m.GetParameters().Select(p => p.ParameterType).ToList();
            Assert.Equal(typeof(nint), ps[0]); // receiver
            Assert.Equal(typeof(Sel), ps[1]);
            Assert.Equal(shape.Arguments.Select(ClrType), ps.Skip(2));
            Assert.Equal(ClrType(shape.Return), m.ReturnType);
        }
        Assert.Equal(MessageSignatures.Shapes.Count, invokers.Count);
    }

    private static Type ClrType(string native) => native switch
    {
        "id" or "IOSurfaceRef" => typeof(nint),
        "uint32_t" => typeof(uint),
        "BOOL" => typeof(bool), // read as one byte from the native call, as arm64's BOOL is
        "NSError**" => typeof(nint*),
        _ => throw new InvalidOperationException($"no C# type for native '{native}'"),
    };

    [Fact]
    public void Invoker_SelectorOfAnotherShape_RefusedBeforeAnyNativeCall()
    {
        var sel = new Sel(MessageSignatures.CompileWithQos, 0);
        var e = Assert.Throws<InvalidOperationException>(() => sel.Require(MessageShape.IdIdIdId));
        Assert.Contains("compileWithQoS:options:error:", e.Message, StringComparison.Ordinal);
        sel.Require(MessageShape.BoolQosIdError);
    }

    [Fact]
    public void DocumentedCallSequence_EverySelectorInTheTable()
    {
        // docs/running-on-macs.md keeps the call sequence the device follows; every selector it names needs a signature.
        var path = Path.Combine(RepoPaths.Root, "docs", "running-on-macs.md");
        var doc = File.ReadAllText(path);
        int start = doc.IndexOf("## How the device talks to the framework", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{path} has no section 'How the device talks to the framework'");
        int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = doc[start..(end < 0 ? doc.Length : end)];
        var named = DocumentedSelector().Matches(section).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("modelWithMILText:weights:optionsPlist:", named);
        Assert.Contains("hexStringIdentifier", named);
        Assert.True(named.Count >= 9, string.Join(", ", named));
        var table = MessageSignatures.All.Select(s => s.Selector).ToHashSet(StringComparer.Ordinal);
        foreach (var sel in named) Assert.True(table.Contains(sel), $"the documented call sequence names {sel}, which the device has no signature for");
        Assert.Contains("hexStringIdentifier", table);
        Assert.Contains("aneSubType", table);
    }

    // A selector at the end of a backticked span or a method reference (`-[Class selector:with:colons:]`), or a known
    // zero-argument selector.
    [GeneratedRegex(@"((?<=[` -])(?:[a-zA-Z]+:)+(?=[`\]])|(?<=[` -])(?:hexStringIdentifier|aneSubType)(?=[`\]]))")]
    private static partial Regex DocumentedSelector();

    [Fact]
    public void QosMessages_TakeUnsignedIntAndAnErrorOutParameter()
    {
        foreach (var s in MessageSignatures.All.Where(s => s.Selector.Contains("WithQoS:", StringComparison.Ordinal)))
        {
            var shape = MessageSignatures.Of(s.Shape);
            Assert.Equal("BOOL", shape.Return);
            Assert.Equal("uint32_t", shape.Arguments[0]);
            Assert.Equal("NSError**", shape.Arguments[^1]);
        }
    }

    [Fact]
    public void RequestFactory_NineArgumentsSoTheLastIsOnTheStack()
    {
        var shape = MessageSignatures.Of(MessageSignatures.RequestWithInputs.Shape);
        Assert.Equal(7, shape.Arguments.Count); // + self + _cmd = 9 > arm64's 8 argument registers
        Assert.All(shape.Arguments, a => Assert.Equal("id", a)); // procedureIndex is an NSNumber, 8 bytes on the stack
    }

    [Fact]
    public void Classes_AreTheFiveOfSection2()
    {
        Assert.Equal(["_ANEDeviceInfo", "_ANEIOSurfaceObject", "_ANEInMemoryModel", "_ANEInMemoryModelDescriptor", "_ANERequest"],
            MessageSignatures.Classes.Order(StringComparer.Ordinal));
    }
}
