// Measures the machine's fp32 FMA peak and memcpy bandwidth in the same process, once, lazily (cli-contract.md, `orion bench`).
// Both use every core (one worker per core), and each figure is the best of a few repeats.
namespace Orion.Cli.Bench;

/// <summary>
/// <see cref="FmaPeakGflops"/>: <see cref="FmaKernel"/> on every core at once. <see cref="MemcpyGBps"/>: a
/// <see cref="BufferBytes"/> buffer (far beyond any cache) copied with <c>Span.CopyTo</c>, split in one slice per
/// core; bytes counted = read + written = 2 x buffer size, in 10^9 bytes per second.
/// </summary>
public sealed class MachineLimits : IMachineLimits
{
    public const long DefaultBufferBytes = 256L << 20;
    public const long DefaultFmaIterations = 10_000_000;
    private const int Repeats = 9;

    private readonly Lazy<double> _fma;
    private readonly Lazy<double> _memcpy;

    public MachineLimits(int? threads = null, long bufferBytes = DefaultBufferBytes, long fmaIterations = DefaultFmaIterations)
    {
        Threads = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 1L << 20, nameof(bufferBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(fmaIterations, 1000, nameof(fmaIterations));
        BufferBytes = bufferBytes;
        FmaIterations = fmaIterations;
        _fma = new Lazy<double>(MeasureFmaPeak);
        _memcpy = new Lazy<double>(MeasureMemcpy);
    }

    public int Threads { get; }
    public long BufferBytes { get; }

    /// <summary>Kernel iterations per thread per repeat (about 0.02-0.1 s on a current core; the best of 9 repeats is kept, since a shared machine often lends a core away).</summary>
    public long FmaIterations { get; }

    public double FmaPeakGflops => _fma.Value;
    public double MemcpyGBps => _memcpy.Value;

    /// <summary>Runs <see cref="FmaKernel.Run"/> on <paramref name="threads"/> workers at once; returns wall seconds.</summary>
    public static double TimeFmaOnAllCores(int threads, long iterations)
    {
        var sink = new float[threads];
        var seconds = AllCores.Run(threads, t => sink[t] = FmaKernel.Run(iterations));
        GC.KeepAlive(sink);
        return seconds;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, one contiguous slice per worker; returns wall seconds.</summary>
    public static double CopyOnAllCores(byte[] source, byte[] destination, int threads)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length < source.Length)
            throw new ArgumentException($"destination is {destination.Length} bytes, source {source.Length}", nameof(destination));
        long slice = (source.LongLength + threads - 1) / threads;
        return AllCores.Run(threads, t =>
        {
            long from = t * slice;
            int len = (int)Math.Clamp(source.LongLength - from, 0, slice);
            if (len > 0) source.AsSpan((int)from, len).CopyTo(destination.AsSpan((int)from, len));
        });
    }

    private double MeasureFmaPeak()
    {
        TimeFmaOnAllCores(Threads, FmaIterations / 10); // warm-up: tier-up the kernel, wake the cores
        double best = double.MaxValue;
        for (int r = 0; r < Repeats; r++) best = Math.Min(best, TimeFmaOnAllCores(Threads, FmaIterations));
        return Threads * FmaIterations * FmaKernel.FlopsPerIteration / best / 1e9;
    }

    private double MeasureMemcpy()
    {
        if (BufferBytes > Array.MaxLength)
            throw new InvalidOperationException($"buffer of {BufferBytes:N0} bytes exceeds one array ({Array.MaxLength:N0}); use a smaller bufferBytes");
        var src = GC.AllocateUninitializedArray<byte>((int)BufferBytes);
        var dst = GC.AllocateUninitializedArray<byte>((int)BufferBytes);
        // Touch every page first so page faults are not timed.
        src.AsSpan().Fill(0x5A);
        dst.AsSpan().Clear();
        CopyOnAllCores(src, dst, Threads);
        double best = double.MaxValue;
        for (int r = 0; r < Repeats; r++) best = Math.Min(best, CopyOnAllCores(src, dst, Threads));
        return 2.0 * BufferBytes / best / 1e9;
    }
}
