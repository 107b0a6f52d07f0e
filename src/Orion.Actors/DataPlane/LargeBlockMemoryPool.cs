// Kestrel's buffers for the data plane: 256 KiB blocks of pinned memory instead of its default 4 KiB ones. The socket
// reads into one block at a time, so a tensor of hundreds of MB then takes a 64th of the receive syscalls (and of the
// ACKs each read sends on loopback): 64 KiB blocks doubled loopback throughput over 4 KiB, and 256 KiB did a little
// better again, within this host's noise (`orion bench exchange-*`). A connection holds at most MaxRequestBufferSize
// (4 MiB) of them, and an idle one none (Kestrel waits for data before it takes a block). Blocks are kept and reused;
// the pool only grows to what the transfers in flight need.
using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Orion.Actors.DataPlane;

internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockBytes = 256 * 1024;

    private readonly ConcurrentBag<Block> _free = [];

    public override int MaxBufferSize => BlockBytes;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockBytes) throw new ArgumentOutOfRangeException(nameof(minBufferSize), minBufferSize, $"blocks are {BlockBytes:N0} bytes");
        if (!_free.TryTake(out var block)) block = new Block(this);
        block.Rented = true;
        return block;
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true);

        public bool Rented { get; set; }

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            if (!Rented) return;
            Rented = false;
            pool._free.Add(this);
        }
    }

    /// <summary>Registered in Kestrel's services: every connection's pipes take their blocks from one shared pool.</summary>
    internal sealed class Factory : IMemoryPoolFactory<byte>
    {
        private readonly LargeBlockMemoryPool _pool = new();

        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => _pool;
    }
}
