// Constants of the native APIs, in one place so tests can check them against the headers' values.
namespace Orion.Engine.Ane.Apple.Native;

public static class NativeConstants
{
    /// <summary>kCFNumberSInt32Type (CFNumber.h): what <c>@0</c> in Objective-C creates.</summary>
    public const nint CFNumberSInt32Type = 3;

    /// <summary>kCFNumberSInt64Type (CFNumber.h).</summary>
    public const nint CFNumberSInt64Type = 4;

    /// <summary>kCFStringEncodingUTF8 (CFString.h).</summary>
    public const uint CFStringEncodingUtf8 = 0x0800_0100;

    /// <summary>kIOSurfaceLockReadOnly (IOSurfaceTypes.h); 0 locks for writing.</summary>
    public const uint IOSurfaceLockReadOnly = 0x1;

    /// <summary>The QoS every public caller passes (section 2: 21 everywhere, 0-63 accepted).</summary>
    public const uint DefaultQos = 21;
    public const uint MaxQos = 63;
}
