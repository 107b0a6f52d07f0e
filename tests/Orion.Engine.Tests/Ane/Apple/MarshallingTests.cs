// Byte-level marshalling and native constants of the macOS device, and the surface memory layout (R20).
using Orion.Engine.Ane.Apple;
using Orion.Engine.Ane.Apple.Native;
using Xunit;

namespace Orion.Engine.Tests.Ane.Apple;

public sealed class MarshallingTests
{
    [Fact]
    public void Utf8_NoBomNoTerminator_NonAsciiKept()
    {
        Assert.Equal("@model_path/weights/w.bin"u8.ToArray(), Marshalling.Utf8("@model_path/weights/w.bin"));
        Assert.Equal([0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80], Marshalling.Utf8("é😀"));
        Assert.Empty(Marshalling.Utf8(""));
    }

    [Fact]
    public void Utf8_LoneSurrogate_RefusedRatherThanReplaced()
    {
        Assert.ThrowsAny<ArgumentException>(() => Marshalling.Utf8("a\uD800b"));
    }

    [Fact]
    public void FromNulTerminated_StopsAtFirstNul_OrTakesWholeBuffer()
    {
        Assert.Equal("24B83", Marshalling.FromNulTerminated("24B83\0\0garbage"u8));
        Assert.Equal("Apple M4 Max", Marshalling.FromNulTerminated("Apple M4 Max"u8));
        Assert.Equal("", Marshalling.FromNulTerminated("\0x"u8));
    }

    [Fact]
    public void Constants_HaveTheHeaderValues()
    {
        Assert.Equal(3, NativeConstants.CFNumberSInt32Type);
        Assert.Equal(4, NativeConstants.CFNumberSInt64Type);
        Assert.Equal(0x08000100u, NativeConstants.CFStringEncodingUtf8);
        Assert.Equal(1u, NativeConstants.IOSurfaceLockReadOnly);
        Assert.Equal(21u, NativeConstants.DefaultQos);
        Assert.Equal(63u, NativeConstants.MaxQos);
    }

    [Fact]
    public void NativeException_NamesStepCallAndNSErrorText()
    {
        var e = new AneNativeException("compile (step 4)", "-[_ANEInMemoryModel compileWithQoS:options:error:]",
            AneNativeException.DescribeError(" _ANECompiler : ANECCompile() FAILED \n", "compileWithQoS:options:error:"));
        Assert.Equal("ANE compile (step 4): -[_ANEInMemoryModel compileWithQoS:options:error:] failed: _ANECompiler : ANECCompile() FAILED", e.Message);
        Assert.Equal("compile (step 4)", e.Step);
    }

    [Fact]
    public void NativeException_NoNSError_SaysWhereToLook()
    {
        var text = AneNativeException.DescribeError(null, "loadWithQoS:options:error:");
        Assert.Contains("returned NO without an NSError", text, StringComparison.Ordinal);
        Assert.Contains("loadWithQoS:options:error:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SurfaceProperties_AreThoseOfSection2()
    {
        Assert.Equal(
            [("kIOSurfaceWidth", 49_152L), ("kIOSurfaceHeight", 1L), ("kIOSurfaceBytesPerElement", 1L),
             ("kIOSurfaceBytesPerRow", 49_152L), ("kIOSurfaceAllocSize", 49_152L), ("kIOSurfacePixelFormat", 0L)],
            SurfaceProperties.For(49_152));
        Assert.Throws<ArgumentOutOfRangeException>(() => SurfaceProperties.For(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SurfaceProperties.For(-4));
    }

    [Fact]
    public void WritePacked_DataFromByteZero_StaleTailZeroed()
    {
        var surface = Enumerable.Repeat((byte)0xEE, 16).ToArray();
        SurfaceProperties.WritePacked(surface, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }.Concat(new byte[13]), surface);
    }

    [Fact]
    public void WritePacked_MoreThanTheSurface_RefusedAndUntouched()
    {
        var surface = new byte[4];
        Assert.Throws<ArgumentException>(() => SurfaceProperties.WritePacked(surface, [1, 2, 3, 4, 5]));
        Assert.Equal(new byte[4], surface);
    }

    [Fact]
    public void ReadPacked_PrefixOfTheSurface()
    {
        var got = new byte[2];
        SurfaceProperties.ReadPacked(new byte[] { 9, 8, 7, 6 }, got);
        Assert.Equal(new byte[] { 9, 8 }, got);
        Assert.Throws<ArgumentException>(() => SurfaceProperties.ReadPacked(new byte[1], new byte[2]));
    }
}
