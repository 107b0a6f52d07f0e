// The shape both of our Akka serializers share: System.Text.Json under a fixed table of string manifests, one per
// record type. A type outside the table is refused when sending; an unknown manifest or a payload that does not parse
// is a SerializationException (for remote messages, Akka drops that one message rather than the association).
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Orion.Actors;

public abstract class JsonManifestSerializer(ExtendedActorSystem system, JsonSerializerOptions json, IReadOnlyList<(string Manifest, Type Type)> types)
    : SerializerWithStringManifest(system)
{
    /// <summary>Every manifest this serializer reads, for error messages.</summary>
    protected IEnumerable<string> Manifests => types.Select(t => t.Manifest);

    /// <summary>What to say of an object whose type is not in the table (a bug on the sending side).</summary>
    protected abstract string NotSerializable(Type type);

    /// <summary>What to say of a manifest this build does not know.</summary>
    protected abstract string UnknownManifest(string manifest);

    /// <summary>What to say of a payload under a known manifest that does not parse.</summary>
    protected abstract string Malformed(string manifest, string problem);

    /// <summary>Checks on the raw payload before parsing (e.g. a size limit for what peers send); throws SerializationException.</summary>
    protected virtual void CheckPayload(byte[] bytes, string manifest) { }

    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        foreach (var (manifest, type) in types)
            if (type == o.GetType()) return manifest;
        throw new ArgumentException(NotSerializable(o.GetType()), nameof(o));
    }

    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _ = Manifest(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), json);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var type = types.FirstOrDefault(t => t.Manifest == manifest).Type ?? throw new SerializationException(UnknownManifest(manifest));
        CheckPayload(bytes, manifest);
        try
        {
            return JsonSerializer.Deserialize(bytes, type, json) ?? throw new JsonException("null payload");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            throw new SerializationException(Malformed(manifest, ex.Message), ex);
        }
    }
}
