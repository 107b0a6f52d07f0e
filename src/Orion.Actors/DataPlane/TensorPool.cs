// Reuse of received tensor arrays (weights and gradients of up to hundreds of MB): a fresh array per message makes
// the kernel fault in and zero every page on each round, which cost more than the socket copies (the `exchange`
// bench: ~35% of CPU in clear_page). Receivers rent from here; the application returns an array once nothing else
// refers to it. Small tensors are left to the GC.
using System.Collections.Concurrent;

namespace Orion.Actors.DataPlane;

public static class TensorPool
{
    /// <summary>Tensors smaller than this many elements are not pooled.</summary>
    public const int MinPooledElements = 1 << 16;
    private const int MaxPerLength = 4;
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Free = new();

    /// <summary>An array of exactly <paramref name="length"/> elements, with arbitrary contents.</summary>
    public static float[] Rent(int length)
    {
        if (length >= MinPooledElements && Free.TryGetValue(length, out var bag) && bag.TryTake(out var reused)) return reused;
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Gives <paramref name="array"/> back for reuse; the caller guarantees nobody reads or writes it afterwards.</summary>
    public static void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length < MinPooledElements) return;
        var bag = Free.GetOrAdd(array.Length, _ => []);
        if (bag.Count < MaxPerLength) bag.Add(array);
    }
}
