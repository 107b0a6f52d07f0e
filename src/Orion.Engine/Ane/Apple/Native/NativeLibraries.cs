// Where the native code lives on macOS. Since macOS 11 system binaries sit in the dyld shared cache, not on disk:
// dlopen of these paths works although File.Exists says false, so presence is checked by loading, never by a file test.
namespace Orion.Engine.Ane.Apple.Native;

internal static class NativeLibraries
{
    public const string ObjC = "/usr/lib/libobjc.A.dylib";
    public const string LibSystem = "/usr/lib/libSystem.B.dylib";
    public const string CoreFoundation = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";
    public const string Foundation = "/System/Library/Frameworks/Foundation.framework/Foundation";
    public const string IOSurface = "/System/Library/Frameworks/IOSurface.framework/IOSurface";

    /// <summary>The private framework of section 2.</summary>
    public const string AppleNeuralEngineFramework = "/System/Library/PrivateFrameworks/AppleNeuralEngine.framework";
    public const string AppleNeuralEngine = AppleNeuralEngineFramework + "/AppleNeuralEngine";
}
