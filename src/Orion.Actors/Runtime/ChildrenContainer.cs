// A parent's children by name, each with the strategy it was spawned with and its restart count. Locked because the
// guardian's children are spawned from any thread (ActorSystem.Spawn); ordinary parents only touch it from their loop.
// Reference: Akka.NET ChildrenContainer (names stay reserved until the child has fully stopped).
namespace Orion.Actors;

/// <summary>One child as its parent sees it. Restarts is changed only in the parent's loop.</summary>
internal sealed class ChildEntry(ActorCell cell, SupervisorStrategy strategy)
{
    public ActorCell Cell { get; } = cell;
    public SupervisorStrategy Strategy { get; } = strategy;
    public int Restarts { get; set; }
}

/// <summary>The set of live (or still stopping) children; closed once the parent starts stopping.</summary>
internal sealed class ChildrenContainer
{
    private readonly Dictionary<string, ChildEntry> _byName = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _closed;

    public bool IsEmpty
    {
        get { lock (_gate) return _byName.Count == 0; }
    }

    /// <summary>Reserves <paramref name="name"/>; returns why not (closed, taken) or null on success.</summary>
    public string? TryAdd(string name, ChildEntry entry)
    {
        lock (_gate)
        {
            if (_closed)
                return "the parent is stopping";
            if (!_byName.TryAdd(name, entry))
                return "the name is already taken by a live or still-stopping child";
            return null;
        }
    }

    public ChildEntry? Find(ActorCell cell)
    {
        lock (_gate)
            return _byName.TryGetValue(cell.Name, out var entry) && ReferenceEquals(entry.Cell, cell) ? entry : null;
    }

    public bool Contains(IActorRef actor)
    {
        lock (_gate)
            return _byName.Values.Any(e => ReferenceEquals(e.Cell.SelfRef, actor));
    }

    /// <summary>Releases the child's name; true if it was still registered.</summary>
    public bool Remove(ActorCell cell)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(cell.Name, out var entry) || !ReferenceEquals(entry.Cell, cell))
                return false;
            _byName.Remove(cell.Name);
            return true;
        }
    }

    public ActorCell[] Snapshot()
    {
        lock (_gate)
            return _byName.Values.Select(e => e.Cell).ToArray();
    }

    /// <summary>No more spawns: the parent is stopping and will wait for exactly the children it has now.</summary>
    public ActorCell[] CloseAndSnapshot()
    {
        lock (_gate)
        {
            _closed = true;
            return _byName.Values.Select(e => e.Cell).ToArray();
        }
    }
}
