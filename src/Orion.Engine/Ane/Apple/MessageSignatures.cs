// The native signature of every Objective-C message the macOS device sends (ane-reference.md section 2).
// objc_msgSend is never called variadically: arm64 passes variadic arguments on the stack, so a call through the
// wrong prototype reads garbage. Each shape below is one native prototype, and ObjCMessage has exactly one typed
// function pointer per shape. Tests check that every selector's colon count matches its shape and that each
// invoker's C# parameters are the shape's native types, so a signature cannot silently drift.
namespace Orion.Engine.Ane.Apple;

/// <summary>One native prototype of objc_msgSend (receiver and SEL first, as always).</summary>
public enum MessageShape
{
    /// <summary><c>id (id self, SEL)</c></summary>
    Id,
    /// <summary><c>BOOL (id self, SEL)</c></summary>
    Bool,
    /// <summary><c>uint32_t (id self, SEL)</c></summary>
    UInt32,
    /// <summary><c>id (id self, SEL, id)</c></summary>
    IdId,
    /// <summary><c>id (id self, SEL, IOSurfaceRef)</c></summary>
    IdSurface,
    /// <summary><c>id (id self, SEL, id, id, id)</c></summary>
    IdIdIdId,
    /// <summary><c>id (id self, SEL, id, id, id, id, id, id, id)</c> — the 7th argument is the 9th overall and goes on the stack on arm64.</summary>
    IdId7,
    /// <summary><c>BOOL (id self, SEL, uint32_t qos, id options, NSError **error)</c></summary>
    BoolQosIdError,
    /// <summary><c>BOOL (id self, SEL, uint32_t qos, id options, id request, NSError **error)</c></summary>
    BoolQosIdIdError,
    /// <summary><c>BOOL (id self, SEL, uint32_t qos, NSError **error)</c></summary>
    BoolQosError,
}

/// <summary>Return and argument types of a shape, as the C declaration spells them (after <c>id self, SEL _cmd</c>).</summary>
public sealed record ShapeSignature(MessageShape Shape, string Return, IReadOnlyList<string> Arguments)
{
    public override string ToString() => $"{Return} (id, SEL{string.Concat(Arguments.Select(a => ", " + a))})";
}

/// <summary>A selector, the class it is sent to (class method) or the receiving kind (instance method), and its shape.</summary>
public sealed record SelectorSignature(string Selector, string Receiver, bool IsClassMethod, MessageShape Shape, string Declaration)
{
    /// <summary>Arguments after self and _cmd: one per colon.</summary>
    public int ArgumentCount => Selector.Count(c => c == ':');
}

public static class MessageSignatures
{
    public static IReadOnlyList<ShapeSignature> Shapes { get; } =
    [
        new(MessageShape.Id, "id", []),
        new(MessageShape.Bool, "BOOL", []),
        new(MessageShape.UInt32, "uint32_t", []),
        new(MessageShape.IdId, "id", ["id"]),
        new(MessageShape.IdSurface, "id", ["IOSurfaceRef"]),
        new(MessageShape.IdIdIdId, "id", ["id", "id", "id"]),
        new(MessageShape.IdId7, "id", ["id", "id", "id", "id", "id", "id", "id"]),
        new(MessageShape.BoolQosIdError, "BOOL", ["uint32_t", "id", "NSError**"]),
        new(MessageShape.BoolQosIdIdError, "BOOL", ["uint32_t", "id", "id", "NSError**"]),
        new(MessageShape.BoolQosError, "BOOL", ["uint32_t", "NSError**"]),
    ];

    public static ShapeSignature Of(MessageShape shape) => Shapes.First(s => s.Shape == shape);

