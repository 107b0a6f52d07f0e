// sysctl strings (kern.osversion, machdep.cpu.brand_string) and NSTemporaryDirectory.
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Orion.Engine.Ane.Apple.Native;

[SupportedOSPlatform("macos")]
internal static unsafe partial class SystemInfo
{
    [LibraryImport(NativeLibraries.LibSystem, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int sysctlbyname(string name, byte* oldp, nuint* oldlenp, void* newp, nuint newlen);

    [LibraryImport(NativeLibraries.Foundation)]
    private static partial nint NSTemporaryDirectory();

    /// <summary>The string value of a sysctl, or null when the name does not exist on this system.</summary>
    public static string? Sysctl(string name)
    {
        nuint size = 0;
        if (sysctlbyname(name, null, &size, null, 0) != 0 || size == 0) return null;
        var buffer = new byte[checked((int)size)];
        fixed (byte* p = buffer)
            if (sysctlbyname(name, p, &size, null, 0) != 0) return null;
        return Marshalling.FromNulTerminated(buffer.AsSpan(0, (int)size));
    }

    /// <summary>The folder the ANE compiler reads programs from (its localModelPath is this + hex id). Call inside an autorelease pool.</summary>
    public static string TemporaryDirectory() =>
        CF.ToManaged(NSTemporaryDirectory()) ?? throw new AneNativeException("temp folder (step 3)", "NSTemporaryDirectory", "NSTemporaryDirectory() returned nil");
}
