// libobjc: classes and selectors by name, retain/release, autorelease pools, and objc_msgSend called through one
// typed function pointer per native prototype (MessageSignatures). Every invoker checks that the selector it is
// given was declared with its shape, so a call through the wrong prototype fails before reaching native code.
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Orion.Engine.Ane.Apple.Native;

/// <summary>A registered selector together with the signature it was declared with.</summary>
internal readonly record struct Sel(SelectorSignature Signature, nint Handle)
{
    public void Require(MessageShape shape)
    {
        if (Signature.Shape != shape)
            throw new InvalidOperationException($"selector {Signature.Selector} is declared as {MessageSignatures.Of(Signature.Shape)} but was sent as {MessageSignatures.Of(shape)}; fix the call site, not the table");
    }
}

/// <summary>Marks the invoker that implements a shape; tests compare its parameters with the shape's native types.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ShapeInvokerAttribute(MessageShape shape) : Attribute
{
    public MessageShape Shape { get; } = shape;
}

[SupportedOSPlatform("macos")]
internal static unsafe partial class ObjC
{
    [LibraryImport(NativeLibraries.ObjC, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint objc_getClass(string name);

    [LibraryImport(NativeLibraries.ObjC, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint sel_registerName(string name);

    [LibraryImport(NativeLibraries.ObjC)]
    private static partial nint objc_retain(nint obj);

    [LibraryImport(NativeLibraries.ObjC)]
    private static partial void objc_release(nint obj);

    [LibraryImport(NativeLibraries.ObjC)]
    private static partial nint objc_autoreleasePoolPush();

    [LibraryImport(NativeLibraries.ObjC)]
    private static partial void objc_autoreleasePoolPop(nint pool);

    private static readonly nint MsgSend = NativeLibrary.GetExport(NativeLibrary.Load(NativeLibraries.ObjC), "objc_msgSend");

    /// <summary>The class named <paramref name="name"/>, or throws naming it (the framework changed or is not loaded).</summary>
    public static nint Class(string name)
    {
        var c = objc_getClass(name);
        return c != 0 ? c : throw new AneNativeException("class lookup", $"objc_getClass(\"{name}\")",
            $"class {name} not found: the AppleNeuralEngine framework is not loaded or this macOS version renamed it; run `orion doctor` and report its output");
    }

    public static bool HasClass(string name) => objc_getClass(name) != 0;

    public static Sel Selector(SelectorSignature signature) => new(signature, sel_registerName(signature.Selector));

    /// <summary>+1 on an object we keep beyond the current autorelease pool.</summary>
    public static nint Retain(nint obj) => obj == 0 ? 0 : objc_retain(obj);

    public static void Release(nint obj)
    {
        if (obj != 0) objc_release(obj);
    }

    public static nint PushPool() => objc_autoreleasePoolPush();
    public static void PopPool(nint pool) => objc_autoreleasePoolPop(pool);

    [ShapeInvoker(MessageShape.Id)]
    public static nint SendId(nint self, Sel sel)
    {
        sel.Require(MessageShape.Id);
        return ((delegate* unmanaged<nint, nint, nint>)MsgSend)(self, sel.Handle);
    }

    [ShapeInvoker(MessageShape.Bool)]
    public static bool SendBool(nint self, Sel sel)
    {
        sel.Require(MessageShape.Bool);
        return ((delegate* unmanaged<nint, nint, byte>)MsgSend)(self, sel.Handle) != 0;
    }

    [ShapeInvoker(MessageShape.UInt32)]
    public static uint SendUInt32(nint self, Sel sel)
    {
        sel.Require(MessageShape.UInt32);
        return ((delegate* unmanaged<nint, nint, uint>)MsgSend)(self, sel.Handle);
    }

    [ShapeInvoker(MessageShape.IdId)]
    public static nint SendIdId(nint self, Sel sel, nint a)
    {
        sel.Require(MessageShape.IdId);
        return ((delegate* unmanaged<nint, nint, nint, nint>)MsgSend)(self, sel.Handle, a);
    }

    [ShapeInvoker(MessageShape.IdSurface)]
    public static nint SendIdSurface(nint self, Sel sel, nint surface)
    {
        sel.Require(MessageShape.IdSurface);
        return ((delegate* unmanaged<nint, nint, nint, nint>)MsgSend)(self, sel.Handle, surface);
    }

    [ShapeInvoker(MessageShape.IdIdIdId)]
    public static nint SendIdIdIdId(nint self, Sel sel, nint a, nint b, nint c)
    {
        sel.Require(MessageShape.IdIdIdId);
        return ((delegate* unmanaged<nint, nint, nint, nint, nint, nint>)MsgSend)(self, sel.Handle, a, b, c);
    }

    [ShapeInvoker(MessageShape.IdId7)]
    public static nint SendIdId7(nint self, Sel sel, nint a, nint b, nint c, nint d, nint e, nint f, nint g)
    {
        sel.Require(MessageShape.IdId7);
        return ((delegate* unmanaged<nint, nint, nint, nint, nint, nint, nint, nint, nint, nint>)MsgSend)(self, sel.Handle, a, b, c, d, e, f, g);
    }

    [ShapeInvoker(MessageShape.BoolQosIdError)]
    public static bool SendBoolQosIdError(nint self, Sel sel, uint qos, nint options, nint* error)
    {
        sel.Require(MessageShape.BoolQosIdError);
        return ((delegate* unmanaged<nint, nint, uint, nint, nint*, byte>)MsgSend)(self, sel.Handle, qos, options, error) != 0;
    }

    [ShapeInvoker(MessageShape.BoolQosIdIdError)]
    public static bool SendBoolQosIdIdError(nint self, Sel sel, uint qos, nint options, nint request, nint* error)
    {
        sel.Require(MessageShape.BoolQosIdIdError);
        return ((delegate* unmanaged<nint, nint, uint, nint, nint, nint*, byte>)MsgSend)(self, sel.Handle, qos, options, request, error) != 0;
    }

    [ShapeInvoker(MessageShape.BoolQosError)]
    public static bool SendBoolQosError(nint self, Sel sel, uint qos, nint* error)
    {
        sel.Require(MessageShape.BoolQosError);
        return ((delegate* unmanaged<nint, nint, uint, nint*, byte>)MsgSend)(self, sel.Handle, qos, error) != 0;
    }
}