    // Section 2, steps 1-10, in call order, then the device-info and diagnostics messages.
    public static readonly SelectorSignature ModelWithMilText = new("modelWithMILText:weights:optionsPlist:", "_ANEInMemoryModelDescriptor", true, MessageShape.IdIdIdId,
        "+ (id)modelWithMILText:(NSData *)mil weights:(NSDictionary *)weights optionsPlist:(id)plist");
    public static readonly SelectorSignature InMemoryModelWithDescriptor = new("inMemoryModelWithDescriptor:", "_ANEInMemoryModel", true, MessageShape.IdId,
        "+ (id)inMemoryModelWithDescriptor:(id)descriptor");
    public static readonly SelectorSignature HexStringIdentifier = new("hexStringIdentifier", "_ANEInMemoryModel", false, MessageShape.Id,
        "- (NSString *)hexStringIdentifier");
    public static readonly SelectorSignature CompileWithQos = new("compileWithQoS:options:error:", "_ANEInMemoryModel", false, MessageShape.BoolQosIdError,
        "- (BOOL)compileWithQoS:(unsigned int)qos options:(NSDictionary *)options error:(NSError **)error");
    public static readonly SelectorSignature LoadWithQos = new("loadWithQoS:options:error:", "_ANEInMemoryModel", false, MessageShape.BoolQosIdError,
        "- (BOOL)loadWithQoS:(unsigned int)qos options:(NSDictionary *)options error:(NSError **)error");
    public static readonly SelectorSignature ObjectWithIOSurface = new("objectWithIOSurface:", "_ANEIOSurfaceObject", true, MessageShape.IdSurface,
        "+ (id)objectWithIOSurface:(IOSurfaceRef)surface");
    public static readonly SelectorSignature RequestWithInputs = new("requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:", "_ANERequest", true, MessageShape.IdId7,
        "+ (id)requestWithInputs:(NSArray *)inputs inputIndices:(NSArray *)inputIndices outputs:(NSArray *)outputs outputIndices:(NSArray *)outputIndices weightsBuffer:(id)weightsBuffer perfStats:(id)perfStats procedureIndex:(NSNumber *)procedureIndex");
    public static readonly SelectorSignature EvaluateWithQos = new("evaluateWithQoS:options:request:error:", "_ANEInMemoryModel", false, MessageShape.BoolQosIdIdError,
        "- (BOOL)evaluateWithQoS:(unsigned int)qos options:(NSDictionary *)options request:(id)request error:(NSError **)error");
    public static readonly SelectorSignature UnloadWithQos = new("unloadWithQoS:error:", "_ANEInMemoryModel", false, MessageShape.BoolQosError,
        "- (BOOL)unloadWithQoS:(unsigned int)qos error:(NSError **)error");
    public static readonly SelectorSignature CompiledModelExists = new("compiledModelExists", "_ANEInMemoryModel", false, MessageShape.Bool,
        "- (BOOL)compiledModelExists");
    public static readonly SelectorSignature AneSubType = new("aneSubType", "_ANEDeviceInfo", true, MessageShape.Id,
        "+ (NSString *)aneSubType");
    public static readonly SelectorSignature HasAne = new("hasANE", "_ANEDeviceInfo", true, MessageShape.Bool,
        "+ (BOOL)hasANE");
    public static readonly SelectorSignature NumAneCores = new("numANECores", "_ANEDeviceInfo", true, MessageShape.UInt32,
        "+ (unsigned int)numANECores");
    public static readonly SelectorSignature Description = new("description", "NSObject", false, MessageShape.Id,
        "- (NSString *)description");

    public static IReadOnlyList<SelectorSignature> All { get; } =
    [
        ModelWithMilText, InMemoryModelWithDescriptor, HexStringIdentifier, CompileWithQos, LoadWithQos, ObjectWithIOSurface,
        RequestWithInputs, EvaluateWithQos, UnloadWithQos, CompiledModelExists, AneSubType, HasAne, NumAneCores, Description,
    ];

    /// <summary>The classes the device looks up with objc_getClass.</summary>
    public static IReadOnlyList<string> Classes { get; } = All.Where(s => s.IsClassMethod).Select(s => s.Receiver).Distinct().ToList();
}
