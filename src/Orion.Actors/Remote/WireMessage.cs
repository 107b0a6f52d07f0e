// One application message on a link: a type name, small opaque header bytes and any number of float tensors.
namespace Orion.Actors.Remote;

/// <summary>An application message. <paramref name="Header"/> is small opaque bytes (the protocol layer puts JSON there);
/// <paramref name="Tensors"/> travel as raw chunks, never inside the header. Received tensors are backed by a float[]
/// of exactly their length (<c>MemoryMarshal.TryGetArray</c> gives it back without a copy).</summary>
public sealed record WireMessage(string Type, byte[] Header, IReadOnlyList<ReadOnlyMemory<float>> Tensors);
