// The public IOSurface C API: one surface per tensor (ane-reference.md section 2 step 6), locked for every access.
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Orion.Engine.Ane.Apple.Native;

[SupportedOSPlatform("macos")]
internal static unsafe partial class IOSurfaceApi
{
    [LibraryImport(NativeLibraries.IOSurface)]
    private static partial nint IOSurfaceCreate(nint properties);

    [LibraryImport(NativeLibraries.IOSurface)]
    private static partial int IOSurfaceLock(nint surface, uint options, uint* seed);

    [LibraryImport(NativeLibraries.IOSurface)]
    private static partial int IOSurfaceUnlock(nint surface, uint options, uint* seed);

    [LibraryImport(NativeLibraries.IOSurface)]
    private static partial void* IOSurfaceGetBaseAddress(nint surface);

    [LibraryImport(NativeLibraries.IOSurface)]
    private static partial nuint IOSurfaceGetAllocSize(nint surface);

    private static readonly nint Library = NativeLibrary.Load(NativeLibraries.IOSurface);

    // The property keys are exported CFStringRef variables: read the pointer stored at each symbol.
    private static nint Key(string symbol) => *(nint*)NativeLibrary.GetExport(Library, symbol);

    /// <summary>IOSurfaceCreate with the properties of <see cref="SurfaceProperties.For"/>; returns a +1 IOSurfaceRef.</summary>
    public static nint Create(int byteCount)
    {
        var props = CF.MutableDictionary();
        try
        {
            foreach (var (symbol, value) in SurfaceProperties.For(byteCount))
            {
                var key = Key(symbol);
                var number = CF.Int64(value);
                try
                {
                    CF.Set(props, key, number);
                }
                finally
                {
                    CF.Release(number);
                }
            }
            var surface = IOSurfaceCreate(props);
            return surface != 0 ? surface
                : throw new AneNativeException("surfaces (step 6)", "IOSurfaceCreate", $"IOSurfaceCreate returned NULL for a {byteCount:N0}-byte surface");
        }
        finally
        {
            CF.Release(props);
        }
    }

    public static long AllocSize(nint surface) => (long)IOSurfaceGetAllocSize(surface);

    /// <summary>Locks the surface (read-only when asked, else for writing) and returns its base address; pair with <see cref="Unlock"/>.</summary>
    public static nint Lock(nint surface, bool readOnly)
    {
        int kr = IOSurfaceLock(surface, readOnly ? NativeConstants.IOSurfaceLockReadOnly : 0u, null);
        if (kr != 0) throw new AneNativeException("surface lock (step 9)", "IOSurfaceLock", $"IOSurfaceLock failed with kern_return_t 0x{kr:x}");
        return (nint)IOSurfaceGetBaseAddress(surface);
    }

    /// <summary>Unlock on an error path: its own failure must not hide the error being reported.</summary>
    public static void TryUnlock(nint surface, bool readOnly) => _ = IOSurfaceUnlock(surface, readOnly ? NativeConstants.IOSurfaceLockReadOnly : 0u, null);

    public static void Unlock(nint surface, bool readOnly)
    {
        int kr = IOSurfaceUnlock(surface, readOnly ? NativeConstants.IOSurfaceLockReadOnly : 0u, null);
        if (kr != 0) throw new AneNativeException("surface unlock (step 9)", "IOSurfaceUnlock", $"IOSurfaceUnlock failed with kern_return_t 0x{kr:x}");
    }
}
