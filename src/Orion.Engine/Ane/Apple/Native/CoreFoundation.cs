// CoreFoundation objects standing in for their toll-free bridged Foundation twins (CFData = NSData,
// CFDictionary = NSDictionary, CFNumber = NSNumber, CFString = NSString, CFArray = NSArray). Every Create returns
// +1; callers release with CFRelease once the receiving Objective-C object has retained what it keeps.
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Orion.Engine.Ane.Apple.Native;

[SupportedOSPlatform("macos")]
internal static unsafe partial class CF
{
    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial nint CFDataCreate(nint allocator, byte* bytes, nint length);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial nint CFDictionaryCreateMutable(nint allocator, nint capacity, nint keyCallBacks, nint valueCallBacks);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial void CFDictionarySetValue(nint dictionary, nint key, nint value);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial nint CFNumberCreate(nint allocator, nint type, void* value);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial nint CFStringCreateWithBytes(nint allocator, byte* bytes, nint length, uint encoding, byte isExternalRepresentation);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial nint CFArrayCreate(nint allocator, nint* values, nint count, nint callBacks);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial nint CFStringGetLength(nint str);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial nint CFStringGetMaximumSizeForEncoding(nint length, uint encoding);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial byte CFStringGetCString(nint str, byte* buffer, nint bufferSize, uint encoding);

    [LibraryImport(NativeLibraries.CoreFoundation)]
    private static partial void CFRelease(nint obj);

    private static readonly nint Library = NativeLibrary.Load(NativeLibraries.CoreFoundation);

    // Exported structs: the address of the symbol is the callbacks pointer.
    private static readonly nint DictionaryKeyCallBacks = NativeLibrary.GetExport(Library, "kCFTypeDictionaryKeyCallBacks");
    private static readonly nint DictionaryValueCallBacks = NativeLibrary.GetExport(Library, "kCFTypeDictionaryValueCallBacks");
    private static readonly nint ArrayCallBacks = NativeLibrary.GetExport(Library, "kCFTypeArrayCallBacks");

    /// <summary>NSData with a copy of <paramref name="bytes"/> (an empty span gives an empty, non-nil NSData).</summary>
    public static nint Data(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
            return Check(CFDataCreate(0, p, bytes.Length), "CFDataCreate");
    }

    /// <summary>An empty NSMutableDictionary (never nil, R11).</summary>
    public static nint MutableDictionary() => Check(CFDictionaryCreateMutable(0, 0, DictionaryKeyCallBacks, DictionaryValueCallBacks), "CFDictionaryCreateMutable");

    /// <summary>dictionary[key] = value; the dictionary retains both.</summary>
    public static void Set(nint dictionary, nint key, nint value) => CFDictionarySetValue(dictionary, key, value);

    public static nint Int32(int value) => Check(CFNumberCreate(0, NativeConstants.CFNumberSInt32Type, &value), "CFNumberCreate");

    public static nint Int64(long value) => Check(CFNumberCreate(0, NativeConstants.CFNumberSInt64Type, &value), "CFNumberCreate");

    public static nint String(string value)
    {
        var utf8 = Marshalling.Utf8(value);
        fixed (byte* p = utf8)
            return Check(CFStringCreateWithBytes(0, p, utf8.Length, NativeConstants.CFStringEncodingUtf8, 0), "CFStringCreateWithBytes");
    }

    /// <summary>An NSArray holding <paramref name="items"/> (each retained by the array).</summary>
    public static nint Array(ReadOnlySpan<nint> items)
    {
        fixed (nint* p = items)
            return Check(CFArrayCreate(0, p, items.Length, ArrayCallBacks), "CFArrayCreate");
    }

    /// <summary>The text of an NSString / CFString (null for nil).</summary>
    public static string? ToManaged(nint str)
    {
        if (str == 0) return null;
        var max = CFStringGetMaximumSizeForEncoding(CFStringGetLength(str), NativeConstants.CFStringEncodingUtf8) + 1;
        if (max < 1) return null; // kCFNotFound: the length overflows the encoding's size computation
        var buffer = new byte[checked((int)max)];
        fixed (byte* p = buffer)
            return CFStringGetCString(str, p, buffer.Length, NativeConstants.CFStringEncodingUtf8) != 0 ? Marshalling.FromNulTerminated(buffer) : null;
    }

    public static void Release(nint obj)
    {
        if (obj != 0) CFRelease(obj);
    }

    private static nint Check(nint obj, string function) =>
        obj != 0 ? obj : throw new AneNativeException("marshalling", function, $"{function} returned NULL (out of memory?)");
}
